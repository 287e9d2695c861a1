package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.OutputArrays;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernels: MaxPool, AveragePool (1-D to 3-D windows, ONNX opset 22 semantics), GlobalAveragePool and
 * GlobalMaxPool, on float32 {@code [N, C, spatial...]} tensors. Window sizes, padding, {@code auto_pad} and
 * {@code ceil_mode} follow {@link ConvWindow}. Planes (batch, channel) are independent and split over workers,
 * so results do not depend on the thread count.
 */
public final class PoolKernels {
    private PoolKernels() {
    }

    /** Registers MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool. */
    public static void register(KernelRegistry registry) {
        registry.register("MaxPool", PoolKernels::createMaxPool);
        registry.register("AveragePool", PoolKernels::createAveragePool);
        registry.register("GlobalAveragePool",
                (node, opset) -> (in, ctx) -> new Tensor[] {globalPool(in[0], true, ctx)});
        registry.register("GlobalMaxPool",
                (node, opset) -> (in, ctx) -> new Tensor[] {globalPool(in[0], false, ctx)});
    }

    static OpKernel createMaxPool(Node node, long opset) {
        ConvWindow window = ConvWindow.parse(node, true);
        long order = node.attrInt("storage_order", 0);
        if (order != 0 && order != 1) {
            throw new KernelException("storage_order must be 0 or 1, got " + order);
        }
        boolean wantIndices = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        return (inputs, ctx) -> PoolMax.run(inputs[0], window, order == 1, wantIndices, ctx);
    }

    static OpKernel createAveragePool(Node node, long opset) {
        ConvWindow window = ConvWindow.parse(node, true);
        long include = node.attrInt("count_include_pad", 0);
        if (include != 0 && include != 1) {
            throw new KernelException("count_include_pad must be 0 or 1, got " + include);
        }
        return (inputs, ctx) -> new Tensor[] {averagePool(inputs[0], window, include == 1, ctx)};
    }

    /** The window geometry of a pool over {@code x}; checks X is float32 with rank 3 to 5. */
    static ConvGeometry poolGeometry(Tensor x, ConvWindow window) {
        requireFloatPlanes(x);
        int[] in = Arrays.copyOfRange(x.shape().dims(), 2, x.rank());
        long[] k = window.kernelShape();
        if (k.length != in.length) {
            throw new KernelException("kernel_shape " + Arrays.toString(k) + " does not fit X " + x.shape());
        }
        return window.geometry(in, Arrays.stream(k).mapToInt(v -> (int) v).toArray());
    }

    private static void requireFloatPlanes(Tensor x) {
        if (x == null) {
            throw new KernelException("input X is missing");
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new KernelException("X must be float32, got " + x.dtype().displayName());
        }
        if (x.rank() < 3 || x.rank() > 5) {
            throw new KernelException("X " + x.shape() + " must have rank 3, 4 or 5 ([N, C, spatial...])");
        }
    }

    /** [N, C] followed by the output spatial dims. */
    static Shape outputShape(Tensor x, ConvGeometry g) {
        int[] d = new int[x.rank()];
        d[0] = x.shape().dim(0);
        d[1] = x.shape().dim(1);
        System.arraycopy(g.outDims(), 0, d, 2, g.rank());
        return Shape.of(d);
    }

    /**
     * ONNX AveragePool: the mean of the window's in-bounds elements ({@code count_include_pad=0}), or their sum
     * divided by the number of taps inside the explicitly padded input ({@code count_include_pad=1}; taps beyond
     * the padding that {@code ceil_mode} adds are never counted, as in ONNX Runtime and PyTorch). The sum is
     * accumulated in float in row-major tap order. A window with no counted tap yields NaN (0/0).
     */
    static Tensor averagePool(Tensor x, ConvWindow window, boolean countIncludePad, ExecContext ctx) {
        ConvGeometry g = poolGeometry(x, window);
        PoolTaps taps = PoolTaps.of(g);
        float[] src = x.floats();
        float[] y = OutputArrays.floats(g.outputSize((long) x.shape().dim(0) * x.shape().dim(1)));
        ctx.parallelFor(x.shape().dim(0) * x.shape().dim(1), (long) g.outVolume() * g.kernelVolume(), (s, e) -> {
            for (int plane = s; plane < e; plane++) {
                averagePlane(g, taps, countIncludePad, src, plane * g.inVolume(), y, plane * g.outVolume());
            }
        });
        return Tensor.ofFloats(outputShape(x, g), y);
    }

    /** One (batch, channel) plane of AveragePool: the in-bounds taps summed in row-major order, then divided. */
    private static void averagePlane(ConvGeometry g, PoolTaps taps, boolean countIncludePad, float[] src, int xOff,
                                     float[] y, int yOff) {
        PoolRows.pool(g, taps, src, xOff, y, yOff, false);
        int[] out = g.out();
        int yi = yOff;
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                for (int ow = 0; ow < out[2]; ow++, yi++) {
                    int count = countIncludePad
                            ? taps.padded(0, od) * taps.padded(1, oh) * taps.padded(2, ow)
                            : taps.valid(0, od) * taps.valid(1, oh) * taps.valid(2, ow);
                    y[yi] /= count;
                }
            }
        }
    }

    /**
     * ONNX GlobalAveragePool / GlobalMaxPool: one value per (batch, channel) plane, output {@code [N, C, 1, ...]}.
     * The average accumulates in double and rounds once (numpy's pairwise float sum is closer to that than to a
     * running float sum); the max ignores NaN unless the whole plane is NaN (-infinity for an empty plane).
     */
    static Tensor globalPool(Tensor x, boolean average, ExecContext ctx) {
        if (x == null || x.dtype() != DType.FLOAT32 || x.rank() < 3) {
            throw new KernelException("X must be a float32 tensor [N, C, spatial...], got " + x);
        }
        int planes = x.shape().dim(0) * x.shape().dim(1);
        int vol = x.size() / Math.max(1, planes);
        float[] src = x.floats();
        float[] y = OutputArrays.floats(planes);
        // Planes are independent: splitting them over workers changes no result.
        ctx.parallelFor(planes, vol, (s, e) -> {
            for (int p = s; p < e; p++) {
                y[p] = average ? planeMean(src, p * vol, vol) : planeMax(src, p * vol, vol);
            }
        });
        int[] d = new int[x.rank()];
        Arrays.fill(d, 1);
        d[0] = x.shape().dim(0);
        d[1] = x.shape().dim(1);
        return Tensor.ofFloats(Shape.of(d), y);
    }

    /** The mean of {@code vol} floats from {@code off}: summed in double, rounded once. */
    private static float planeMean(float[] src, int off, int vol) {
        double sum = 0;
        for (int i = 0; i < vol; i++) {
            sum += src[off + i];
        }
        return (float) (sum / vol);
    }

    /** The largest of {@code vol} floats from {@code off}, ignoring NaN unless all are NaN; -infinity when empty. */
    private static float planeMax(float[] src, int off, int vol) {
        float max = Float.NEGATIVE_INFINITY;
        boolean allNaN = vol > 0;
        for (int i = 0; i < vol; i++) {
            float v = src[off + i];
            allNaN &= Float.isNaN(v);
            max = v > max ? v : max;
        }
        return allNaN ? Float.NaN : max;
    }
}
