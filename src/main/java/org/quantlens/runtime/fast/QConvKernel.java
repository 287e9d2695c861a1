package org.quantlens.runtime.fast;

import java.util.Arrays;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.reference.Requantizer;
import org.quantlens.runtime.reference.WindowGeometry;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Fast integer 2-D convolution, bit-exact with {@link org.quantlens.runtime.reference.QConvKernel} (same
 * constructor, same contract: {@code acc = bias[m] + sum (x - zx) * (w - zw[m])}, saturated to int32, then
 * requantized or returned as int32).
 *
 * <p>How the same integers are reached faster (gemmlowp's scheme):
 * <ul>
 *   <li>the weights are stored once as {@code wc = w - zw[m]} (int32), so the weight zero point is gone;</li>
 *   <li>each block of output pixels is unfolded (im2col) into signed bytes {@code s = x - shift} (see {@link Codes}),
 *       padding written as the shifted input zero point {@code zs = zx - shift}; then
 *       {@code sum wc * (x - zx) = sum wc * s - zs * sum wc}, and the last term is one constant per output channel,
 *       so the inner loop is a pure int8 x int32 dot product ({@link Int8Gemm});</li>
 *   <li>a layer with one input channel per group (depthwise) runs a direct loop instead ({@link DepthwiseConv}).</li>
 * </ul>
 * The int32 arithmetic wraps, so it equals the reference's long sum only when no accumulator can leave int32: the
 * constructor bounds {@code |bias| + taps * 255 * max|wc|}, and a layer beyond int32 (tens of thousands of taps)
 * delegates to the reference kernel, which saturates. Work is split over (image, group, pixel block, channel
 * block) tasks; every output is computed by the same loop whatever the split, so threads never change a bit.
 */
public final class QConvKernel implements OpKernel {
    /** Output pixels per im2col block (a multiple of 2 vectors). */
    private static final int PIXEL_BLOCK = 128;
    /** Output channels per task. */
    private static final int CHANNEL_BLOCK = 32;

    private final org.quantlens.runtime.reference.QConvKernel reference;
    private final Node node;
    private final int[] wShape;
    private final int[] wc;
    private final long[] wSum;
    private final int[] bias;
    private final int group;
    private final int zx;
    private final boolean fitsInt32;
    private final Requantizer requant;
    private final QuantParams y;

    /** As {@link org.quantlens.runtime.reference.QConvKernel#QConvKernel}. */
    public QConvKernel(Node node, int[] w, int[] wShape, int[] wZero, int[] bias, QuantParams x, QuantParams y,
                       Requantizer requant) {
        this.reference = new org.quantlens.runtime.reference.QConvKernel(node, w, wShape, wZero, bias, x, y,
                requant);
        this.node = node;
        this.wShape = wShape.clone();
        this.group = (int) node.attrInt("group", 1);
        int outC = wShape[0];
        int taps = outC == 0 ? 0 : w.length / outC;
        this.wc = new int[w.length];
        this.wSum = new long[outC];
        long maxAbs = 0;
        for (int i = 0; i < w.length; i++) {
            int m = i / taps;
            wc[i] = w[i] - wZero[m];
            wSum[m] += wc[i];
            maxAbs = Math.max(maxAbs, Math.abs((long) wc[i]));
        }
        long maxBias = 0;
        for (int m = 0; bias != null && m < outC; m++) {
            maxBias = Math.max(maxBias, Math.abs((long) bias[m]));
        }
        this.bias = bias;
        this.zx = x.zeroPoint();
        this.fitsInt32 = maxBias + (long) taps * 255 * maxAbs <= Integer.MAX_VALUE;
        this.requant = requant;
        this.y = y;
    }

    @Override
    public Tensor[] compute(Tensor[] inputs, ExecContext ctx) {
        Tensor in = inputs[0];
        int[] d = in.shape().dims();
        int cPerGroup = wShape[1];
        if (d.length != 4 || d[1] != cPerGroup * group) {
            throw new KernelException("input " + in.shape() + " does not fit weight " + Shape.of(wShape)
                    + " with group " + group);
        }
        int shift = Codes.shiftOf(in);
        int zs = zx - shift;
        if (!fitsInt32 || zs < Byte.MIN_VALUE || zs > Byte.MAX_VALUE) {
            return reference.compute(inputs, ctx);
        }
        WindowGeometry g = WindowGeometry.of(node, d[2], d[3], new int[] {wShape[2], wShape[3]});
        Codes.Output out = new Codes.Output(requant, y, Shape.of(d[0], wShape[0], g.outH(), g.outW()));
        if (cPerGroup == 1) {
            new DepthwiseConv(wc, wShape, bias, group, zx, g).run(in, shift, out, ctx);
        } else {
            im2colGemm(in, shift, zs, g, out, ctx);
        }
        return new Tensor[] {out.tensor()};
    }

    /** One task = one image, one group, one block of output pixels and one block of that group's channels. */
    private void im2colGemm(Tensor in, int shift, int zs, WindowGeometry g, Codes.Output out, ExecContext ctx) {
        int[] d = in.shape().dims();
        int outC = wShape[0];
        int mPerGroup = outC / group;
        int k = wShape[1] * wShape[2] * wShape[3];
        int pixels = g.outH() * g.outW();
        int pixelBlocks = (pixels + PIXEL_BLOCK - 1) / PIXEL_BLOCK;
        int channelBlocks = (mPerGroup + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        int[] offset = new int[outC];
        for (int m = 0; m < outC; m++) {
            offset[m] = (bias == null ? 0 : bias[m]) - zs * (int) wSum[m];
        }
        byte[] src = in.bytes();
        int tasks = d[0] * group * pixelBlocks * channelBlocks;
        ctx.parallelFor(tasks, (long) CHANNEL_BLOCK * k * PIXEL_BLOCK, (s, e) -> {
            byte[] col = new byte[k * PIXEL_BLOCK];
            int[] acc = new int[CHANNEL_BLOCK * PIXEL_BLOCK];
            RowRequantizer.Scratch tmp = new RowRequantizer.Scratch(PIXEL_BLOCK);
            int unfolded = -1;
            for (int t = s; t < e; t++) {
                int mb = t % channelBlocks;
                int block = t / channelBlocks;
                int pb = block % pixelBlocks;
                int image = block / pixelBlocks / group;
                int gi = block / pixelBlocks % group;
                int p0 = pb * PIXEL_BLOCK;
                int valid = Math.min(PIXEL_BLOCK, pixels - p0);
                int width = Int8Gemm.roundUp(valid);
                if (block != unfolded) {
                    int plane0 = (image * d[1] + gi * wShape[1]) * d[2] * d[3];
                    unfold(src, plane0, d[2], d[3], g, p0, valid, width, shift, zs, col);
                    unfolded = block;
                }
                int m0 = gi * mPerGroup + mb * CHANNEL_BLOCK;
                int rows = Math.min(CHANNEL_BLOCK, mPerGroup - mb * CHANNEL_BLOCK);
                Int8Gemm.multiply(rows, width, k, wc, m0 * k, k, col, 0, width, acc, 0, width);
                for (int r = 0; r < rows; r++) {
                    int m = m0 + r;
                    out.putRow(acc, r * width, valid, offset[m], m, (image * outC + m) * pixels + p0, tmp);
                }
            }
        });
    }

    /**
     * im2col of output pixels {@code [p0, p0 + valid)}: {@code col[k * width + j]} is the signed code under tap k
     * ({@code k = (ic * kH + kh) * kW + kw}) for pixel {@code p0 + j}, {@code zs} where the tap is in the padding,
     * and 0 for the {@code width - valid} filler columns (their results are dropped).
     */
    private void unfold(byte[] src, int plane0, int h, int wd, WindowGeometry g, int p0, int valid, int width,
                        int shift, int zs, byte[] col) {
        int flip = Codes.flipOf(shift);
        byte pad = (byte) zs;
        int outW = g.outW();
        int k = 0;
        for (int ic = 0; ic < wShape[1]; ic++) {
            int plane = plane0 + ic * h * wd;
            for (int kh = 0; kh < g.kernelH(); kh++) {
                for (int kw = 0; kw < g.kernelW(); kw++, k++) {
                    int dst = k * width;
                    int p = p0;
                    while (p < p0 + valid) {
                        int oh = p / outW;
                        int ow = p % outW;
                        int runEnd = Math.min(p0 + valid, p + outW - ow);
                        int ih = oh * g.strideH() - g.padTop() + kh * g.dilationH();
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, dst, dst + runEnd - p, pad);
                            dst += runEnd - p;
                            p = runEnd;
                            continue;
                        }
                        int row = plane + ih * wd;
                        int iw = ow * g.strideW() - g.padLeft() + kw * g.dilationW();
                        if (g.strideW() == 1) {
                            dst = unitStrideRun(src, row, iw, wd, runEnd - p, flip, pad, col, dst);
                            p = runEnd;
                            continue;
                        }
                        for (; p < runEnd; p++, dst++, iw += g.strideW()) {
                            col[dst] = iw >= 0 && iw < wd ? (byte) (src[row + iw] ^ flip) : pad;
                        }
                    }
                    Arrays.fill(col, dst, k * width + width, (byte) 0);
                }
            }
        }
    }

    /**
     * A run of {@code n} consecutive input columns {@code iw ..} of one row into {@code col[dst ..]}: the columns
     * outside {@code [0, wd)} as {@code pad}, the inside ones as one vectorised flipped copy. Returns the new
     * {@code dst}.
     */
    private static int unitStrideRun(byte[] src, int row, int iw, int wd, int n, int flip, byte pad, byte[] col,
                                     int dst) {
        int before = Math.min(n, Math.max(0, -iw));
        int inside = Math.max(0, Math.min(n - before, wd - (iw + before)));
        Arrays.fill(col, dst, dst + before, pad);
        Codes.copyFlipped(src, row + iw + before, col, dst + before, inside, flip);
        Arrays.fill(col, dst + before + inside, dst + n, pad);
        return dst + n;
    }
}
