package org.quantlens.quant;

import java.util.Arrays;
import org.quantlens.tensor.Shape;

/**
 * Per-channel affine quantization parameters along one axis: channel {@code c} uses
 * {@code real = scales[c] * (q - zeroPoints[c])}, every channel on the same code range {@code [qmin, qmax]}
 * (ONNX QuantizeLinear/DequantizeLinear with {@code axis}). Weights default to int8 symmetric per channel on
 * axis 0 ({@link QuantSpec#weightsDefault()}).
 *
 * <p>The arrays are copied in and out; the record is immutable.
 *
 * @param axis       the channel axis (non-negative)
 * @param scales     one finite, positive scale per channel
 * @param zeroPoints one zero point per channel, each within [qmin, qmax]
 * @param qmin       smallest code
 * @param qmax       largest code
 */
public record PerChannelQuantParams(int axis, float[] scales, int[] zeroPoints, int qmin, int qmax) {

    /** Validates that the arrays have the same non-zero length and that every channel is valid. */
    public PerChannelQuantParams {
        if (axis < 0) {
            throw new IllegalArgumentException("axis must be normalised (>= 0), got " + axis);
        }
        if (scales.length != zeroPoints.length) {
            throw new IllegalArgumentException(scales.length + " scales but " + zeroPoints.length + " zero points");
        }
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
        for (int c = 0; c < scales.length; c++) {
            new QuantParams(scales[c], zeroPoints[c], qmin, qmax); // validates channel c
        }
    }

    /** Number of channels. */
    public int channels() {
        return scales.length;
    }

    /** A copy of the scales. */
    @Override
    public float[] scales() {
        return scales.clone();
    }

    /** A copy of the zero points. */
    @Override
    public int[] zeroPoints() {
        return zeroPoints.clone();
    }

    /** Scale of channel {@code c} (no copy). */
    public float scale(int c) {
        return scales[c];
    }

    /** Zero point of channel {@code c} (no copy). */
    public int zeroPoint(int c) {
        return zeroPoints[c];
    }

    /** The per-tensor parameters of channel {@code c}. */
    public QuantParams channel(int c) {
        return new QuantParams(scales[c], zeroPoints[c], qmin, qmax);
    }

    /** {@link QuantParams#onnxRuntime} applied to each channel's (mins[c], maxs[c]). */
    public static PerChannelQuantParams onnxRuntime(float[] mins, float[] maxs, int axis, QuantSpec spec) {
        return build(mins, maxs, axis, spec, true);
    }

    /** {@link QuantParams#pyTorch} applied to each channel's range ({@code per_channel_affine/symmetric}). */
    public static PerChannelQuantParams pyTorch(float[] mins, float[] maxs, int axis, QuantSpec spec) {
        return build(mins, maxs, axis, spec, false);
    }

    /** ONNX Runtime's rule on the per-channel min/max of {@code data} (row-major, {@code shape}) along axis. */
    public static PerChannelQuantParams onnxRuntime(float[] data, Shape shape, int axis, QuantSpec spec) {
        float[][] mm = channelMinMax(data, shape, axis);
        return onnxRuntime(mm[0], mm[1], shape.normalizeAxis(axis), spec);
    }

    /** PyTorch's rule on the per-channel min/max of {@code data} (row-major, {@code shape}) along axis. */
    public static PerChannelQuantParams pyTorch(float[] data, Shape shape, int axis, QuantSpec spec) {
        float[][] mm = channelMinMax(data, shape, axis);
        return pyTorch(mm[0], mm[1], shape.normalizeAxis(axis), spec);
    }

    /**
     * Per-channel {min, max} of row-major {@code data} of {@code shape} along {@code axis} (negative counts from
     * the end). A channel with no elements (a zero dimension elsewhere) gets the range [0, 0]. NaN elements are
     * skipped; the caller must exclude infinities.
     *
     * @throws IllegalArgumentException when data.length does not match the shape or the axis is out of range
     */
    public static float[][] channelMinMax(float[] data, Shape shape, int axis) {
        int ax = shape.normalizeAxis(axis);
        if (shape.numElements() != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " elements but shape " + shape
                    + " has " + shape.numElements());
        }
        int channels = shape.dim(ax);
        int inner = 1;
        for (int d = ax + 1; d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        int outer = channels == 0 || inner == 0 ? 0 : data.length / (channels * inner);
        float[] mins = new float[channels];
        float[] maxs = new float[channels];
        Arrays.fill(mins, Float.POSITIVE_INFINITY);
        Arrays.fill(maxs, Float.NEGATIVE_INFINITY);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    float v = data[base + i];
                    if (v < mins[c]) {
                        mins[c] = v;
                    }
                    if (v > maxs[c]) {
                        maxs[c] = v;
                    }
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            if (mins[c] > maxs[c]) { // empty or all-NaN channel
                mins[c] = 0f;
                maxs[c] = 0f;
            }
        }
        return new float[][] {mins, maxs};
    }

    private static PerChannelQuantParams build(float[] mins, float[] maxs, int axis, QuantSpec spec, boolean ort) {
        if (mins.length != maxs.length) {
            throw new IllegalArgumentException(mins.length + " minima but " + maxs.length + " maxima");
        }
        float[] scales = new float[mins.length];
        int[] zps = new int[mins.length];
        for (int c = 0; c < mins.length; c++) {
            if (ort) {
                scales[c] = QuantParams.onnxRuntimeScale(mins[c], maxs[c], spec);
                zps[c] = QuantParams.onnxRuntimeZeroPoint(mins[c], maxs[c], spec);
            } else {
                QuantParams p = QuantParams.pyTorch(mins[c], maxs[c], spec);
                scales[c] = p.scale();
                zps[c] = p.zeroPoint();
            }
        }
        return new PerChannelQuantParams(axis, scales, zps, spec.qmin(), spec.qmax());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PerChannelQuantParams p && axis == p.axis && qmin == p.qmin && qmax == p.qmax
                && Arrays.equals(scales, p.scales) && Arrays.equals(zeroPoints, p.zeroPoints);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * axis + Arrays.hashCode(scales)) + Arrays.hashCode(zeroPoints)) + qmin * 7 + qmax;
    }

    @Override
    public String toString() {
        return "PerChannelQuantParams[axis=" + axis + ", scales=" + Arrays.toString(scales) + ", zeroPoints="
                + Arrays.toString(zeroPoints) + ", qmin=" + qmin + ", qmax=" + qmax + "]";
    }
}
