package org.quantlens.quant;

import org.quantlens.tensor.Shape;

/**
 * Quantize and dequantize exactly as ONNX QuantizeLinear / DequantizeLinear (ONNX spec, ONNX Runtime CPU):
 * <pre>
 *   quantize(x)   = saturate(rint(x / scale) + zeroPoint)   x / scale in float32, rint = round half to even,
 *                                                            saturate to [qmin, qmax]
 *   dequantize(q) = float32(q - zeroPoint) * scale          in float32
 *   fakeQuant(x)  = dequantize(quantize(x))
 * </pre>
 * Degenerate inputs: +-Infinity saturate to qmax / qmin; NaN maps to the zero point (so it dequantizes to 0).
 *
 * <p>An instance holds one {@link QuantParams}; the static per-channel methods take a
 * {@link PerChannelQuantParams} and the row-major {@link Shape} of the data.
 */
public final class Quantizer {
    private final float scale;
    private final int zeroPoint;
    private final int qmin;
    private final int qmax;

    private Quantizer(QuantParams p) {
        this.scale = p.scale();
        this.zeroPoint = p.zeroPoint();
        this.qmin = p.qmin();
        this.qmax = p.qmax();
    }

    /** A quantizer for these parameters. */
    public static Quantizer of(QuantParams params) {
        return new Quantizer(params);
    }

    /** The class-doc quantize formula on primitive parameters (allocation-free building block). */
    public static int quantize(float x, float scale, int zeroPoint, int qmin, int qmax) {
        float scaled = x / scale; // float32 division, as QuantizeLinear
        if (Float.isNaN(scaled)) {
            return zeroPoint;
        }
        double v = Math.rint(scaled) + zeroPoint;
        if (v <= qmin) {
            return qmin;
        }
        if (v >= qmax) {
            return qmax;
        }
        return (int) v;
    }

    /** The class-doc dequantize formula on primitive parameters. */
    public static float dequantize(int q, float scale, int zeroPoint) {
        return (float) (q - zeroPoint) * scale;
    }

    /** {@code saturate(rint(x / scale) + zeroPoint)}. */
    public int quantize(float x) {
        return quantize(x, scale, zeroPoint, qmin, qmax);
    }

    /** {@code float32(q - zeroPoint) * scale}. */
    public float dequantize(int q) {
        return dequantize(q, scale, zeroPoint);
    }

    /** {@code dequantize(quantize(x))}: the value x becomes after a QuantizeLinear/DequantizeLinear pair. */
    public float fakeQuant(float x) {
        return dequantize(quantize(x));
    }

    /** Element-wise {@link #quantize(float)}. */
    public int[] quantize(float[] x) {
        int[] q = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            q[i] = quantize(x[i], scale, zeroPoint, qmin, qmax);
        }
        return q;
    }

    /** Element-wise {@link #dequantize(int)}. */
    public float[] dequantize(int[] q) {
        float[] y = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            y[i] = dequantize(q[i], scale, zeroPoint);
        }
        return y;
    }

    /** Element-wise {@link #fakeQuant(float)}. */
    public float[] fakeQuant(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = dequantize(quantize(x[i], scale, zeroPoint, qmin, qmax), scale, zeroPoint);
        }
        return y;
    }

    /**
     * Per-channel quantize of row-major {@code x} with {@code shape}: element at channel index c along
     * {@code p.axis()} uses {@code p.scale(c)}, {@code p.zeroPoint(c)}.
     *
     * @throws IllegalArgumentException when x.length, the shape and the channel count disagree
     */
    public static int[] quantize(PerChannelQuantParams p, float[] x, Shape shape) {
        int inner = innerSize(p, x.length, shape);
        int channels = p.channels();
        int[] q = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = (i / inner) % channels;
            q[i] = quantize(x[i], p.scale(c), p.zeroPoint(c), p.qmin(), p.qmax());
        }
        return q;
    }

    /** Per-channel dequantize (see {@link #quantize(PerChannelQuantParams, float[], Shape)}). */
    public static float[] dequantize(PerChannelQuantParams p, int[] q, Shape shape) {
        int inner = innerSize(p, q.length, shape);
        int channels = p.channels();
        float[] y = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            int c = (i / inner) % channels;
            y[i] = dequantize(q[i], p.scale(c), p.zeroPoint(c));
        }
        return y;
    }

    /** Per-channel {@code dequantize(quantize(x))}. */
    public static float[] fakeQuant(PerChannelQuantParams p, float[] x, Shape shape) {
        return dequantize(p, quantize(p, x, shape), shape);
    }

    private static int innerSize(PerChannelQuantParams p, int length, Shape shape) {
        if (p.axis() >= shape.rank()) {
            throw new IllegalArgumentException("axis " + p.axis() + " out of range for shape " + shape);
        }
        if (shape.numElements() != length) {
            throw new IllegalArgumentException(length + " elements for shape " + shape);
        }
        if (shape.dim(p.axis()) != p.channels()) {
            throw new IllegalArgumentException("shape " + shape + " has " + shape.dim(p.axis())
                    + " channels on axis " + p.axis() + " but there are " + p.channels() + " scales");
        }
        int inner = 1;
        for (int d = p.axis() + 1; d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        return Math.max(inner, 1);
    }

    @Override
    public String toString() {
        return "Quantizer[scale=" + scale + ", zeroPoint=" + zeroPoint + ", q=[" + qmin + ", " + qmax + "]]";
    }
}
