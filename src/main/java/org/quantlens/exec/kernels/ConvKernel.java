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
    /** Output positions per im2col tile: the tile's columns of every kernel row stay in cache. */
    private static final int TILE = 256;

    private ConvKernel() {
    }

    /** Registers Conv. */
    public static void register(KernelRegistry registry) {
        registry.register("Conv", ConvKernel::create);
    }

    static OpKernel create(Node node, long opset) {
        ConvWindow window = ConvWindow.parse(node, false);
        long group = node.attrInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new KernelException("group must be >= 1, got " + group);
        }
        return (inputs, ctx) -> new Tensor[] {
            conv(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null, window, (int) group, ctx)};
    }

    /** Runs the convolution; see the class comment. Throws {@link KernelException} on inconsistent shapes. */
    static Tensor conv(Tensor x, Tensor w, Tensor bias, ConvWindow window, int group, ExecContext ctx) {
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
        float[] y = initialOutput(g.outputSize((long) batch * m), batch, m, g.outVolume(), bias);
        if (y.length > 0 && g.kernelVolume() > 0 && cPerGroup > 0) {
            // A single-channel input (LeNet's first layer) is no depthwise conv: one GEMM over all filters beats
            // one direct pass per filter.
            if (cPerGroup == 1 && group > 1 && ConvDepthwise2d.supports(g)) {
                ConvDepthwise2d.run(g, x.floats(), w.floats(), y, batch, channels, m / group, ctx);
            } else if (cPerGroup == 1 && group > 1) {
                ConvDepthwise.run(g, x.floats(), w.floats(), y, batch, channels, m / group, ctx);
            } else {
                im2colConv(g, x.floats(), w.floats(), y, batch, channels, m, group, ctx);
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

    /** The output filled with the bias of each channel (zeros without a bias). */
    private static float[] initialOutput(int outSize, int batch, int m, int outVol, Tensor bias) {
        float[] y = new float[outSize];
        if (bias == null) {
            return y;
        }
        requireFloat(bias, "B");
        if (bias.size() != m || bias.rank() != 1) {
            throw new KernelException("B " + bias.shape() + " must be [" + m + "]");
        }
        float[] b = bias.floats();
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < m; c++) {
                int off = (n * m + c) * outVol;
                Arrays.fill(y, off, off + outVol, b[c]);
            }
        }
        return y;
    }

    /**
     * Per (batch, group, tile of output positions, block of output channels): unfold the tile's input windows and
     * multiply by the group's weights ({@code [M/group, C/group * kernelVolume]}, already row-major in W).
     */
    private static void im2colConv(ConvGeometry g, float[] x, float[] w, float[] y, int batch, int channels, int m,
                                   int group, ExecContext ctx) {
        int cPerGroup = channels / group;
        int mPerGroup = m / group;
        int k = cPerGroup * g.kernelVolume();
        int outVol = g.outVolume();
        int inVol = g.inVolume();
        // Narrower tiles for very deep kernels keep the im2col buffer (k x tile) at most 4M floats.
        int tile = Math.max(1, Math.min(Math.min(TILE, outVol), (1 << 22) / Math.max(1, k)));
        int tiles = (outVol + tile - 1) / tile;
        int baseTasks = batch * group * tiles;
        // With few tiles (small late layers), also split output channels so every worker has work; each output
        // is still one chain, so the split never changes a bit.
        int blocks = Math.max(1, Math.min((mPerGroup + 15) / 16, (ctx.threads() + baseTasks - 1) / baseTasks));
        int rowsPerBlock = ((mPerGroup + blocks - 1) / blocks + 3) / 4 * 4;
        int blockCount = (mPerGroup + rowsPerBlock - 1) / rowsPerBlock;
        boolean pointwise = isPointwise(g);
        long cost = (long) rowsPerBlock * k * tile;
        ctx.parallelFor(baseTasks * blockCount, cost, (start, end) -> {
            float[] col = pointwise ? null : new float[k * tile];
            for (int task = start; task < end; task++) {
                int block = task % blockCount;
                int t = (task / blockCount) % tiles;
                int ng = task / blockCount / tiles;
                int n = ng / group;
                int gi = ng % group;
                int j0 = t * tile;
                int j1 = Math.min(outVol, j0 + tile);
                int r0 = block * rowsPerBlock;
                int rows = Math.min(mPerGroup, r0 + rowsPerBlock) - r0;
                int xOff = (n * channels + gi * cPerGroup) * inVol;
                int yOff = (n * m + gi * mPerGroup + r0) * outVol + j0;
                int wOff = (gi * mPerGroup + r0) * k;
                if (pointwise) {
                    Sgemm.multiplyAdd(rows, j1 - j0, k, w, wOff, k, x, xOff + j0, inVol, y, yOff, outVol);
                } else {
                    Im2col.unfold(g, x, xOff, cPerGroup, j0, j1, col);
                    Sgemm.multiplyAdd(rows, j1 - j0, k, w, wOff, k, col, 0, j1 - j0, y, yOff, outVol);
                }
            }
        });
    }

    /** A 1x1 kernel with unit strides and no padding reads X as it is: no unfolding needed. */
    private static boolean isPointwise(ConvGeometry g) {
        for (int a = 0; a < 3; a++) {
            if (g.kernel()[a] != 1 || g.stride()[a] != 1 || g.padBegin()[a] != 0 || g.padEnd()[a] != 0) {
                return false;
            }
        }
        return true;
    }
}
