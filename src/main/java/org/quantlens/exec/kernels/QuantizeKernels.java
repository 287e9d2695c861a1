package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: QuantizeLinear, DequantizeLinear. */
public final class QuantizeKernels {
    private QuantizeKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): QuantizeLinear, DequantizeLinear
    }
}
