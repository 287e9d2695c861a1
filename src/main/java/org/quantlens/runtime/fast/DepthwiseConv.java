package org.quantlens.runtime.fast;

import jdk.incubator.vector.IntVector;
import org.quantlens.exec.ExecContext;
import org.quantlens.runtime.reference.WindowGeometry;
import org.quantlens.tensor.Tensor;

/**
 * The fast path of {@link QConvKernel} for one input channel per group (depthwise, and single-channel inputs):
 * {@code acc = bias[m] + sum_{kh, kw} (x - zx) * wc[m, kh, kw]} read from a zero-padded int32 copy of the input
 * plane that already holds {@code x - zx} (padding is real 0, as in the reference). With horizontal stride 1 a
 * row of outputs is computed {@link Int8Gemm#LANES} pixels at a time (each tap one vector multiply-add on
 * consecutive plane entries); other strides run the same sum per pixel. Integer sums, so both ways are exact.
 */
final class DepthwiseConv {
    private final int[] wc;
    private final int[] wShape;
    private final int[] bias;
    private final int group;
    private final int zx;
    private final WindowGeometry g;

    DepthwiseConv(int[] wc, int[] wShape, int[] bias, int group, int zx, WindowGeometry g) {
        this.wc = wc;
        this.wShape = wShape;
        this.bias = bias;
        this.group = group;
        this.zx = zx;
        this.g = g;
    }

    void run(Tensor in, int shift, Codes.Output out, ExecContext ctx) {
        int[] d = in.shape().dims();
        int outC = wShape[0];
        int mPerGroup = outC / group;
        int ph = (g.outH() - 1) * g.strideH() + (g.kernelH() - 1) * g.dilationH() + 1;
        int pw = (g.outW() - 1) * g.strideW() + (g.kernelW() - 1) * g.dilationW() + 1;
        byte[] src = in.bytes();
        long cost = (long) g.kernelH() * g.kernelW() * g.outH() * g.outW();
        ctx.parallelFor(d[0] * outC, cost, (s, e) -> {
            int[] plane = new int[ph * pw + Int8Gemm.LANES];
            int[] row = new int[Int8Gemm.roundUp(g.outW())];
            int[] tmp = new int[row.length];
            int loaded = -1;
            for (int nm = s; nm < e; nm++) {
                int image = nm / outC;
                int m = nm % outC;
                int channel = image * d[1] + m / mPerGroup;
                if (channel != loaded) {
                    loadPlane(src, channel * d[2] * d[3], d[2], d[3], shift, plane, ph, pw);
                    loaded = channel;
                }
                int o = nm * g.outH() * g.outW();
                for (int oh = 0; oh < g.outH(); oh++, o += g.outW()) {
                    if (g.strideW() == 1) {
                        vectorRow(plane, pw, oh, m, row);
                    } else {
                        scalarRow(plane, pw, oh, m, row);
                    }
                    out.putRow(row, 0, g.outW(), 0, m, o, tmp);
                }
            }
        });
    }

    /** plane[(ih + padTop) * pw + iw + padLeft] = x[ih, iw] - zx; everything else 0. */
    private void loadPlane(byte[] src, int at, int h, int wd, int shift, int[] plane, int ph, int pw) {
        java.util.Arrays.fill(plane, 0);
        for (int ih = 0; ih < h && ih + g.padTop() < ph; ih++) {
            int dst = (ih + g.padTop()) * pw + g.padLeft();
            int cols = Math.min(wd, pw - g.padLeft());
            for (int iw = 0; iw < cols; iw++) {
                plane[dst + iw] = Codes.code(src[at + ih * wd + iw], shift) - zx;
            }
        }
    }

    private void vectorRow(int[] plane, int pw, int oh, int m, int[] row) {
        int taps = g.kernelH() * g.kernelW();
        int b = bias == null ? 0 : bias[m];
        for (int ow = 0; ow < row.length; ow += Int8Gemm.LANES) {
            IntVector acc = IntVector.broadcast(Int8Gemm.INTS, b);
            for (int kh = 0; kh < g.kernelH(); kh++) {
                int base = (oh * g.strideH() + kh * g.dilationH()) * pw + ow;
                for (int kw = 0; kw < g.kernelW(); kw++) {
                    IntVector x = IntVector.fromArray(Int8Gemm.INTS, plane, base + kw * g.dilationW());
                    acc = acc.add(x.mul(wc[m * taps + kh * g.kernelW() + kw]));
                }
            }
            acc.intoArray(row, ow);
        }
    }

    private void scalarRow(int[] plane, int pw, int oh, int m, int[] row) {
        int taps = g.kernelH() * g.kernelW();
        int b = bias == null ? 0 : bias[m];
        for (int ow = 0; ow < g.outW(); ow++) {
            int acc = b;
            for (int kh = 0; kh < g.kernelH(); kh++) {
                int base = (oh * g.strideH() + kh * g.dilationH()) * pw + ow * g.strideW();
                for (int kw = 0; kw < g.kernelW(); kw++) {
                    acc += plane[base + kw * g.dilationW()] * wc[m * taps + kh * g.kernelW() + kw];
                }
            }
            row[ow] = acc;
        }
    }
}
