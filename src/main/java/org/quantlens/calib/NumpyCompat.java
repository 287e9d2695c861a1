package org.quantlens.calib;

/**
 * The few NumPy numerics that reference calibrators depend on bit for bit, re-implemented from their documented
 * behaviour so that our results match ONNX Runtime's Python code on float32 data.
 */
public final class NumpyCompat {
    /** NumPy's pairwise-summation block size (PW_BLOCKSIZE). */
    private static final int BLOCK = 128;

    private NumpyCompat() {
    }

    /**
     * {@code np.sum} of a contiguous float32 array: pairwise summation in float32 (blocks of at most 128 elements
     * summed with 8 interleaved accumulators, halves split at a multiple of 8). Sums of fewer than 8 elements are
     * plain left-to-right float sums.
     */
    public static float pairwiseSum(float[] a, int offset, int n) {
        if (n < 8) {
            float res = 0f;
            for (int i = 0; i < n; i++) {
                res += a[offset + i];
            }
            return res;
        }
        if (n <= BLOCK) {
            float r0 = a[offset], r1 = a[offset + 1], r2 = a[offset + 2], r3 = a[offset + 3];
            float r4 = a[offset + 4], r5 = a[offset + 5], r6 = a[offset + 6], r7 = a[offset + 7];
            int i = 8;
            int stop = n - (n % 8);
            for (; i < stop; i += 8) {
                int b = offset + i;
                r0 += a[b];
                r1 += a[b + 1];
                r2 += a[b + 2];
                r3 += a[b + 3];
                r4 += a[b + 4];
                r5 += a[b + 5];
                r6 += a[b + 6];
                r7 += a[b + 7];
            }
            float res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[offset + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, offset, n2) + pairwiseSum(a, offset + n2, n - n2);
    }

    /**
     * {@code np.searchsorted(a, v, side='left')} on a non-decreasing array: the first index i with
     * {@code a[i] >= v}, or {@code n} when there is none.
     */
    public static int searchSortedLeft(double[] a, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * {@code np.linspace(start, stop, num)} evaluated in float32 as NumPy 2 does for float32 start/stop:
     * step = (stop - start) / (num - 1) in float32, y[i] = i * step + start (float32), and y[num-1] = stop.
     * This is how {@code np.histogram(x_float32, bins, range=(float32, float32))} makes its edges.
     */
    public static float[] linspaceFloat32(float start, float stop, int num) {
        float[] y = new float[num];
        int div = num - 1;
        float delta = stop - start;
        float step = div > 0 ? delta / div : Float.NaN;
        for (int i = 0; i < num; i++) {
            y[i] = step == 0f ? (i / (float) div) * delta + start : i * step + start;
        }
        if (num > 1) {
            y[num - 1] = stop;
        }
        return y;
    }

    /**
     * The bin of x in {@code np.histogram} with uniform float32 edges: the index from the linear formula
     * {@code (x - first) / (last - first) * bins} (float32), then corrected by at most one so that
     * {@code edges[i] <= x < edges[i+1]}; the last bin includes the right edge. x must lie in [first, last].
     */
    public static int histogramBin(float x, float[] edges, int bins) {
        float first = edges[0];
        float last = edges[bins];
        float norm = last - first;
        int idx = (int) (((x - first) / norm) * bins);
        if (idx == bins) {
            idx--;
        }
        if (x < edges[idx]) {
            idx--;
        } else if (x >= edges[idx + 1] && idx != bins - 1) {
            idx++;
        }
        return idx;
    }
}
