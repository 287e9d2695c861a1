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
        int[] base = tapBases(ph, phaseWidth);
        ctx.parallelFor(d[0] * outC, cost, (s, e) -> {
            int[] plane = new int[g.strideW() * ph * phaseWidth + Int8Gemm.LANES];
            int[] row = new int[Int8Gemm.roundUp(g.outW())];
            int[] wide = new int[d[3]];
            RowRequantizer.Scratch tmp = new RowRequantizer.Scratch(row.length);
            int loaded = -1;
            for (int nm = s; nm < e; nm++) {
                int image = nm / outC;
                int m = nm % outC;
                int channel = image * d[1] + m / mPerGroup;
                if (channel != loaded) {
                    loadPlane(src, channel * d[2] * d[3], d[2], d[3], shift, plane, ph, pw, phaseWidth, wide);
                    loaded = channel;
                }
                int o = nm * g.outH() * g.outW();
                for (int oh = 0; oh < g.outH(); oh++, o += g.outW()) {
                    outputRow(plane, base, oh * g.strideH() * phaseWidth, m, row);
                    out.putRow(row, 0, g.outW(), 0, m, o, tmp);
                }
            }
        });
    }

    /**
     * Padded column {@code px = iw + padLeft} of padded row {@code py = ih + padTop} goes to
     * {@code plane[((px % strideW) * ph + py) * phaseWidth + px / strideW] = x[ih, iw] - zx}; everything else 0.
     * Each input row is widened whole into {@code wide} (vector code), then split by phase with a fixed step.
     */
    private void loadPlane(byte[] src, int at, int h, int wd, int shift, int[] plane, int ph, int pw,
                           int phaseWidth, int[] wide) {
        java.util.Arrays.fill(plane, 0);
        int s = g.strideW();
        int columns = Math.min(wd, pw - g.padLeft());
        for (int ih = 0; ih < h && ih + g.padTop() < ph; ih++) {
            int py = ih + g.padTop();
            int row = at + ih * wd;
            if (s == 1) {
                loadRow(src, row, columns, shift, plane, py * phaseWidth + g.padLeft());
                continue;
            }
            loadRow(src, row, columns, shift, wide, 0);
            for (int phase = 0; phase < s; phase++) {
                int first = Math.floorMod(phase - g.padLeft(), s);
                int dst = (phase * ph + py) * phaseWidth + (first + g.padLeft()) / s;
                int n = first < columns ? (columns - first + s - 1) / s : 0;
                for (int j = 0; j < n; j++) {
                    plane[dst + j] = wide[first + j * s];
                }
            }
        }
    }

    /** {@code plane[dst + j] = x[row + j] - zx} for {@code j < count}, whole vectors where they fit. */
    private void loadRow(byte[] src, int row, int count, int shift, int[] plane, int dst) {
        int flip = Codes.flipOf(shift);
        int offset = shift - zx;
        int j = 0;
        for (; j + Int8Gemm.LANES <= count; j += Int8Gemm.LANES) {
            Int8Gemm.widen(src, row + j, flip).add(offset).intoArray(plane, dst + j);
        }
        for (; j < count; j++) {
            plane[dst + j] = Codes.code(src[row + j], shift) - zx;
        }
    }

    /**
     * One output row, {@link Int8Gemm#LANES} pixels at a time: each vector of pixels sums all taps in a register
     * and is stored once.
     */
    private void outputRow(int[] plane, int[] base, int rowOffset, int m, int[] row) {
        int start = bias == null ? 0 : bias[m];
        int w0 = m * base.length;
        for (int ow = 0; ow < row.length; ow += Int8Gemm.LANES) {
            pixelVector(plane, base, rowOffset + ow, w0, start, row, ow);
        }
    }

    /** Where tap {@code t} of output row 0 starts in the plane (output row {@code oh} adds oh * strideH rows). */
    private int[] tapBases(int ph, int phaseWidth) {
        int kW = g.kernelW();
        int[] base = new int[g.kernelH() * kW];
        for (int kh = 0, t = 0; kh < g.kernelH(); kh++) {
            for (int kw = 0; kw < kW; kw++, t++) {
                int column = kw * g.dilationW();
                base[t] = ((column % g.strideW()) * ph + kh * g.dilationH()) * phaseWidth + column / g.strideW();
            }
        }
        return base;
    }

    /** {@code row[ow ..] = start + sum_t plane[base[t] + at ..] * wc[w0 + t]}, one vector of pixels. */
    private void pixelVector(int[] plane, int[] base, int at, int w0, int start, int[] row, int ow) {
        IntVector acc = IntVector.broadcast(Int8Gemm.INTS, start);
        for (int t = 0; t < base.length; t++) {
            acc = acc.add(IntVector.fromArray(Int8Gemm.INTS, plane, base[t] + at).mul(wc[w0 + t]));
        }
        acc.intoArray(row, ow);
    }
}
