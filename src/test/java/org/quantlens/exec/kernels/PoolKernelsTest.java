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

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class PoolKernelsTest {
    /** 4x4 input 0..15. */
    private static final Tensor X = iota(1, 1, 4, 4);

    @Test
    void maxPoolTakesTheLargestOfEachWindowAndReportsItsFlatIndex() {
        Tensor[] out = run("MaxPool", 2, ExecContext.singleThreaded(), new Tensor[] {X},
                ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        assertArrayEquals(new float[] {5, 7, 13, 15}, out[0].floats());
        assertEquals(DType.INT64, out[1].dtype());
        assertArrayEquals(new long[] {5, 7, 13, 15}, out[1].longs());
        // Column-major: index = h + w * H; element 5 is (h=1, w=1) -> 1 + 4 = 5, 7 is (1, 3) -> 13, 13 is (3, 1) -> 7.
        Tensor[] col = run("MaxPool", 2, ExecContext.singleThreaded(), new Tensor[] {X},
                ints("kernel_shape", 2, 2), ints("strides", 2, 2), Attribute.ofInt("storage_order", 1));
        assertArrayEquals(new long[] {5, 13, 7, 15}, col[1].longs());
    }

    @Test
    void maxPoolIndicesIncludeTheBatchAndChannelOffset() {
        Tensor x = iota(2, 2, 1, 3);
        Tensor[] out = run("MaxPool", 2, ExecContext.singleThreaded(), new Tensor[] {x}, ints("kernel_shape", 1, 3));
        assertArrayEquals(new long[] {2, 5, 8, 11}, out[1].longs());
    }

    @Test
    void paddingNeverWinsAMaxEvenWhenAllValuesAreNegative() {
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 3), -5, -3, -4);
        Tensor y = run1("MaxPool", new Tensor[] {x}, ints("kernel_shape", 2), ints("pads", 1, 1));
        assertArrayEquals(new float[] {-5, -3, -3, -4}, y.floats());
    }

    @Test
    void averagePoolExcludesOrIncludesPaddingInTheDivisor() {
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 3), 3, 6, 9);
        Tensor excl = run1("AveragePool", new Tensor[] {x}, ints("kernel_shape", 2), ints("pads", 1, 1));
        assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, excl.floats());
        Tensor incl = run1("AveragePool", new Tensor[] {x}, ints("kernel_shape", 2), ints("pads", 1, 1),
                Attribute.ofInt("count_include_pad", 1));
        assertArrayEquals(new float[] {1.5f, 4.5f, 7.5f, 4.5f}, incl.floats());
    }

    @Test
    void ceilModeAddsAPartialWindowButDropsOneStartingInTheRightPadding() {
        // in 5, kernel 2, stride 2: floor -> 2 windows, ceil -> 3 (last sees x[4] only).
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 5), 1, 2, 3, 4, 5);
        Tensor floor = run1("AveragePool", new Tensor[] {x}, ints("kernel_shape", 2), ints("strides", 2));
        assertArrayEquals(new float[] {1.5f, 3.5f}, floor.floats());
        Tensor ceil = run1("AveragePool", new Tensor[] {x}, ints("kernel_shape", 2), ints("strides", 2),
                Attribute.ofInt("ceil_mode", 1));
        assertArrayEquals(new float[] {1.5f, 3.5f, 5f}, ceil.floats());
        // in 4, pad end 1, kernel 1, stride 2: ceil((4+1-1)/2)+1 = 3 windows, but the third starts at 4, which is
        // in the right padding (4 >= in + padBegin), so only 2 remain.
        Tensor x4 = Tensor.ofFloats(Shape.of(1, 1, 4), 1, 2, 3, 4);
        Tensor dropped = run1("MaxPool", new Tensor[] {x4}, ints("kernel_shape", 1), ints("strides", 2),
                ints("pads", 0, 1), Attribute.ofInt("ceil_mode", 1));
        assertArrayEquals(new float[] {1, 3}, dropped.floats());
    }

    @Test
    void dilatedMaxPoolSkipsInputs() {
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 5), 9, 0, 1, 8, 2);
        Tensor y = run1("MaxPool", new Tensor[] {x}, ints("kernel_shape", 2), ints("dilations", 2));
        // windows {x0, x2}, {x1, x3}, {x2, x4}
        assertArrayEquals(new float[] {9, 8, 2}, y.floats());
    }

    @Test
    void sameUpperAndLowerPlaceTheOddPadDifferently() {
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 4), 1, 2, 3, 4);
        Tensor upper = run1("AveragePool", new Tensor[] {x}, ints("kernel_shape", 2),
                Attribute.ofString("auto_pad", "SAME_UPPER"));
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 4}, upper.floats());
        Tensor lower = run1("AveragePool", new Tensor[] {x}, ints("kernel_shape", 2),
                Attribute.ofString("auto_pad", "SAME_LOWER"));
        assertArrayEquals(new float[] {1, 1.5f, 2.5f, 3.5f}, lower.floats());
    }

    @Test
    void threeDimensionalPoolsReduceEveryAxis() {
        Tensor x = iota(1, 1, 2, 2, 2);
        Tensor max = run1("MaxPool", new Tensor[] {x}, ints("kernel_shape", 2, 2, 2));
        assertEquals(Shape.of(1, 1, 1, 1, 1), max.shape());
        assertEquals(7f, max.floats()[0]);
        Tensor avg = run1("AveragePool", new Tensor[] {x}, ints("kernel_shape", 2, 2, 2));
        assertEquals(3.5f, avg.floats()[0]);
    }

    @Test
    void globalPoolsReduceEachPlaneToOneValue() {
        Tensor x = iota(2, 3, 2, 2);
        Tensor avg = run1("GlobalAveragePool", new Tensor[] {x});
        assertEquals(Shape.of(2, 3, 1, 1), avg.shape());
        assertArrayEquals(new float[] {1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f}, avg.floats());
        Tensor max = run1("GlobalMaxPool", new Tensor[] {iota(1, 2, 3)});
        assertEquals(Shape.of(1, 2, 1), max.shape());
        assertArrayEquals(new float[] {2, 5}, max.floats());
    }

    @Test
    void rowWisePoolsEqualAWindowByWindowLoopOnRandomShapes() {
        Random rnd = new Random(77);
        for (int c = 0; c < 120; c++) {
            int r = 1 + rnd.nextInt(3);
            int[] x = new int[r + 2];
            x[0] = 1 + rnd.nextInt(2);
            x[1] = 1 + rnd.nextInt(3);
            long[] k = new long[r];
            long[] s = new long[r];
            long[] d = new long[r];
            long[] p = new long[2 * r];
            for (int i = 0; i < r; i++) {
                k[i] = 1 + rnd.nextInt(3);
                s[i] = 1 + rnd.nextInt(3);
                d[i] = 1 + rnd.nextInt(2);
                p[i] = rnd.nextInt((int) k[i]);
                p[i + r] = rnd.nextInt((int) k[i]);
                x[i + 2] = (int) ((k[i] - 1) * d[i] + 1) + rnd.nextInt(r == 3 ? 4 : 20);
            }
            boolean ceil = rnd.nextBoolean();
            boolean include = rnd.nextBoolean();
            Tensor in = random(rnd, x);
            Attribute[] attrs = {ints("kernel_shape", k), ints("strides", s), ints("dilations", d), ints("pads", p),
                Attribute.ofInt("ceil_mode", ceil ? 1 : 0), Attribute.ofInt("count_include_pad", include ? 1 : 0)};
            String what = "x" + java.util.Arrays.toString(x) + " k" + java.util.Arrays.toString(k) + " s"
                    + java.util.Arrays.toString(s) + " d" + java.util.Arrays.toString(d) + " p"
                    + java.util.Arrays.toString(p) + " ceil " + ceil + " include " + include;
            NaivePool.Result expected = NaivePool.pool(in, k, s, d, p, ceil, include);
            Tensor[] max = run("MaxPool", 2, ExecContext.singleThreaded(), new Tensor[] {in}, attrs);
            Tensor avg = run1("AveragePool", new Tensor[] {in}, attrs);
            assertEquals(expected.shape(), max[0].shape(), what);
            assertArrayEquals(expected.max(), max[0].floats(), what);
            assertArrayEquals(expected.argmax(), max[1].longs(), what);
            assertArrayEquals(expected.average(), avg.floats(), what);
            Tensor maxOnly = run1("MaxPool", new Tensor[] {in}, attrs);
            assertArrayEquals(expected.max(), maxOnly.floats(), what);
        }
    }

    @Test
    void twoByTwoFastPathMatchesTheGeneralRowLoopBitForBitIncludingNaNsAndSignedZeros() {
        Random rnd = new Random(5);
        float[] specials = {Float.NaN, Float.intBitsToFloat(0x7fc00123), Float.intBitsToFloat(0xffc00077), -0f, 0f,
            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        int[] widths = {2, 3, 4, 5, 6, 7, 31, 32, 33, 34, 64, 65, 100};
        for (int h = 2; h <= 7; h++) {
            for (int w : widths) {
                float[] x = new float[h * w];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextInt(3) == 0 ? specials[rnd.nextInt(specials.length)] : (float) rnd.nextGaussian();
                }
                ConvGeometry g = ConvGeometry.of(new int[] {h, w}, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {h / 2, w / 2});
                assertTrue(PoolRows.isInBounds2x2(g));
                float[] general = new float[g.outVolume() + 1];
                float[] fast = new float[g.outVolume() + 1];
                PoolRows.pool(g, PoolTaps.of(g), x, 0, general, 1, true);
                PoolRows.max2x2(g, x, 0, fast, 1);
                for (int i = 0; i < fast.length; i++) {
                    // NaN stays NaN (the vector max returns the canonical NaN, not the window's payload)
                    assertEquals(Float.floatToIntBits(general[i]), Float.floatToIntBits(fast[i]),
                            h + "x" + w + " output " + i);
                }
            }
        }
    }

    @Test
    void twoByTwoFastPathIsNotTakenWhenAWindowReachesPaddingOrTheStrideDiffers() {
        ConvGeometry ceil = ConvGeometry.of(new int[] {5, 5}, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, new int[] {3, 3});
        ConvGeometry padded = ConvGeometry.of(new int[] {4, 4}, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {3, 3});
        ConvGeometry overlapping = ConvGeometry.of(new int[] {4, 4}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {3, 3});
        assertTrue(!PoolRows.isInBounds2x2(ceil) && !PoolRows.isInBounds2x2(padded)
                && !PoolRows.isInBounds2x2(overlapping));
    }

    @Test
    void poolsAreBitIdenticalForOneAndTwoThreads() {
        Tensor x = random(new Random(1), 2, 16, 30, 30);
        Attribute[] attrs = {ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)};
        assertTrue(run("AveragePool", 1, ExecContext.withThreads(1), new Tensor[] {x}, attrs)[0]
                .contentEquals(run("AveragePool", 1, ExecContext.withThreads(2), new Tensor[] {x}, attrs)[0]));
        assertTrue(run("MaxPool", 1, ExecContext.withThreads(1), new Tensor[] {x}, attrs)[0]
                .contentEquals(run("MaxPool", 1, ExecContext.withThreads(2), new Tensor[] {x}, attrs)[0]));
    }

    @Test
    void rejectsMissingKernelShapeAndBadAttributes() {
        assertThrows(KernelException.class, () -> run1("MaxPool", new Tensor[] {X}));
        assertThrows(KernelException.class, () -> run1("MaxPool", new Tensor[] {X}, ints("kernel_shape", 2, 2),
                Attribute.ofInt("storage_order", 2)));
        assertThrows(KernelException.class, () -> run1("AveragePool", new Tensor[] {X}, ints("kernel_shape", 2, 2),
                ints("pads", 1, 1)));
        assertThrows(KernelException.class, () -> run1("AveragePool", new Tensor[] {X}, ints("kernel_shape", 5, 5)));
    }
}
