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
        int width = j1 - j0;
        int[] baseD = new int[width];
        int[] baseH = new int[width];
        int[] baseW = new int[width];
        int outHW = g.out()[1] * g.out()[2];
        for (int j = j0; j < j1; j++) {
            int od = j / outHW;
            int oh = (j % outHW) / g.out()[2];
            int ow = j % g.out()[2];
            baseD[j - j0] = g.inputCoord(0, od, 0);
            baseH[j - j0] = g.inputCoord(1, oh, 0);
            baseW[j - j0] = g.inputCoord(2, ow, 0);
        }
        int inD = g.in()[0];
        int inH = g.in()[1];
        int inW = g.in()[2];
        int inVol = g.inVolume();
        int row = 0;
        for (int ci = 0; ci < channels; ci++) {
            int plane = xOff + ci * inVol;
            for (int kd = 0; kd < g.kernel()[0]; kd++) {
                int dd = kd * g.dilation()[0];
                for (int kh = 0; kh < g.kernel()[1]; kh++) {
                    int dh = kh * g.dilation()[1];
                    for (int kw = 0; kw < g.kernel()[2]; kw++, row++) {
                        int dw = kw * g.dilation()[2];
                        int rowOff = row * width;
                        for (int jj = 0; jj < width; jj++) {
                            int id = baseD[jj] + dd;
                            int ih = baseH[jj] + dh;
                            int iw = baseW[jj] + dw;
                            boolean inside = id >= 0 && id < inD && ih >= 0 && ih < inH && iw >= 0 && iw < inW;
                            col[rowOff + jj] = inside ? x[plane + (id * inH + ih) * inW + iw] : 0f;
                        }
                    }
                }
            }
        }
    }
}
