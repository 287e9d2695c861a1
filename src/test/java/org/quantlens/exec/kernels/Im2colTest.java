package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Im2colTest {
    @Test
    void everyEntryIsTheInputUnderItsTapOrZeroInThePaddingForWholeTilesAndPartialTiles() {
        Random rnd = new Random(3);
        int checked = 0;
        while (checked < 300) {
            int inD = 1 + rnd.nextInt(2);
            int[] in = {inD, 1 + rnd.nextInt(6), 1 + rnd.nextInt(6)};
            int[] k = {1, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] s = {1, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] d = {1, 1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] pb = {0, rnd.nextInt(3), rnd.nextInt(3)};
            // A depth end pad on a depth-1 input gives several output depths: must not take the 2-D shortcut.
            int[] pe = {rnd.nextInt(2), rnd.nextInt(3), rnd.nextInt(3)};
            int[] out = new int[3];
            for (int a = 0; a < 3; a++) {
                out[a] = (in[a] + pb[a] + pe[a] - ((k[a] - 1) * d[a] + 1)) / s[a] + 1;
            }
            if (out[0] < 1 || out[1] < 1 || out[2] < 1) {
                continue;
            }
            ConvGeometry g = ConvGeometry.of(in, k, s, d, pb, pe, out);
            int outVol = g.outVolume();
            int j0 = rnd.nextBoolean() ? 0 : rnd.nextInt(outVol);
            int j1 = rnd.nextBoolean() ? outVol : j0 + 1 + rnd.nextInt(outVol - j0);
            checkUnfold(g, 2, j0, j1);
            checked++;
        }
    }

    @Test
    void longStrideTwoRowsAreTheInputUnderEachTap() {
        // MobileNet's first layer: rows of 16+ stride-2 outputs take the vector pick; widths around whole vectors,
        // both pads, whole and partial tiles, the last channel's last row at the very end of X.
        Random rnd = new Random(4);
        for (int inW : new int[] {31, 32, 33, 34, 63, 64, 65, 97, 224}) {
            for (int pad = 0; pad <= 1; pad++) {
                int[] in = {1, 5, inW};
                int[] out = {1, (5 + 2 * pad - 3) / 2 + 1, (inW + 2 * pad - 3) / 2 + 1};
                ConvGeometry g = ConvGeometry.of(in, new int[] {1, 3, 3}, new int[] {1, 2, 2}, new int[] {1, 1, 1},
                        new int[] {0, pad, pad}, new int[] {0, pad, pad}, out);
                int outVol = g.outVolume();
                checkUnfold(g, 3, 0, outVol);
                int j0 = rnd.nextInt(outVol);
                checkUnfold(g, 3, j0, j0 + 1 + rnd.nextInt(outVol - j0));
            }
        }
    }

    private static void checkUnfold(ConvGeometry g, int channels, int j0, int j1) {
        float[] x = new float[channels * g.inVolume()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        float[] col = new float[channels * g.kernelVolume() * (j1 - j0)];
        java.util.Arrays.fill(col, -1f);
        Im2col.unfold(g, x, 0, channels, j0, j1, col);
        int[] o = g.out();
        int[] in = g.in();
        for (int c = 0; c < channels; c++) {
            for (int tap = 0; tap < g.kernelVolume(); tap++) {
                int kh = tap / g.kernel()[2];
                int kw = tap % g.kernel()[2];
                for (int j = j0; j < j1; j++) {
                    int od = j / (o[1] * o[2]);
                    int id = g.inputCoord(0, od, 0);
                    int ih = g.inputCoord(1, j / o[2] % o[1], kh);
                    int iw = g.inputCoord(2, j % o[2], kw);
                    boolean inside = id >= 0 && id < in[0] && ih >= 0 && ih < in[1] && iw >= 0 && iw < in[2];
                    float expected = inside ? x[c * g.inVolume() + (id * in[1] + ih) * in[2] + iw] : 0f;
                    int row = c * g.kernelVolume() + tap;
                    assertEquals(expected, col[row * (j1 - j0) + j - j0], g + " channel " + c + " tap " + tap
                            + " output " + j);
                }
            }
        }
    }
}
