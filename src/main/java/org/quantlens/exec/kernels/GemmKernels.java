package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: Gemm, MatMul. */
public final class GemmKernels {
    private GemmKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): Gemm, MatMul
    }
}
