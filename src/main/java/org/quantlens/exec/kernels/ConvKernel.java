package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: Conv. */
public final class ConvKernel {
    private ConvKernel() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): Conv
    }
}
