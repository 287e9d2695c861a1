package org.quantlens.exec.kernels;

import java.util.Arrays;
import java.util.Random;

/**
 * Shared by the convolution and matrix-product tests: random operands, and the definition every fast convolution
 * path is held to bit for bit: fill each output plane with its bias, unfold the whole plane ({@link Im2col}), run
 * {@link SgemmReference} (one fused multiply-add chain per output, input channels outer, taps inner), then clamp.
 */
final class ConvReference {
    private ConvReference() {
    }

    /** n uniform values in [-1, 1). */
    static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** The defining convolution: bias, then the im2col + reference product per group, then the clamp. */
    static float[] conv(ConvGeometry g, float[] x, float[] w, float[] bias, ConvClamp clamp, int batch, int channels,
                        int m, int group) {
        int cPerGroup = channels / group;
        int mPerGroup = m / group;
        int k = cPerGroup * g.kernelVolume();
        int outVol = g.outVolume();
        float[] y = new float[batch * m * outVol];
        float[] col = new float[k * outVol];
        for (int n = 0; n < batch; n++) {
            for (int gi = 0; gi < group; gi++) {
                for (int r = 0; r < mPerGroup; r++) {
                    int off = (n * m + gi * mPerGroup + r) * outVol;
                    Arrays.fill(y, off, off + outVol, bias[gi * mPerGroup + r]);
                }
                Im2col.unfold(g, x, (n * channels + gi * cPerGroup) * g.inVolume(), cPerGroup, 0, outVol, col);
                SgemmReference.multiplyAdd(mPerGroup, outVol, k, w, gi * mPerGroup * k, k, col, 0, outVol, y,
                        (n * m + gi * mPerGroup) * outVol, outVol);
            }
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.min(clamp.max(), Math.max(y[i], clamp.min()));
        }
        return y;
    }

    /** A stride-1, dilation-1 2-D window over h x wd with pads {top, left, bottom, right}. */
    static ConvGeometry stride1(int h, int wd, int kh, int kw, int[] pads) {
        int outH = h + pads[0] + pads[2] - kh + 1;
        int outW = wd + pads[1] + pads[3] - kw + 1;
        return ConvGeometry.of(new int[] {h, wd}, new int[] {kh, kw}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {pads[0], pads[1]}, new int[] {pads[2], pads[3]}, new int[] {outH, outW});
    }
}
