package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: ReduceMean. */
public final class ReduceKernels {
    private ReduceKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): ReduceMean
    }
}
