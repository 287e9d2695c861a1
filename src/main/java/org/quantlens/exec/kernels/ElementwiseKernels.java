package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: Add, Sub, Mul, Div (numpy broadcasting), Cast, Identity. */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): Add, Sub, Mul, Div (numpy broadcasting), Cast, Identity
    }
}
