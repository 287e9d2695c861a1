package org.quantlens.runtime.reference;

import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.quant.FixedPoint;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantizedMultiplier;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Integer element-wise kernels with ONNX multidirectional broadcasting: Add and Mul with rescaling (TFLite
 * reference {@code Add}/{@code Mul}, ONNX Runtime QLinearAdd/QLinearMul), and the requantize-and-clamp used for
 * Relu, Clip and for moving a tensor to other parameters (Concat's inputs).
 */
public final class QElementwiseKernels {
    /** TFLite's headroom for 8-bit Add: inputs are shifted left by 20 bits before rescaling. */
    static final int ADD_LEFT_SHIFT = 20;

    private QElementwiseKernels() {
    }

    /**
     * Add. Fixed point (TFLite): with {@code t = 2 * max(s_a, s_b)},
     * <pre>
     *   a' = mbqm((a - za) * 2^20, s_a / t),  b' = mbqm((b - zb) * 2^20, s_b / t)
     *   y  = clamp(zy + mbqm(a' + b', t / (2^20 * s_y)), lo, hi)
     * </pre>
     * ({@code mbqm} = {@link FixedPoint#multiplyByQuantizedMultiplier}). Float (ONNX Runtime):
     * {@code y = clamp(zy + rint(float(a - za) * (s_a / s_y) + float(b - zb) * (s_b / s_y)), lo, hi)}, half to even.
     * {@code [lo, hi]} includes a fused Relu/Clip.
     */
    public static OpKernel add(QuantParams a, QuantParams b, QuantParams y, int lo, int hi, RequantMode mode) {
        double twiceMax = 2.0 * Math.max(a.scale(), b.scale());
        QuantizedMultiplier ma = QuantizedMultiplier.quantize(a.scale() / twiceMax);
        QuantizedMultiplier mb = QuantizedMultiplier.quantize(b.scale() / twiceMax);
        QuantizedMultiplier my = QuantizedMultiplier.quantize(twiceMax / ((1 << ADD_LEFT_SHIFT) * (double) y.scale()));
        float fa = (float) ((double) a.scale() / y.scale());
        float fb = (float) ((double) b.scale() / y.scale());
        return (inputs, ctx) -> binary(inputs, y, (qa, qb) -> {
            long v;
            if (mode == RequantMode.FIXED_POINT) {
                int sa = FixedPoint.multiplyByQuantizedMultiplier((qa - a.zeroPoint()) << ADD_LEFT_SHIFT, ma);
                int sb = FixedPoint.multiplyByQuantizedMultiplier((qb - b.zeroPoint()) << ADD_LEFT_SHIFT, mb);
                v = FixedPoint.multiplyByQuantizedMultiplier(QuantTensors.saturateToInt((long) sa + sb), my);
            } else {
                v = (long) Math.rint((float) (qa - a.zeroPoint()) * fa + (float) (qb - b.zeroPoint()) * fb);
            }
            return (int) Math.max(lo, Math.min(hi, v + y.zeroPoint()));
        });
    }

    /**
     * Mul: {@code acc = (a - za) * (b - zb)} (fits int), {@code y = clamp(zy + requant(acc, s_a * s_b / s_y), lo, hi)}
     * ({@link Requantizer}; TFLite reference {@code Mul}, ONNX Runtime QLinearMul in float mode).
     */
    public static OpKernel mul(QuantParams a, QuantParams b, QuantParams y, int lo, int hi, RequantMode mode) {
        Requantizer rq = Requantizer.single(mode, (double) a.scale() * b.scale() / y.scale(), y.zeroPoint(), lo, hi);
        return (inputs, ctx) -> binary(inputs, y,
                (qa, qb) -> rq.apply((qa - a.zeroPoint()) * (qb - b.zeroPoint())));
    }

    /**
     * Requantize and clamp: {@code y = clamp(zy + requant(x - zx, s_x / s_y), lo, hi)}. With equal parameters the
     * multiplier is exactly 1 in both modes and this is a pure clamp: Relu is {@code lo = quantize(0)}, Clip is
     * {@code [quantize(min), quantize(max)]} (exact, as quantization is monotone).
     */
    public static OpKernel requantizeClamp(QuantParams x, QuantParams y, int lo, int hi, RequantMode mode) {
        return (inputs, ctx) -> new Tensor[] {requantize(inputs[0], x, y, lo, hi, mode)};
    }

    /** The tensor form of {@link #requantizeClamp}. */
    public static Tensor requantize(Tensor t, QuantParams x, QuantParams y, int lo, int hi, RequantMode mode) {
        Requantizer rq = Requantizer.single(mode, (double) x.scale() / y.scale(), y.zeroPoint(), lo, hi);
        int[] q = QuantTensors.codes(t);
        int[] out = new int[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = rq.apply(q[i] - x.zeroPoint());
        }
        return QuantTensors.fromCodes(out, t.shape(), y);
    }

    @FunctionalInterface
    private interface CodeOp {
        int apply(int a, int b);
    }

    private static Tensor[] binary(Tensor[] inputs, QuantParams y, CodeOp op) {
        int[] outDims = broadcastDims(inputs[0].shape().dims(), inputs[1].shape().dims());
        int[] ia = broadcastIndex(inputs[0].shape().dims(), outDims);
        int[] ib = broadcastIndex(inputs[1].shape().dims(), outDims);
        int[] qa = QuantTensors.codes(inputs[0]);
        int[] qb = QuantTensors.codes(inputs[1]);
        int[] out = new int[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.apply(qa[ia[i]], qb[ib[i]]);
        }
        return new Tensor[] {QuantTensors.fromCodes(out, Shape.of(outDims), y)};
    }

    /** ONNX multidirectional broadcast of two shapes (right-aligned; a dim of 1 stretches). */
    static int[] broadcastDims(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new KernelException("shapes " + Shape.of(a) + " and " + Shape.of(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** For every output element (row-major), the flat index of the input element broadcast to it. */
    static int[] broadcastIndex(int[] in, int[] out) {
        int size = Shape.of(out).numElements();
        int offset = out.length - in.length;
        int[] strides = new int[out.length];
        int s = 1;
        for (int i = in.length - 1; i >= 0; i--) {
            strides[i + offset] = in[i] == 1 ? 0 : s;
            s *= in[i];
        }
        int[] idx = new int[size];
        int[] counter = new int[out.length];
        int pos = 0;
        for (int e = 0; e < size; e++) {
            idx[e] = pos;
            for (int ax = out.length - 1; ax >= 0; ax--) {
                counter[ax]++;
                pos += strides[ax];
                if (counter[ax] < out[ax]) {
                    break;
                }
                pos -= strides[ax] * counter[ax];
                counter[ax] = 0;
            }
        }
        return idx;
    }
}
