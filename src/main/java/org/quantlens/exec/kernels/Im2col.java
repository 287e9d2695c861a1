package org.quantlens.exec.kernels;


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
        unfold(g, x, xOff, channels, j0, j1, col, 0, j1 - j0);
    }

    /**
     * The same matrix written into a wider one: row {@code r} starts at {@code col[colOff + r * ldCol]}, so the
     * matrices of several images can sit side by side ({@code ldCol >= j1 - j0}).
     */
    static void unfold(ConvGeometry g, float[] x, int xOff, int channels, int j0, int j1, float[] col, int colOff,
                       int ldCol) {
        if (j0 == 0 && j1 == g.outVolume() && g.in()[0] == 1 && g.out()[0] == 1 && g.kernel()[0] == 1
                && g.padBegin()[0] == 0) {
            unfoldWholePlanes2d(g, x, xOff, channels, col, colOff, ldCol);
            return;
        }
        int[] kernel = g.kernel();
        int row = 0;
        for (int ci = 0; ci < channels; ci++) {
            int plane = xOff + ci * g.inVolume();
            for (int kd = 0; kd < kernel[0]; kd++) {
                for (int kh = 0; kh < kernel[1]; kh++) {
                    for (int kw = 0; kw < kernel[2]; kw++, row++) {
                        unfoldRow(g, x, plane, kd, kh, kw, j0, j1, col, colOff + row * ldCol);
                    }
                }
            }
        }
    }

    /**
     * The same matrix for a tile that is the whole output plane of a 1-D or 2-D convolution (every small layer,
     * e.g. LeNet's): each channel is first copied into a zero-bordered plane covering every tap, so each output row
     * of each tap row is a plain strided copy with no bounds tests. Values are identical to {@link #unfoldRow}'s.
     */
    private static void unfoldWholePlanes2d(ConvGeometry g, float[] x, int xOff, int channels, float[] col,
                                            int colOff, int ldCol) {
        int inH = g.in()[1];
        int inW = g.in()[2];
        int outH = g.out()[1];
        int outW = g.out()[2];
        int padTop = g.padBegin()[1];
        int padLeft = g.padBegin()[2];
        int[] stride = g.stride();
        int[] dilation = g.dilation();
        int[] kernel = g.kernel();
        int rowsSpanned = (outH - 1) * stride[1] + (kernel[1] - 1) * dilation[1] + 1;
        int width = (outW - 1) * stride[2] + (kernel[2] - 1) * dilation[2] + 1;
        float[] padded = KernelScratch.floats(KernelScratch.Slot.IM2COL_PLANE, rowsSpanned * width);
        // Scratch holds the last user's values: the border must be zero, and each channel rewrites only the
        // interior (the same cells every time), so one fill per call suffices.
        java.util.Arrays.fill(padded, 0, rowsSpanned * width, 0f);
        // Input columns [c0, c1) land in the bordered plane; the rest of it stays zero.
        int c0 = Math.max(0, -padLeft);
        int c1 = Math.min(inW, width - padLeft);
        int row = 0;
        for (int ci = 0; ci < channels; ci++) {
            int plane = xOff + ci * g.inVolume();
            for (int r = 0; r < rowsSpanned; r++) {
                int ih = r - padTop;
                if (ih >= 0 && ih < inH && c0 < c1) {
                    copyShortRow(x, plane + ih * inW + c0, padded, r * width + c0 + padLeft, c1 - c0);
                }
            }
            for (int kh = 0; kh < kernel[1]; kh++) {
                for (int kw = 0; kw < kernel[2]; kw++, row++) {
                    for (int oh = 0; oh < outH; oh++) {
                        int src = (oh * stride[1] + kh * dilation[1]) * width + kw * dilation[2];
                        int dst = colOff + row * ldCol + oh * outW;
                        if (stride[2] == 1) {
                            copyShortRow(padded, src, col, dst, outW);
                            continue;
                        }
                        for (int ow = 0; ow < outW; ow++) {
                            col[dst + ow] = padded[src + ow * stride[2]];
                        }
                    }
                }
            }
        }
    }

    /**
     * Copies one output row ({@code length} floats, 8 or 16 in LeNet): arraycopy for long rows, a contiguous
     * loop (no stride multiply, so the compiler can unroll it) for short ones.
     */
    private static void copyShortRow(float[] src, int from, float[] dst, int to, int length) {
        if (length >= 32) {
            System.arraycopy(src, from, dst, to, length);
            return;
        }
        for (int i = 0; i < length; i++) {
            dst[to + i] = src[from + i];
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
                lo = ow1;
                hi = ow1;
            }
            // Plain loops, not Arrays.fill / System.arraycopy: segments are one output row (often under 16
            // elements), where the call overhead of those would dominate. Long stride-2 runs (MobileNet's first
            // layer) pick whole vectors.
            int src = plane + (id * in[1] + ih) * in[2] + shift;
            for (int ow = ow0; ow < lo; ow++) {
                col[dst + ow] = 0f;
            }
            if (stride == 2 && hi - lo >= 16) {
                EvenLanes.pick(x, src + lo * 2, col, dst + lo, hi - lo);
            } else {
                for (int ow = lo; ow < hi; ow++) {
                    col[dst + ow] = x[src + ow * stride];
                }
            }
            for (int ow = hi; ow < ow1; ow++) {
                col[dst + ow] = 0f;
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
