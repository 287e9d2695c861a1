package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;

/**
 * The fast depthwise kernel against the reference {@link ConvDepthwise}: bit-exact for finite weights (random
 * biases keep every accumulator away from a signed zero, the one stated difference).
 */
class ConvDepthwise2dTest {
    /** Runs both kernels on one random case and asserts identical floats. */
    private static void assertMatchesReference(Random rnd, int batch, int channels, int mult, int inH, int inW,
                                               int[] k, int[] s, int[] d, int[] pb, int[] pe, ExecContext ctx) {
        int[] out = new int[2];
        int[] in = {inH, inW};
        for (int a = 0; a < 2; a++) {
            out[a] = (in[a] + pb[a] + pe[a] - ((k[a] - 1) * d[a] + 1)) / s[a] + 1;
        }
        if (out[0] <= 0 || out[1] <= 0) {
            return;
        }
        ConvGeometry g = ConvGeometry.of(in, k, s, d, pb, pe, out);
        int m = channels * mult;
        float[] x = ConvReference.random(rnd, batch * channels * inH * inW);
        float[] w = ConvReference.random(rnd, m * k[0] * k[1]);
        float[] bias = ConvReference.random(rnd, m);
        // The reference accumulates onto the bias; the fast kernel starts from it and only writes (garbage in y
        // beforehand must not matter).
        float[] expected = new float[batch * m * out[0] * out[1]];
        for (int p = 0; p < batch * m; p++) {
            Arrays.fill(expected, p * out[0] * out[1], (p + 1) * out[0] * out[1], bias[p % m]);
        }
        float[] y = ConvReference.random(rnd, expected.length);
        ConvDepthwise.run(g, x, w, expected, batch, channels, mult, ExecContext.singleThreaded());
        ConvDepthwise2d.run(g, x, w, bias, ConvClamp.NONE, y, batch, channels, mult, ctx);
        assertArrayEquals(expected, y, "in " + Arrays.toString(in) + " k " + Arrays.toString(k) + " s "
                + Arrays.toString(s) + " d " + Arrays.toString(d) + " pads " + Arrays.toString(pb)
                + Arrays.toString(pe));
    }

    @Test
    void mobileNetThreeByThreeLayersMatchTheReferenceBitForBit() {
        Random rnd = new Random(1);
        int[] one = {1, 1};
        int[] pad = {1, 1};
        for (int size : new int[] {7, 14, 28, 56, 112, 3, 1}) {
            for (int stride : new int[] {1, 2}) {
                assertMatchesReference(rnd, 1, 5, 1, size, size, new int[] {3, 3}, new int[] {stride, stride}, one,
                        pad, pad, ExecContext.singleThreaded());
            }
        }
    }

    @Test
    void anyKernelStrideDilationAndPaddingMatchesTheReference() {
        Random rnd = new Random(2);
        for (int c = 0; c < 300; c++) {
            int[] k = {1 + rnd.nextInt(5), 1 + rnd.nextInt(5)};
            int[] s = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] d = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] pb = {rnd.nextInt(3), rnd.nextInt(3)};
            int[] pe = {rnd.nextInt(4), rnd.nextInt(4)};
            assertMatchesReference(rnd, 1 + rnd.nextInt(2), 1 + rnd.nextInt(3), 1 + rnd.nextInt(2),
                    1 + rnd.nextInt(20), 1 + rnd.nextInt(40), k, s, d, pb, pe, ExecContext.singleThreaded());
        }
    }

    @Test
    void oneDimensionalWindowsMatchTheReference() {
        Random rnd = new Random(3);
        for (int len : new int[] {1, 5, 17, 40}) {
            int[] in = {len};
            int[] k = {3};
            int[] out = {(len + 2 - 3) / 2 + 1};
            ConvGeometry g = ConvGeometry.of(in, k, new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}, out);
            float[] x = ConvReference.random(rnd, 2 * len);
            float[] w = ConvReference.random(rnd, 6 * 3);
            float[] bias = ConvReference.random(rnd, 6);
            float[] y = new float[2 * 3 * out[0]];
            float[] expected = new float[y.length];
            for (int p = 0; p < 6; p++) {
                Arrays.fill(expected, p * out[0], (p + 1) * out[0], bias[p]);
            }
            ConvDepthwise.run(g, x, w, expected, 1, 2, 3, ExecContext.singleThreaded());
            ConvDepthwise2d.run(g, x, w, bias, ConvClamp.NONE, y, 1, 2, 3, ExecContext.singleThreaded());
            assertArrayEquals(expected, y, "length " + len);
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        Random rnd = new Random(4);
        int[] three = {3, 3};
        int[] one = {1, 1};
        assertMatchesReference(rnd, 2, 64, 1, 30, 30, three, new int[] {2, 2}, one, one, one,
                ExecContext.withThreads(3));
        assertMatchesReference(rnd, 1, 48, 2, 9, 9, three, one, one, one, one, ExecContext.withThreads(2));
    }

    @Test
    void windowsLyingWhollyInThePaddingGiveTheBias() {
        // Pads wider than the plane: some output rows and columns (or all) see only padding; nothing may be
        // copied out of bounds and those outputs are the bias plus w * 0 taps.
        Random rnd = new Random(12);
        int[] one = {1, 1};
        assertMatchesReference(rnd, 1, 3, 1, 2, 3, new int[] {1, 1}, new int[] {1, 1}, one, new int[] {5, 20},
                new int[] {4, 18}, ExecContext.singleThreaded());
        assertMatchesReference(rnd, 1, 2, 1, 3, 2, new int[] {3, 3}, new int[] {2, 2}, one, new int[] {6, 30},
                new int[] {6, 30}, ExecContext.singleThreaded());
        assertMatchesReference(rnd, 2, 2, 2, 14, 14, new int[] {3, 3}, one, one, new int[] {1, 17},
                new int[] {1, 17}, ExecContext.withThreads(2));
    }

    @Test
    void threeByThreeOnesSumTheZeroPaddedWindow() {
        // 3x3 input 1..9, all-ones kernel, pad 1, bias 0: the centre output is 45, the corner 1+2+4+5 = 12.
        ConvGeometry g = ConvGeometry.of(new int[] {3, 3}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {3, 3});
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = new float[9];
        Arrays.fill(w, 1f);
        float[] y = new float[9];
        ConvDepthwise2d.run(g, x, w, new float[1], ConvClamp.NONE, y, 1, 1, 1, ExecContext.singleThreaded());
        assertEquals(45f, y[4]);
        assertEquals(12f, y[0]);
        assertEquals(28f, y[8]);
    }

    /**
     * The fresh-JVM twin (plain loops, see VectorWarmUp) gives the vector kernel's bits, including the padded taps'
     * w*0 terms, on MobileNet's shapes and random ones, with a fused clamp.
     */
    @Test
    void plainLoopsGiveTheVectorKernelsBits() {
        Random rnd = new Random(5);
        for (int c = 0; c < 120; c++) {
            int[] k = c < 20 ? new int[] {3, 3} : new int[] {1 + rnd.nextInt(5), 1 + rnd.nextInt(5)};
            int[] s = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] d = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] pb = {rnd.nextInt(3), rnd.nextInt(3)};
            int[] pe = {rnd.nextInt(3), rnd.nextInt(3)};
            int[] in = {1 + rnd.nextInt(30), 1 + rnd.nextInt(40)};
            int[] out = new int[2];
            for (int a = 0; a < 2; a++) {
                out[a] = (in[a] + pb[a] + pe[a] - ((k[a] - 1) * d[a] + 1)) / s[a] + 1;
            }
            if (out[0] <= 0 || out[1] <= 0) {
                continue;
            }
            ConvGeometry g = ConvGeometry.of(in, k, s, d, pb, pe, out);
            int batch = 1 + rnd.nextInt(2);
            int channels = 1 + rnd.nextInt(4);
            int mult = 1 + rnd.nextInt(2);
            float[] x = ConvReference.random(rnd, batch * channels * in[0] * in[1]);
            float[] w = ConvReference.random(rnd, channels * mult * k[0] * k[1]);
            float[] bias = ConvReference.random(rnd, channels * mult);
            ConvClamp clamp = c % 2 == 0 ? ConvClamp.NONE : new ConvClamp(0f, 0.5f);
            float[] vector = ConvReference.random(rnd, batch * channels * mult * out[0] * out[1]);
            float[] plain = ConvReference.random(rnd, vector.length);
            ConvDepthwise2d.run(g, x, w, bias, clamp, vector, batch, channels, mult, ExecContext.singleThreaded(),
                    false);
            ConvDepthwise2d.run(g, x, w, bias, clamp, plain, batch, channels, mult, ExecContext.withThreads(2), true);
            assertArrayEquals(vector, plain, "case " + c);
        }
    }

    /**
     * A fused clamp gives exactly the reference followed by a separate clamp pass, on wide rows (written straight
     * to y, with an overlapping last vector for odd widths), short rows and stride 2, on 1 and 2 threads.
     */
    @Test
    void fusedClampEqualsReferenceThenClamp() {
        Random rnd = new Random(6);
        ConvClamp relu6 = new ConvClamp(0f, 6f);
        ConvClamp tight = new ConvClamp(-0.25f, 0.3f);
        int[] one = {1, 1};
        for (int size : new int[] {112, 57, 33, 17, 16, 15, 14, 7}) {
            for (int stride : new int[] {1, 2}) {
                for (ConvClamp clamp : new ConvClamp[] {relu6, tight}) {
                    int[] in = {size + 1, size};
                    int[] k = {3, 3};
                    int[] s = {stride, stride};
                    int[] out = {(in[0] + 2 - 3) / stride + 1, (in[1] + 2 - 3) / stride + 1};
                    ConvGeometry g = ConvGeometry.of(in, k, s, one, one, one, out);
                    int channels = 3;
                    float[] x = ConvReference.random(rnd, 2 * channels * in[0] * in[1]);
                    float[] w = ConvReference.random(rnd, channels * 9);
                    float[] bias = ConvReference.random(rnd, channels);
                    float[] expected = new float[2 * channels * out[0] * out[1]];
                    for (int p = 0; p < 2 * channels; p++) {
                        Arrays.fill(expected, p * out[0] * out[1], (p + 1) * out[0] * out[1], bias[p % channels]);
                    }
                    ConvDepthwise.run(g, x, w, expected, 2, channels, 1, ExecContext.singleThreaded());
                    clamp.apply(expected, 0, expected.length);
                    for (int threads : new int[] {1, 2}) {
                        float[] y = ConvReference.random(rnd, expected.length);
                        ConvDepthwise2d.run(g, x, w, bias, clamp, y, 2, channels, 1, ExecContext.withThreads(threads),
                                false);
                        assertArrayEquals(expected, y, "size " + size + " stride " + stride + " clamp " + clamp
                                + " threads " + threads);
                    }
                }
            }
        }
    }

    /**
     * 3x3 stride 2 with wide output rows: every combination of begin and end pads 0-2 on both axes and even and
     * odd plane sizes matches the reference, on 1 and 2 threads.
     */
    @Test
    void strideTwoThreeByThreeWithAnyPaddingMatchesTheReference() {
        Random rnd = new Random(8);
        int[] k = {3, 3};
        int[] s = {2, 2};
        int[] one = {1, 1};
        for (int width : new int[] {32, 33, 34, 35, 48, 63}) {
            for (int pb = 0; pb <= 2; pb++) {
                for (int pe = 0; pe <= 2; pe++) {
                    int[] begin = {pe, pb};
                    int[] end = {pb, pe};
                    assertMatchesReference(rnd, 1 + rnd.nextInt(2), 2, 1 + rnd.nextInt(2), 5 + rnd.nextInt(6), width,
                            k, s, one, begin, end, ExecContext.withThreads(1 + rnd.nextInt(2)));
                }
            }
        }
    }

    /**
     * Strided windows (stored as polyphase planes) on the vector path and on its plain twin, called directly so the
     * fresh-JVM warm-up cannot hide either: any stride 1-3 per axis, kernel, dilation and padding, and MobileNet's
     * stride-2 layers (112, 56, 28, 14 wide, even and odd sizes), bit-identical to the reference.
     */
    @Test
    void stridedWindowsMatchTheReferenceOnTheVectorPathAndItsPlainTwin() {
        Random rnd = new Random(9);
        int[] three = {3, 3};
        int[] one = {1, 1};
        for (int size : new int[] {112, 111, 56, 28, 14, 13}) {
            for (boolean plain : new boolean[] {false, true}) {
                assertDirectCallMatchesReference(rnd, 1, 4, 1, new int[] {size, size}, three, new int[] {2, 2}, one,
                        one, one, plain);
            }
        }
        for (int c = 0; c < 300; c++) {
            int[] k = {1 + rnd.nextInt(4), 1 + rnd.nextInt(4)};
            int[] s = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] d = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] pb = {rnd.nextInt(3), rnd.nextInt(3)};
            int[] pe = {rnd.nextInt(3), rnd.nextInt(3)};
            int[] in = {1 + rnd.nextInt(24), 1 + rnd.nextInt(80)};
            assertDirectCallMatchesReference(rnd, 1 + rnd.nextInt(2), 1 + rnd.nextInt(3), 1 + rnd.nextInt(2), in, k,
                    s, d, pb, pe, c % 2 == 0);
        }
    }

    /** {@link #assertMatchesReference} through the explicit vector-or-plain entry point, on 2 threads. */
    private static void assertDirectCallMatchesReference(Random rnd, int batch, int channels, int mult, int[] in,
                                                         int[] k, int[] s, int[] d, int[] pb, int[] pe,
                                                         boolean plain) {
        int[] out = new int[2];
        for (int a = 0; a < 2; a++) {
            out[a] = (in[a] + pb[a] + pe[a] - ((k[a] - 1) * d[a] + 1)) / s[a] + 1;
        }
        if (out[0] <= 0 || out[1] <= 0) {
            return;
        }
        ConvGeometry g = ConvGeometry.of(in, k, s, d, pb, pe, out);
        int m = channels * mult;
        float[] x = ConvReference.random(rnd, batch * channels * in[0] * in[1]);
        float[] w = ConvReference.random(rnd, m * k[0] * k[1]);
        float[] bias = ConvReference.random(rnd, m);
        float[] expected = new float[batch * m * out[0] * out[1]];
        for (int p = 0; p < batch * m; p++) {
            Arrays.fill(expected, p * out[0] * out[1], (p + 1) * out[0] * out[1], bias[p % m]);
        }
        ConvDepthwise.run(g, x, w, expected, batch, channels, mult, ExecContext.singleThreaded());
        float[] y = ConvReference.random(rnd, expected.length);
        ConvDepthwise2d.run(g, x, w, bias, ConvClamp.NONE, y, batch, channels, mult, ExecContext.withThreads(2),
                plain);
        assertArrayEquals(expected, y, "in " + Arrays.toString(in) + " k " + Arrays.toString(k) + " s "
                + Arrays.toString(s) + " d " + Arrays.toString(d) + " pads " + Arrays.toString(pb)
                + Arrays.toString(pe) + " plain " + plain);
    }
}
