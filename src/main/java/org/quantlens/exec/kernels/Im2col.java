package org.quantlens.exec.kernels;

import java.util.Arrays;

/**
 * Unfolds the input windows of a convolution into a matrix so the convolution becomes one matrix product
 * (the classic im2col of Caffe / Chellapilla et al. 2006).
 *
 * <p>For output positions {@code [j0, j1)} (flat index over the output plane) and the {@code channels} input
 * channels starting at {@code xOff}, row {@code ci * kernelVolume + tap} (taps in row-major kernel order) and
 * column {@code j - j0} of {@code col} hold the input under that tap, or 0 where the tap falls in the padding.
 * Row order matches the weight layout {@code [M, C/group, kD, kH, kW]}, so {@code W_group * col} is the output.
 */
final class Im2col {
    private Im2col() {
    }

    /** Fills {@code col} ({@code channels * kernelVolume} rows of {@code j1 - j0} columns). */
    static void unfold(ConvGeometry g, float[] x, int xOff, int channels, int j0, int j1, float[] col) {
        int[] kernel = g.kernel();
        int row = 0;
        for (int ci = 0; ci < channels; ci++) {
            int plane = xOff + ci * g.inVolume();
            for (int kd = 0; kd < kernel[0]; kd++) {
                for (int kh = 0; kh < kernel[1]; kh++) {
                    for (int kw = 0; kw < kernel[2]; kw++, row++) {
                        unfoldRow(g, x, plane, kd, kh, kw, j0, j1, col, row * (j1 - j0));
                    }
                }
            }
        }
    }

    /**
     * One tap's row: walks the tile one output row segment at a time (same depth and height index), where the
     * input columns are an arithmetic sequence; in-bounds ones are copied, the rest zero-filled.
     */
    private static void unfoldRow(ConvGeometry g, float[] x, int plane, int kd, int kh, int kw, int j0, int j1,
                                  float[] col, int rowOff) {
        int[] in = g.in();
        int outW = g.out()[2];
        int outHW = g.out()[1] * outW;
        int stride = g.stride()[2];
        int shift = g.inputCoord(2, 0, kw);
        // Output columns whose input column ow * stride + shift lies in [0, in[2]).
        int validLo = Math.max(0, Math.floorDiv(-shift + stride - 1, stride));
        int validHi = Math.min(outW, Math.floorDiv(in[2] - 1 - shift, stride) + 1);
        int od = j0 / outHW;
        int oh = (j0 % outHW) / outW;
        int ow0 = j0 % outW;
        for (int j = j0; j < j1; ) {
            int ow1 = Math.min(outW, ow0 + j1 - j);
            int dst = rowOff + (j - j0) - ow0;
            int id = g.inputCoord(0, od, kd);
            int ih = g.inputCoord(1, oh, kh);
            int lo = Math.max(ow0, validLo);
            int hi = Math.min(ow1, validHi);
            if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1] || lo >= hi) {
                Arrays.fill(col, dst + ow0, dst + ow1, 0f);
            } else {
                Arrays.fill(col, dst + ow0, dst + lo, 0f);
                int src = plane + (id * in[1] + ih) * in[2] + shift;
                if (stride == 1) {
                    System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                } else {
                    for (int ow = lo; ow < hi; ow++) {
                        col[dst + ow] = x[src + ow * stride];
                    }
                }
                Arrays.fill(col, dst + hi, dst + ow1, 0f);
            }
            j += ow1 - ow0;
            // Next output row segment starts at column 0 of the next (depth, height) row.
            ow0 = 0;
            if (++oh == g.out()[1]) {
                oh = 0;
                od++;
            }
        }
    }
}
