package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: BatchNormalization (inference). */
public final class NormalizationKernels {
    private NormalizationKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): BatchNormalization (inference)
    }
}
