package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: Resize. */
public final class ResizeKernel {
    private ResizeKernel() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): Resize
    }
}
