package org.quantlens.exec.kernels;

import java.util.SplittableRandom;

/**
 * A profiling aid, not a test or a benchmark: times {@link Sgemm#multiply} alone (preallocated C, so no output
 * allocation is timed) on the matrix shapes of MobileNetV2's 1x1 convolutions, {@code [Cout x Cin] * [Cin x HW]},
 * one call per whole plane as the convolution's tiles would add up to, and prints the multiply-add rate (best of
 * many calls). Compare with the machine's FMA peak (2 x 16 lanes x clock on AVX-512 with two FMA ports). Run its
 * main with {@code --add-modules jdk.incubator.vector}; optional argument: column tile (default: whole plane).
 */
final class SgemmShapeProfile {
    private SgemmShapeProfile() {
    }

    public static void main(String[] args) {
        int tile = args.length > 0 ? Integer.parseInt(args[0]) : Integer.MAX_VALUE;
        // cout, cin, hw
        int[][] shapes = {{96, 16, 12544}, {16, 32, 12544}, {24, 96, 3136}, {144, 24, 3136}, {24, 144, 3136},
            {192, 32, 784}, {32, 192, 784}, {384, 64, 196}, {64, 384, 196}, {576, 96, 196}, {96, 576, 196},
            {960, 160, 49}, {160, 960, 49}, {320, 960, 49}, {1280, 320, 49},
            // digits_lenet batch 64: conv1 (1 -> 16, 3x3, 16x16) and conv2 (16 -> 32, 3x3, 8x8) as one wide product
            {16, 9, 16384}, {32, 144, 4096}};
        for (int[] s : shapes) {
            profile(s[0], s[1], s[2], Math.min(tile, s[2]));
        }
    }

    private static void profile(int m, int k, int n, int tile) {
        float[] a = random(m * k, 1);
        float[] b = random(k * n, 2);
        float[] bias = random(m, 3);
        float[] c = new float[m * n];
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            for (int j = 0; j < n; j += tile) {
                Sgemm.multiply(m, Math.min(tile, n - j), k, a, 0, k, b, j, n, bias, 0, c, j, n);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("M %5d  K %4d  N %6d  tile %6d  %8.3f ms %7.2f GMAC/s%n", m, k, n, tile, best / 1e6,
                (double) m * n * k / best);
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }
}
