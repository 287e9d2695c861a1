package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelRegistry;

/** FP32-engine kernels: Relu, LeakyRelu, Clip, Sigmoid, HardSigmoid, HardSwish, Tanh, Exp, Softmax, LogSoftmax. */
public final class ActivationKernels {
    private ActivationKernels() {
    }

    public static void register(KernelRegistry registry) {
        // TODO(implementation in progress): Relu, LeakyRelu, Clip, Sigmoid, HardSigmoid, HardSwish, Tanh, Exp, Softmax, LogSoftmax
    }
}
