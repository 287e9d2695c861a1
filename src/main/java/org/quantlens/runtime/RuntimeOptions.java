package org.quantlens.runtime;

/**
 * How {@link QuantizedModelBuilder} quantizes a model.
 *
 * @param requantMode       integer (TFLite) or float (ONNX Runtime) requantization
 * @param perChannelWeights true: one weight scale per output channel (the default, from the table's weight entries or
 *                          computed from the weights); false: one scale per weight tensor
 * @param foldBatchNorm     fold Conv/Gemm + BatchNormalization before quantizing (default true)
 * @param kernels           which integer Conv/Gemm kernels run (default {@link KernelSet#FAST}; same results)
 */
public record RuntimeOptions(RequantMode requantMode, boolean perChannelWeights, boolean foldBatchNorm,
                             KernelSet kernels) {

    /** Fixed-point requantization, per-channel weights, BatchNormalization folded, fast kernels. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(RequantMode.FIXED_POINT, true, true, KernelSet.FAST);
    }

    /** With the fast kernels. */
    public RuntimeOptions(RequantMode requantMode, boolean perChannelWeights, boolean foldBatchNorm) {
        this(requantMode, perChannelWeights, foldBatchNorm, KernelSet.FAST);
    }

    public RuntimeOptions {
        if (requantMode == null) {
            throw new IllegalArgumentException("requantMode is null");
        }
        if (kernels == null) {
            throw new IllegalArgumentException("kernels is null");
        }
    }

    public RuntimeOptions withRequantMode(RequantMode mode) {
        return new RuntimeOptions(mode, perChannelWeights, foldBatchNorm, kernels);
    }

    public RuntimeOptions withPerChannelWeights(boolean perChannel) {
        return new RuntimeOptions(requantMode, perChannel, foldBatchNorm, kernels);
    }

    public RuntimeOptions withKernels(KernelSet set) {
        return new RuntimeOptions(requantMode, perChannelWeights, foldBatchNorm, set);
    }
}
