package org.quantlens.exec;

import org.quantlens.tensor.Tensor;

/**
 * Sees every float32 tensor the engine feeds or produces: each graph input, then each node output in execution
 * order (outputs of Constant nodes excepted: they are constants, not activations). Called on the engine's thread, before the value may be released; it must not mutate or keep the tensor
 * unless it copies it (calibration streams it into histograms and lets it go).
 */
@FunctionalInterface
public interface ActivationTap {
    ActivationTap NONE = (name, value) -> { };

    void onTensor(String name, Tensor value);
}
