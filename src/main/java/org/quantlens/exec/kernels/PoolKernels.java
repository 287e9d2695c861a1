package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool. */
public final class PoolKernels {
    private PoolKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool
    }
}
