package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: Pad. */
public final class PadKernel {
    private PadKernel() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): Pad
    }
}
