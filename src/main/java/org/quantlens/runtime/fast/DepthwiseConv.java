package org.quantlens.runtime.fast;

import jdk.incubator.vector.IntVector;
import org.quantlens.exec.ExecContext;
import org.quantlens.runtime.reference.WindowGeometry;
import org.quantlens.tensor.Tensor;

/**
 * The fast path of {@link QConvKernel} for one input channel per group (depthwise, and single-channel inputs):
 * {@code acc = bias[m] + sum_{kh, kw} (x - zx) * wc[m, kh, kw]} read from a zero-padded int32 copy of the input
 * plane that already holds {@code x - zx} (padding is real 0, as in the reference). The copy is split by column
 * phase ({@code column % strideW}, one sub-plane per phase), so that for every stride the pixels a tap reads for
 * consecutive outputs are consecutive entries: a row of outputs is computed {@link Int8Gemm#LANES} pixels at a
 * time, each tap one vector multiply-add. Integer sums, so the order does not matter and the result is exact.
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
        int phaseWidth = (pw + g.strideW() - 1) / g.strideW();
        byte[] src = in.bytes();
        long cost = (long) g.kernelH() * g.kernelW() * g.outH() * g.outW();
        ctx.parallelFor(d[0] * outC, cost, (s, e) -> {
            int[] plane = new int[g.strideW() * ph * phaseWidth + Int8Gemm.LANES];
            int[] row = new int[Int8Gemm.roundUp(g.outW())];
            RowRequantizer.Scratch tmp = new RowRequantizer.Scratch(row.length);
            int loaded = -1;
            for (int nm = s; nm < e; nm++) {
                int image = nm / outC;
                int m = nm % outC;
                int channel = image * d[1] + m / mPerGroup;
                if (channel != loaded) {
                    loadPlane(src, channel * d[2] * d[3], d[2], d[3], shift, plane, ph, pw, phaseWidth);
                    loaded = channel;
                }
                int o = nm * g.outH() * g.outW();
                for (int oh = 0; oh < g.outH(); oh++, o += g.outW()) {
                    outputRow(plane, ph, phaseWidth, oh, m, row);
                    out.putRow(row, 0, g.outW(), 0, m, o, tmp);
                }
            }
        });
    }

    /**
     * Padded column {@code px = iw + padLeft} of padded row {@code py = ih + padTop} goes to
     * {@code plane[((px % strideW) * ph + py) * phaseWidth + px / strideW] = x[ih, iw] - zx}; everything else 0.
     */
    private void loadPlane(byte[] src, int at, int h, int wd, int shift, int[] plane, int ph, int pw,
                           int phaseWidth) {
        java.util.Arrays.fill(plane, 0);
        int s = g.strideW();
        for (int ih = 0; ih < h && ih + g.padTop() < ph; ih++) {
            int py = ih + g.padTop();
            for (int phase = 0; phase < s; phase++) {
                int dst = (phase * ph + py) * phaseWidth;
                for (int j = 0; j < phaseWidth; j++) {
                    int iw = j * s + phase - g.padLeft();
                    if (iw >= 0 && iw < wd && j * s + phase < pw) {
                        plane[dst + j] = Codes.code(src[at + ih * wd + iw], shift) - zx;
                    }
                }
            }
        }
    }

    /**
     * One output row, {@link Int8Gemm#LANES} pixels at a time. Taps are the outer loops and the row the inner one,
     * so no vector is carried across nested loops (C2 would box it).
     */
    private void outputRow(int[] plane, int ph, int phaseWidth, int oh, int m, int[] row) {
        int kW = g.kernelW();
        int taps = g.kernelH() * kW;
        java.util.Arrays.fill(row, bias == null ? 0 : bias[m]);
        for (int kh = 0; kh < g.kernelH(); kh++) {
            int py = oh * g.strideH() + kh * g.dilationH();
            for (int kw = 0; kw < kW; kw++) {
                int w = wc[m * taps + kh * kW + kw];
                int column = kw * g.dilationW();
                int base = ((column % g.strideW()) * ph + py) * phaseWidth + column / g.strideW();
                for (int ow = 0; ow < row.length; ow += Int8Gemm.LANES) {
                    IntVector x = IntVector.fromArray(Int8Gemm.INTS, plane, base + ow);
                    IntVector.fromArray(Int8Gemm.INTS, row, ow).add(x.mul(w)).intoArray(row, ow);
                }
            }
        }
    }
}
