package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quantlens.exec.kernels.KernelTestSupport.ints;
import static org.quantlens.exec.kernels.KernelTestSupport.iota;
import static org.quantlens.exec.kernels.KernelTestSupport.random;
import static org.quantlens.exec.kernels.KernelTestSupport.run;
import static org.quantlens.exec.kernels.KernelTestSupport.run1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ConvKernelTest {

    @Test
    void threeByThreeOnesKernelSumsEachWindowOfA4x4Input() {
        // x = 0..15 as 4x4; each output is the sum of a 3x3 window. Top-left: 0+1+2+4+5+6+8+9+10 = 45; one step
        // right adds 1 to each of 9 values (54); one step down adds 4 to each (81); both (90). Bias 0.5 on top.
        Tensor x = iota(1, 1, 4, 4);
        Tensor w = Tensor.ofFloats(Shape.of(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Tensor b = Tensor.ofFloats(Shape.of(1), 0.5f);
        Tensor y = run1("Conv", new Tensor[] {x, w, b});
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new float[] {45.5f, 54.5f, 81.5f, 90.5f}, y.floats());
    }

    @Test
    void paddingOfOneKeepsTheSizeAndZeroFillsTheBorder() {
        // Corner output (0,0) sees only x[0,0], x[0,1], x[1,0], x[1,1] = 0+1+4+5 = 10.
        Tensor x = iota(1, 1, 4, 4);
        Tensor w = Tensor.ofFloats(Shape.of(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Tensor y = run1("Conv", new Tensor[] {x, w}, ints("pads", 1, 1, 1, 1));
        assertEquals(Shape.of(1, 1, 4, 4), y.shape());
        assertEquals(10f, y.floats()[0]);
        assertEquals(45f, y.floats()[5]);
        // Bottom-right corner: 10 + 11 + 14 + 15 = 50.
        assertEquals(50f, y.floats()[15]);
    }

    @Test
    void sameUpperPutsTheOddPaddingAtTheEndAndSameLowerAtTheBeginning() {
        // 1-D, in = 4, kernel 2, stride 1: out = 4, total pad 1. w = [1, 10] so y[o] = x[o - pb] + 10 x[o - pb + 1].
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 4), 1, 2, 3, 4);
        Tensor w = Tensor.ofFloats(Shape.of(1, 1, 2), 1, 10);
        Tensor upper = run1("Conv", new Tensor[] {x, w}, Attribute.ofString("auto_pad", "SAME_UPPER"));
        Tensor lower = run1("Conv", new Tensor[] {x, w}, Attribute.ofString("auto_pad", "SAME_LOWER"));
        assertArrayEquals(new float[] {21, 32, 43, 4}, upper.floats());
        assertArrayEquals(new float[] {10, 21, 32, 43}, lower.floats());
        Tensor valid = run1("Conv", new Tensor[] {x, w}, Attribute.ofString("auto_pad", "VALID"));
        assertArrayEquals(new float[] {21, 32, 43}, valid.floats());
    }

    @Test
    void autoPadMatchesTheExplicitPadsTheSpecFormulaGives() {
        // H: in 7, kernel 3, stride 2 -> out ceil(7/2) = 4, total pad (4-1)*2 + 3 - 7 = 2 -> 1 + 1.
        // W: in 6, kernel 2, stride 1 -> out 6, total pad 1 -> SAME_LOWER puts it at the beginning: 1 + 0.
        Random rnd = new Random(8);
        Tensor x = random(rnd, 1, 2, 7, 6);
        Tensor w = random(rnd, 3, 2, 3, 2);
        Tensor y = run1("Conv", new Tensor[] {x, w}, Attribute.ofString("auto_pad", "SAME_LOWER"),
                ints("strides", 2, 1), ints("kernel_shape", 3, 2));
        Tensor expected = NaiveConv.conv(x, w, null, 1, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 0});
        assertEquals(Shape.of(1, 3, 4, 6), y.shape());
        assertClose(expected.floats(), y.floats(), 1e-5f, "SAME_LOWER");
    }

    @Test
    void depthwiseLoopEqualsTheDenseConvolutionWithZeroWeightsOutsideTheGroup() {
        // group 4, channel multiplier 2, wide rows so the vector interior is exercised. The dense weight is zero
        // except at the output channel's own input channel; fma with a zero weight adds an exact zero, so both
        // paths must give the same floats.
        Random rnd = new Random(12);
        Tensor x = random(rnd, 2, 4, 9, 45);
        Tensor w = random(rnd, 8, 1, 3, 3);
        Tensor b = random(rnd, 8);
        float[] dense = new float[8 * 4 * 9];
        for (int m = 0; m < 8; m++) {
            System.arraycopy(w.floats(), m * 9, dense, (m * 4 + m / 2) * 9, 9);
        }
        Tensor wDense = Tensor.ofFloats(Shape.of(8, 4, 3, 3), dense);
        for (Attribute[] window : new Attribute[][] {{ints("pads", 1, 1, 1, 1)}, {ints("pads", 0, 2, 1, 0),
                ints("dilations", 1, 2)}, {ints("strides", 2, 3), ints("pads", 1, 1, 1, 1)}}) {
            Attribute[] grouped = Arrays.copyOf(window, window.length + 1);
            grouped[window.length] = Attribute.ofInt("group", 4);
            Tensor depthwise = run1("Conv", new Tensor[] {x, w, b}, grouped);
            Tensor reference = run1("Conv", new Tensor[] {x, wDense, b}, window);
            assertArrayEquals(reference.floats(), depthwise.floats());
        }
    }

    @Test
    void outputsSpanningSeveralIm2colTilesMatchTheNaiveConvolution() {
        // More than 256 output positions per plane, so tiles start in the middle of output rows (2-D) and of
        // output planes (3-D).
        Random rnd = new Random(21);
        Tensor x2 = random(rnd, 2, 3, 30, 37);
        Tensor w2 = random(rnd, 5, 3, 3, 3);
        Tensor y2 = run1("Conv", new Tensor[] {x2, w2}, ints("pads", 1, 2, 1, 0), ints("dilations", 1, 2));
        assertClose(NaiveConv.conv(x2, w2, null, 1, new int[] {1, 1}, new int[] {1, 2}, new int[] {1, 2, 1, 0})
                .floats(), y2.floats(), 1e-5f, "2-D");
        Tensor x3 = random(rnd, 1, 2, 6, 11, 13);
        Tensor w3 = random(rnd, 4, 2, 2, 3, 3);
        Tensor b3 = random(rnd, 4);
        Tensor y3 = run1("Conv", new Tensor[] {x3, w3, b3}, ints("pads", 1, 1, 1, 0, 1, 1));
        assertClose(NaiveConv.conv(x3, w3, b3, 1, new int[] {1, 1, 1}, new int[] {1, 1, 1},
                new int[] {1, 1, 1, 0, 1, 1}).floats(), y3.floats(), 1e-5f, "3-D");
    }

    /** One random configuration: rank, channels, group and the window attributes. */
    private record Case(int[] xDims, int m, int group, int[] kernel, int[] strides, int[] dilations, int[] pads,
                        boolean bias) {
    }

    private static List<Case> randomCases(Random rnd, int count) {
        List<Case> cases = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int r = 1 + rnd.nextInt(3);
            int group = new int[] {1, 1, 2, 3}[rnd.nextInt(4)];
            boolean depthwise = rnd.nextInt(4) == 0;
            int cPerGroup = depthwise ? 1 : 1 + rnd.nextInt(3);
            if (depthwise) {
                group = 1 + rnd.nextInt(4);
            }
            int m = group * (1 + rnd.nextInt(depthwise ? 2 : 5));
            int[] x = new int[r + 2];
            x[0] = 1 + rnd.nextInt(2);
            x[1] = group * cPerGroup;
            int[] k = new int[r];
            int[] s = new int[r];
            int[] d = new int[r];
            int[] p = new int[2 * r];
            for (int i = 0; i < r; i++) {
                k[i] = 1 + rnd.nextInt(r == 3 ? 3 : 4);
                s[i] = 1 + rnd.nextInt(3);
                d[i] = 1 + rnd.nextInt(2);
                p[i] = rnd.nextInt(3);
                p[i + r] = rnd.nextInt(3);
                x[i + 2] = (k[i] - 1) * d[i] + 1 + rnd.nextInt(r == 3 ? 5 : 12);
            }
            cases.add(new Case(x, m, group, k, s, d, p, rnd.nextBoolean()));
        }
        return cases;
    }

    @Test
    void matchesANaiveDirectConvolutionOnRandomShapes() {
        Random rnd = new Random(2026);
        for (Case c : randomCases(rnd, 150)) {
            Tensor x = random(rnd, c.xDims());
            int[] wDims = new int[c.xDims().length];
            wDims[0] = c.m();
            wDims[1] = c.xDims()[1] / c.group();
            System.arraycopy(c.kernel(), 0, wDims, 2, c.kernel().length);
            Tensor w = random(rnd, wDims);
            Tensor b = c.bias() ? random(rnd, c.m()) : null;
            Tensor y = run1("Conv", new Tensor[] {x, w, b}, Attribute.ofInt("group", c.group()),
                    ints("strides", toLongs(c.strides())), ints("dilations", toLongs(c.dilations())),
                    ints("pads", toLongs(c.pads())));
            Tensor expected = NaiveConv.conv(x, w, b, c.group(), c.strides(), c.dilations(), c.pads());
            assertEquals(expected.shape(), y.shape(), c.toString());
            assertClose(expected.floats(), y.floats(), 1e-5f, c.toString());
        }
    }

    @Test
    void resultIsBitIdenticalForOneAndTwoThreads() {
        Random rnd = new Random(5);
        Tensor x = random(rnd, 2, 8, 40, 33);
        Tensor w = random(rnd, 32, 4, 3, 3);
        Tensor b = random(rnd, 32);
        Attribute[] attrs = {Attribute.ofInt("group", 2), ints("pads", 1, 0, 2, 1), ints("strides", 1, 2)};
        Tensor one = run("Conv", 1, ExecContext.withThreads(1), new Tensor[] {x, w, b}, attrs)[0];
        Tensor two = run("Conv", 1, ExecContext.withThreads(2), new Tensor[] {x, w, b}, attrs)[0];
        assertTrue(one.contentEquals(two));
        Tensor dw = random(rnd, 8, 1, 3, 3);
        Attribute[] depthwise = {Attribute.ofInt("group", 8), ints("pads", 1, 1, 1, 1)};
        Tensor dwOne = run("Conv", 1, ExecContext.withThreads(1), new Tensor[] {x, dw}, depthwise)[0];
        Tensor dwTwo = run("Conv", 1, ExecContext.withThreads(2), new Tensor[] {x, dw}, depthwise)[0];
        assertTrue(dwOne.contentEquals(dwTwo));
    }

    @Test
    void pointwiseConvolutionIsAChannelMatrixProduct() {
        // 1x1 kernel: y[m, p] = sum_c w[m, c] x[c, p]; x = [[1, 2], [3, 4]] (2 channels, 2 pixels).
        Tensor x = Tensor.ofFloats(Shape.of(1, 2, 1, 2), 1, 2, 3, 4);
        Tensor w = Tensor.ofFloats(Shape.of(3, 2, 1, 1), 1, 0, 0, 1, 1, 1);
        Tensor y = run1("Conv", new Tensor[] {x, w});
        assertArrayEquals(new float[] {1, 2, 3, 4, 4, 6}, y.floats());
    }

    @Test
    void rejectsBadAttributesAndMismatchedShapes() {
        Tensor x = iota(1, 4, 5, 5);
        Tensor w = iota(2, 2, 3, 3);
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w}, ints("strides", 0, 1)));
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w},
                Attribute.ofString("auto_pad", "SAME")));
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w}, Attribute.ofInt("group", 0)));
        // 4 channels but W expects 2 per group with group 1.
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w}));
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w},
                Attribute.ofInt("group", 2), ints("kernel_shape", 2, 2)));
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {iota(1, 4, 2, 2), w},
                Attribute.ofInt("group", 2)));
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w},
                Attribute.ofInt("group", 2), ints("dilations", 1, 1, 1)));
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w},
                Attribute.ofInt("group", 2), ints("pads", 1, 1)));
        // Hostile sizes must be refused, not overflow int arithmetic.
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w}, Attribute.ofInt("group", 2),
                ints("pads", 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE)));
        assertThrows(KernelException.class, () -> run1("Conv", new Tensor[] {x, w}, Attribute.ofInt("group", 2),
                ints("pads", 70_000, 70_000, 70_000, 70_000)));
    }

    private static long[] toLongs(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }

    static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float limit = tol * Math.max(1f, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= limit)) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }
}
