package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.BFloat16;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Float16;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * ONNX Cast between every pair of {@link DType}s (attribute {@code to}, an ONNX TensorProto.DataType code).
 *
 * <p>Rules (ONNX Cast spec, "Conversion from a numerical type to any numerical type"):
 * <ul>
 *   <li>to float32/float64: round to nearest even; out of range gives ±inf (Java's narrowing does exactly this).</li>
 *   <li>to float16/bfloat16: round to nearest even via {@link Float16}/{@link BFloat16}. A float64 source is first
 *       narrowed to float32 with round-to-odd, which makes the two-step rounding equal to one direct rounding.
 *       (int64 sources above 2^53 go through a double and may, in a tie, differ by one ulp from a direct rounding.)</li>
 *   <li>integer to integer: keep the low bits of the destination (int16 200 to int8 gives -56), as the spec says.</li>
 *   <li>float to integer: truncate toward zero. The spec leaves out-of-range values undefined; QuantLens does what
 *       numpy's {@code astype} (the ONNX reference) and ONNX Runtime's {@code static_cast} do on x86-64: convert to
 *       int32 (int64 for an int64 destination), where NaN and out-of-range values become the "integer indefinite"
 *       INT32_MIN/INT64_MIN, then keep the low bits. So 300.0 to int8 is 44, -1.0 to uint8 is 255, NaN to int8 or
 *       uint8 is 0, NaN to int32 is -2147483648.</li>
 *   <li>to bool: zero (including -0.0) is false, everything else (including NaN) is true. From bool: 1/0.</li>
 * </ul>
 * The {@code saturate} and {@code round_mode} attributes only concern float8 types, which QuantLens does not support,
 * and are ignored. Casting to the input's own type returns the input unchanged.
 */
final class ElementwiseCast {
    private ElementwiseCast() {
    }

    static OpKernel create(Node node, long opset) {
        if (!node.has("to")) {
            throw new KernelException("Cast needs the 'to' attribute");
        }
        long code = node.attrInt("to", 0);
        DType to = code >= 0 && code <= Integer.MAX_VALUE ? DType.fromOnnxCode((int) code) : null;
        if (to == null) {
            throw new KernelException("Cast to unsupported type code " + code);
        }
        return (inputs, ctx) -> new Tensor[] {cast(ElementwiseNumbers.required(inputs, 0, "input"), to)};
    }

    /** {@code x} converted to {@code to} by the rules above. */
    static Tensor cast(Tensor x, DType to) {
        DType from = x.dtype();
        if (from == to) {
            return x;
        }
        Shape shape = x.shape();
        if (from.isFloatingPoint()) {
            double[] v = x.toDoubleArray();
            if (to.isFloatingPoint()) {
                return floatsFromDoubles(to, shape, v);
            }
            if (to == DType.BOOL) {
                boolean[] r = new boolean[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = v[i] != 0; // NaN != 0 is true
                }
                return Tensor.of(to, shape, r);
            }
            long[] r = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = truncateLikeX86(v[i], to);
            }
            return ElementwiseNumbers.fromLongs(to, shape, r);
        }
        long[] v = ElementwiseNumbers.longs(x); // integers and bool (0/1)
        if (to == DType.BOOL) {
            boolean[] r = new boolean[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = v[i] != 0;
            }
            return Tensor.of(to, shape, r);
        }
        if (to == DType.FLOAT32) {
            float[] r = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = (float) v[i]; // correctly rounded from the exact long
            }
            return Tensor.of(to, shape, r);
        }
        if (to.isFloatingPoint()) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return floatsFromDoubles(to, shape, d);
        }
        return ElementwiseNumbers.fromLongs(to, shape, v);
    }

    private static Tensor floatsFromDoubles(DType to, Shape shape, double[] v) {
        Object data = switch (to) {
            case FLOAT64 -> v;
            case FLOAT32 -> {
                float[] r = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = (float) v[i];
                }
                yield r;
            }
            case FLOAT16 -> {
                short[] r = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = Float16.fromFloat(toFloatRoundToOdd(v[i]));
                }
                yield r;
            }
            case BFLOAT16 -> {
                short[] r = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = BFloat16.fromFloat(toFloatRoundToOdd(v[i]));
                }
                yield r;
            }
            default -> throw new IllegalArgumentException("not a float type: " + to);
        };
        return Tensor.of(to, shape, data);
    }

    /**
     * {@code d} narrowed to float with round-to-odd: exact values stay, inexact ones are truncated toward zero and get
     * their lowest mantissa bit set. Rounding that float again to a type with at most 22 significand bits gives the
     * same result as rounding {@code d} directly (the classic double-rounding fix).
     */
    static float toFloatRoundToOdd(double d) {
        float f = (float) d;
        if ((double) f == d || Float.isNaN(f) || Float.isInfinite(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        if (Math.abs((double) f) > Math.abs(d)) {
            bits -= 1; // rounded away from zero: step one ulp back toward zero (sign-magnitude encoding)
        }
        return Float.intBitsToFloat(bits | 1);
    }

    /**
     * Truncation toward zero as x86-64 {@code cvttsd2si} does it, then narrowed to {@code to}'s width by
     * {@link ElementwiseNumbers#fromLongs}: NaN and values outside the conversion's range (int64 for an int64
     * destination, else int32) give the minimum of that range.
     */
    static long truncateLikeX86(double d, DType to) {
        if (to == DType.INT64) {
            return d >= -0x1p63 && d < 0x1p63 ? (long) d : Long.MIN_VALUE;
        }
        return d > -2147483649.0 && d < 2147483648.0 ? (long) d : Integer.MIN_VALUE;
    }
}
