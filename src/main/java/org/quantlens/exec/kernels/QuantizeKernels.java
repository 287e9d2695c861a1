package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernels: QuantizeLinear and DequantizeLinear (ONNX spec, opsets 10 to 25), matching the ONNX reference
 * implementation bit for bit on float32 data with float32 scales.
 *
 * <p>QuantizeLinear: {@code y = saturate(rint(x / y_scale) + y_zero_point)}. {@code x / y_scale} is a float32
 * division (the scale's type sets the precision), {@code rint} rounds half to even (2.5 to 2, 3.5 to 4, -2.5 to -2),
 * and saturation clamps to the output type: uint8 [0, 255], int8 [-128, 127], int16 [-32768, 32767]. ±inf saturate
 * to the type's bounds. NaN gives the type's minimum (what the reference's {@code astype(int32)} then {@code clip}
 * yields on x86-64 for a non-negative zero point). The output type is the zero point's type, else the
 * {@code output_dtype} attribute (opset 21+), else uint8.
 *
 * <p>DequantizeLinear: {@code y = (x - x_zero_point) * x_scale} in float32 for int8, uint8 and int16 inputs. For
 * int32 inputs the reference promotes {@code float32(x) - x_zero_point} to float64, so with a zero point this kernel
 * computes {@code float32((double) float32(x) - zp) * scale)} in double and rounds once; without one,
 * {@code float32(x) * scale} in float32. The zero point must have x's type.
 *
 * <p>Granularity follows {@code y_scale}'s shape: a scalar or one-element tensor is per-tensor; a 1-D tensor of
 * length {@code dims[axis]} is per-axis ({@code axis} default 1, negative counts from the back); the zero point must
 * have the scale's shape. Blocked quantization ({@code block_size > 0} or a scale of rank &gt; 1), float8/int4
 * types, non-float32 scales and a {@code precision}/{@code output_dtype} other than float32 are rejected with a
 * {@link KernelException}.
 */
public final class QuantizeKernels {
    private QuantizeKernels() {
    }

    public static void register(KernelRegistry registry) {
        registry.register("QuantizeLinear", QuantizeKernels::quantizeLinear);
        registry.register("DequantizeLinear", QuantizeKernels::dequantizeLinear);
    }

    /** The quantization axis as outer x channels x inner, for one tensor and one scale. */
    record AxisLayout(int outer, int channels, int inner) {

        static AxisLayout of(Shape x, Tensor scale, Tensor zeroPoint, long axis) {
            // a one-element scale with a one-element zero point is per-tensor whatever their shapes ([] and [1]
            // mixed, as ONNX Runtime's quantizer writes for biases and as ONNX Runtime accepts)
            boolean perTensorPair = zeroPoint != null && scale.size() == 1 && zeroPoint.size() == 1;
            if (zeroPoint != null && !perTensorPair && !zeroPoint.shape().equals(scale.shape())) {
                throw new KernelException("zero point shape " + zeroPoint.shape() + " differs from scale shape "
                        + scale.shape());
            }
            if (scale.size() == 1) {
                // per-tensor: one "row" per element, so parallelFor can split the work
                return new AxisLayout(x.numElements(), 1, 1);
            }
            if (scale.rank() != 1) {
                throw new KernelException("blocked quantization (scale of shape " + scale.shape()
                        + ") is not supported");
            }
            if (axis < -x.rank() || axis >= x.rank()) {
                throw new KernelException("axis " + axis + " is out of range for rank " + x.rank());
            }
            int a = (int) (axis < 0 ? axis + x.rank() : axis);
            if (scale.size() != x.dim(a)) {
                throw new KernelException("per-axis scale has " + scale.size() + " values, axis " + a + " of "
                        + x + " has " + x.dim(a));
            }
            int outer = 1;
            for (int i = 0; i < a; i++) {
                outer *= x.dim(i);
            }
            return new AxisLayout(outer, x.dim(a), x.numElements() / Math.max(1, outer * x.dim(a)));
        }
    }

    private static void rejectBlocked(Node node) {
        if (node.attrInt("block_size", 0) > 0) {
            throw new KernelException("blocked quantization (block_size " + node.attrInt("block_size", 0)
                    + ") is not supported");
        }
    }

    /** An optional dtype attribute (0 or absent: null); {@code allowed} lists what QuantLens supports. */
    private static DType dtypeAttr(Node node, String name, DType... allowed) {
        long code = node.attrInt(name, 0);
        if (code == 0) {
            return null;
        }
        for (DType t : allowed) {
            if (t.onnxCode() == code) {
                return t;
            }
        }
        throw new KernelException(name + " " + code + " is not supported");
    }

    private static OpKernel quantizeLinear(Node node, long opset) {
        rejectBlocked(node);
        long axis = node.attrInt("axis", 1);
        DType outputDtype = dtypeAttr(node, "output_dtype", DType.UINT8, DType.INT8, DType.INT16);
        dtypeAttr(node, "precision", DType.FLOAT32);
        return (inputs, ctx) -> {
            Tensor x = ElementwiseNumbers.required(inputs, 0, "x");
            Tensor scale = ElementwiseNumbers.required(inputs, 1, "y_scale");
            Tensor zp = ElementwiseNumbers.optional(inputs, 2);
            ElementwiseNumbers.requireType("QuantizeLinear", x, DType.FLOAT32);
            ElementwiseNumbers.requireType("QuantizeLinear scale", scale, DType.FLOAT32);
            DType out = outputDtype == null ? DType.UINT8 : outputDtype;
            if (zp != null) {
                ElementwiseNumbers.requireType("QuantizeLinear zero point", zp, DType.UINT8, DType.INT8, DType.INT16);
                if (outputDtype != null && zp.dtype() != outputDtype) {
                    throw new KernelException("output_dtype " + outputDtype.displayName() + " differs from the zero "
                            + "point's type " + zp.dtype().displayName());
                }
                out = zp.dtype();
            }
            AxisLayout layout = AxisLayout.of(x.shape(), scale, zp, axis);
            return new Tensor[] {quantize(x, scale.floats(), zp == null ? null : zp.toLongArray(), out, layout, ctx)};
        };
    }

    /** {@code saturate(rint(x / scale[c]) + zp[c])} per channel c; {@code zp} null means 0. */
    static Tensor quantize(Tensor x, float[] scale, long[] zp, DType out, AxisLayout layout, ExecContext ctx) {
        float[] in = x.floats();
        long[] q = new long[in.length];
        double lo = ElementwiseNumbers.minOf(out);
        double hi = ElementwiseNumbers.maxOf(out);
        int channels = layout.channels();
        int inner = layout.inner();
        ctx.parallelFor(layout.outer() * channels, inner, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int c = row % channels;
                float s = scale[c];
                long z = zp == null ? 0 : zp[c];
                for (int i = row * inner, end = i + inner; i < end; i++) {
                    double v = Math.rint(in[i] / s) + z; // float32 division, then round half to even
                    q[i] = Double.isNaN(v) ? (long) lo : (long) Math.min(hi, Math.max(lo, v));
                }
            }
        });
        return ElementwiseNumbers.fromLongs(out, x.shape(), q);
    }

    private static OpKernel dequantizeLinear(Node node, long opset) {
        rejectBlocked(node);
        long axis = node.attrInt("axis", 1);
        dtypeAttr(node, "output_dtype", DType.FLOAT32);
        return (inputs, ctx) -> {
            Tensor x = ElementwiseNumbers.required(inputs, 0, "x");
            Tensor scale = ElementwiseNumbers.required(inputs, 1, "x_scale");
            Tensor zp = ElementwiseNumbers.optional(inputs, 2);
            ElementwiseNumbers.requireType("DequantizeLinear", x, DType.UINT8, DType.INT8, DType.INT16, DType.INT32);
            ElementwiseNumbers.requireType("DequantizeLinear scale", scale, DType.FLOAT32);
            if (zp != null && zp.dtype() != x.dtype()) {
                throw new KernelException("zero point is " + zp.dtype().displayName() + ", x is "
                        + x.dtype().displayName());
            }
            AxisLayout layout = AxisLayout.of(x.shape(), scale, zp, axis);
            return new Tensor[] {dequantize(x, scale.floats(), zp == null ? null : zp.toLongArray(), layout, ctx)};
        };
    }

    /** {@code (x - zp[c]) * scale[c]} per channel c, with the reference's precision rules (see the class doc). */
    static Tensor dequantize(Tensor x, float[] scale, long[] zp, AxisLayout layout, ExecContext ctx) {
        long[] in = ElementwiseNumbers.longs(x);
        float[] y = new float[in.length];
        boolean wideZeroPoint = x.dtype() == DType.INT32 && zp != null;
        int channels = layout.channels();
        int inner = layout.inner();
        ctx.parallelFor(layout.outer() * channels, inner, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int c = row % channels;
                float s = scale[c];
                long z = zp == null ? 0 : zp[c];
                for (int i = row * inner, end = i + inner; i < end; i++) {
                    y[i] = wideZeroPoint ? (float) (((double) (float) in[i] - z) * s) : ((float) in[i] - z) * s;
                }
            }
        });
        return Tensor.of(DType.FLOAT32, x.shape(), y);
    }
}
