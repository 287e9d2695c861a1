package org.quantlens.runtime;

/**
 * How {@link QuantizedModelBuilder} quantizes a model.
 *
 * @param requantMode       integer (TFLite) or float (ONNX Runtime) requantization
 * @param perChannelWeights true: one weight scale per output channel (the default, from the table's weight entries or
 *                          computed from the weights); false: one scale per weight tensor
 * @param foldBatchNorm     fold Conv/Gemm + BatchNormalization before quantizing (default true)
 */
public record RuntimeOptions(RequantMode requantMode, boolean perChannelWeights, boolean foldBatchNorm) {

    /** Fixed-point requantization, per-channel weights, BatchNormalization folded. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(RequantMode.FIXED_POINT, true, true);
    }

    public RuntimeOptions {
        if (requantMode == null) {
            throw new IllegalArgumentException("requantMode is null");
        }
    }

    public RuntimeOptions withRequantMode(RequantMode mode) {
        return new RuntimeOptions(mode, perChannelWeights, foldBatchNorm);
    }

    public RuntimeOptions withPerChannelWeights(boolean perChannel) {
        return new RuntimeOptions(requantMode, perChannel, foldBatchNorm);
    }
}
