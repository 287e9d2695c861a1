package org.quantlens.exec.kernels;

/**
 * Per axis and output index, which kernel taps of a window land inside the input: the in-bounds taps of one axis
 * form a contiguous range {@code [lo, hi)} (coordinates grow with the tap), so a pooling loop iterates exactly
 * the valid taps with no per-tap bounds test. Also counts the taps inside the explicitly padded extent
 * {@code [-padBegin, in + padEnd)}, the divisor of AveragePool with {@code count_include_pad=1}.
 */
final class PoolTaps {
    private final int[][] lo = new int[3][];
    private final int[][] hi = new int[3][];
    private final int[][] padded = new int[3][];
    private final int[][] first = new int[3][];

    private PoolTaps() {
    }

    static PoolTaps of(ConvGeometry g) {
        PoolTaps t = new PoolTaps();
        for (int a = 0; a < 3; a++) {
            int outs = g.out()[a];
            t.lo[a] = new int[outs];
            t.hi[a] = new int[outs];
            t.padded[a] = new int[outs];
            t.first[a] = new int[outs];
            for (int o = 0; o < outs; o++) {
                int first = -1;
                int last = -1;
                int inPadded = 0;
                for (int k = 0; k < g.kernel()[a]; k++) {
                    int c = g.inputCoord(a, o, k);
                    if (c >= 0 && c < g.in()[a]) {
                        first = first < 0 ? k : first;
                        last = k;
                    }
                    if (c >= -g.padBegin()[a] && c < g.in()[a] + g.padEnd()[a]) {
                        inPadded++;
                    }
                }
                t.lo[a][o] = first < 0 ? 0 : first;
                t.hi[a][o] = first < 0 ? 0 : last + 1;
                t.padded[a][o] = inPadded;
                t.first[a][o] = g.inputCoord(a, o, t.lo[a][o]);
            }
        }
        return t;
    }

    /** First in-bounds tap on {@code axis} for output index {@code o}. */
    int lo(int axis, int o) {
        return lo[axis][o];
    }

    /** One past the last in-bounds tap (equal to {@link #lo} when none is). */
    int hi(int axis, int o) {
        return hi[axis][o];
    }

    /** Number of in-bounds taps. */
    int valid(int axis, int o) {
        return hi[axis][o] - lo[axis][o];
    }

    /** Input coordinate of the first in-bounds tap (meaningless when there is none). */
    int first(int axis, int o) {
        return first[axis][o];
    }

    /** Per output index on {@code axis}: {@link #first} for all of them (the array itself, not a copy). */
    int[] firsts(int axis) {
        return first[axis];
    }

    /** Per output index on {@code axis}: {@link #valid} for all of them (a new array). */
    int[] valids(int axis) {
        int[] v = new int[hi[axis].length];
        for (int o = 0; o < v.length; o++) {
            v[o] = hi[axis][o] - lo[axis][o];
        }
        return v;
    }

    /** Number of taps inside the input plus its explicit padding. */
    int padded(int axis, int o) {
        return padded[axis][o];
    }
}
