package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: Concat, Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Slice, Gather, Shape, Constant. */
public final class ShapeKernels {
    private ShapeKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): Concat, Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Slice, Gather, Shape, Constant
    }
}
