package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernel: ONNX Conv (opsets 1-22; the semantics never changed for float), 1-D, 2-D and 3-D.
 *
 * <p>{@code X [N, C, spatial...]}, {@code W [M, C/group, kernel...]}, optional {@code B [M]}:
 * <pre>
 * Y[n, m, o] = B[m] + sum over c in group(m), taps k of
 *                W[m, c - firstChannel(group(m)), k] * X[n, c, o * stride - padBegin + k * dilation]
 * </pre>
 * with zero where the tap falls in the padding. Attributes: {@code group} (default 1; depthwise is group = C),
 * {@code kernel_shape} (optional, must equal W's spatial dims), {@code strides}, {@code dilations}, {@code pads},
 * {@code auto_pad} (see {@link ConvWindow} for the output size rules).
 *
 * <p>Arithmetic: each output starts at the bias (or 0) and accumulates one fused multiply-add per tap, input
 * channels outer, kernel taps inner in row-major order. Convolutions with more than one input channel per group go
 * through {@link Im2col} and {@link Sgemm}, where a padded tap adds {@code w * 0}; one input channel per group
 * (depthwise) runs {@link ConvDepthwise2d} for 1-D and 2-D (padded taps add {@code w * 0} too) and
 * {@link ConvDepthwise} for 3-D, which skips padded taps (the same sum unless a weight is infinite or NaN).
 * Work is split over (batch, group, output tile, channel block) and every output is computed by one chain,
 * so results do not depend on the thread count. Matches the ONNX reference and ONNX Runtime within
 * float rounding of the summation order.
 */
public final class ConvKernel {
    private ConvKernel() {
    }

    /** Registers Conv. */
    public static void register(KernelRegistry registry) {
        registry.register("Conv", ConvKernel::create);
        registry.registerClampFusion("Conv", ConvKernel::createWithClamp);
    }

    static OpKernel create(Node node, long opset) {
        return createWithClamp(node, opset, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /**
     * A Conv node followed by {@code Clip(min, max)} (Relu: {@code min = 0, max = +inf}) as one kernel: the
     * clamp {@code min(max, max(y, min))} is applied to each output tile while it is in cache. Bit-identical to
     * running this Conv and then the engine's Clip. For an engine that fuses Conv with a following activation
     * when nobody needs the pre-activation tensor (no tap, single consumer), registered as Conv's
     * {@link org.quantlens.exec.ClampFusionFactory}.
     */
    public static OpKernel createWithClamp(Node node, long opset, float min, float max) {
        ConvWindow window = ConvWindow.parse(node, false);
        long group = node.attrInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new KernelException("group must be >= 1, got " + group);
        }
        ConvClamp clamp = new ConvClamp(min, max);
        return (inputs, ctx) -> new Tensor[] {
            conv(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null, window, (int) group, clamp, ctx)};
    }

    /** Runs the convolution; see the class comment. Throws {@link KernelException} on inconsistent shapes. */
    static Tensor conv(Tensor x, Tensor w, Tensor bias, ConvWindow window, int group, ConvClamp clamp,
                       ExecContext ctx) {
        if (x == null || w == null) {
            throw new KernelException("Conv needs inputs X and W");
        }
        requireFloat(x, "X");
        requireFloat(w, "W");
        Shape xs = x.shape();
        Shape ws = w.shape();
        if (xs.rank() < 3 || xs.rank() > 5 || ws.rank() != xs.rank()) {
            throw new KernelException("X " + xs + " and W " + ws + " must both have rank 3, 4 or 5");
        }
        int batch = xs.dim(0);
        int channels = xs.dim(1);
        int m = ws.dim(0);
        int cPerGroup = ws.dim(1);
        if ((long) cPerGroup * group != channels || m % group != 0) {
            throw new KernelException("X " + xs + " has " + channels + " channels but W " + ws + " with group "
                    + group + " needs " + (long) cPerGroup * group + " and M divisible by the group");
        }
        int[] inSpatial = Arrays.copyOfRange(xs.dims(), 2, xs.rank());
        int[] kSpatial = Arrays.copyOfRange(ws.dims(), 2, ws.rank());
        long[] declared = window.kernelShape();
        if (declared != null && !Arrays.equals(declared, Arrays.stream(kSpatial).asLongStream().toArray())) {
            throw new KernelException("kernel_shape " + Arrays.toString(declared) + " does not match W " + ws);
        }
        ConvGeometry g = window.geometry(inSpatial, kSpatial);
        float[] b = biasValues(bias, m);
        float[] y = org.quantlens.exec.OutputArrays.floats(g.outputSize((long) batch * m));
        if (y.length > 0 && (g.kernelVolume() == 0 || cPerGroup == 0)) {
            fillWithBias(y, batch, m, g.outVolume(), b);
            clamp.apply(y, 0, y.length);
        } else if (y.length > 0) {
            // A single-channel input (LeNet's first layer) is no depthwise conv: one GEMM over all filters beats
            // one direct pass per filter.
            if (cPerGroup == 1 && group > 1 && ConvDepthwise2d.supports(g)) {
                ConvDepthwise2d.run(g, x.floats(), w.floats(), b, clamp, y, batch, channels, m / group, ctx);
            } else if (cPerGroup == 1 && group > 1) {
                fillWithBias(y, batch, m, g.outVolume(), b);
                ConvDepthwise.run(g, x.floats(), w.floats(), y, batch, channels, m / group, ctx);
                clamp.apply(y, 0, y.length);
            } else {
                ConvIm2col.run(g, x.floats(), w.floats(), b, clamp, y, batch, channels, m, group, ctx);
            }
        }
        int[] outDims = new int[xs.rank()];
        outDims[0] = batch;
        outDims[1] = m;
        System.arraycopy(g.outDims(), 0, outDims, 2, g.rank());
        return Tensor.ofFloats(Shape.of(outDims), y);
    }

    private static void requireFloat(Tensor t, String name) {
        if (t.dtype() != DType.FLOAT32) {
            throw new KernelException(name + " must be float32, got " + t.dtype().displayName());
        }
    }

    /** The bias values, or zeros without a bias; KernelException unless B is float32 {@code [M]}. */
    private static float[] biasValues(Tensor bias, int m) {
        if (bias == null) {
            return new float[m];
        }
        requireFloat(bias, "B");
        if (bias.size() != m || bias.rank() != 1) {
            throw new KernelException("B " + bias.shape() + " must be [" + m + "]");
        }
        return bias.floats();
    }

    /** Fills every output plane with its channel's bias (the start of each chain). */
    private static void fillWithBias(float[] y, int batch, int m, int outVol, float[] b) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < m; c++) {
                int off = (n * m + c) * outVol;
                Arrays.fill(y, off, off + outVol, b[c]);
            }
        }
    }
}
