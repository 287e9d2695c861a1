package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * How {@link ConvDepthwise2d} stores an input plane: a zero-bordered plane, {@code fullRows x fullWidth},
 * covering every tap of every output. With unit strides
 * it is stored as it is ({@code width == fullWidth}). With strides {@code (sh, sw)} it is stored as its
 * {@code sh * sw} polyphase planes: cell {@code (r, c)} goes to phase {@code (r mod sh, c mod sw)}, row
 * {@code r / sh}, column {@code c / sw}, each phase {@code ceil(fullRows / sh) x width} with {@code width =
 * ceil(fullWidth / sw)}. Output {@code (oh, ow)} then sits at cell {@code (oh * sh, ow * sw)}, i.e. at index
 * {@code oh * width + ow} of phase (0, 0), and its tap {@code (kh, kw)} at that index plus {@code
 * tapOffsets[t]} = the index of cell {@code (kh * dh, kw * dw)}: a strided window becomes a unit-stride sweep
 * over consecutive outputs, and only the outputs are computed. Phases start {@code phaseStride} apart: with
 * strides, a vector past each phase's size, where narrow rows' zero lanes may spill (see {@link
 * #copyPhasedRow}). A vector of slack follows the phases.
 */
record DepthwiseLayout(ConvGeometry g, int fullRows, int fullWidth, int width, int phaseStride, int[] tapOffsets,
                       int sweep, int[] copyColumns) {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    private static final FloatVector ZERO = FloatVector.zero(SPECIES);

    static DepthwiseLayout of(ConvGeometry g) {
        int[] k = g.kernel();
        int[] s = g.stride();
        int[] d = g.dilation();
        int fullRows = (g.out()[1] - 1) * s[1] + (k[1] - 1) * d[1] + 1;
        int fullWidth = (g.out()[2] - 1) * s[2] + (k[2] - 1) * d[2] + 1;
        int width = (fullWidth + s[2] - 1) / s[2];
        int phaseStride = (fullRows + s[1] - 1) / s[1] * width + (s[1] * s[2] == 1 ? 0 : VL);
        int[] offsets = new int[k[1] * k[2]];
        for (int kh = 0; kh < k[1]; kh++) {
            for (int kw = 0; kw < k[2]; kw++) {
                offsets[kh * k[2] + kw] = cell(kh * d[1], kw * d[2], s, width, phaseStride);
            }
        }
        // Every output row is swept flat: the columns between outW and width are computed and dropped.
        int flat = (g.out()[1] - 1) * width + g.out()[2];
        // The copied columns [lo, hi) of each row (those over the input): where lo, lo + 1 and hi - 1 go
        // within a stored row, worked out once here rather than per row or per plane.
        int lo = Math.max(0, g.padBegin()[2]);
        int hi = Math.max(lo + 1, Math.min(fullWidth, g.padBegin()[2] + g.in()[2]));
        int[] columns = new int[3];
        int[] at = {lo, lo + 1, hi - 1};
        for (int i = 0; i < 3; i++) {
            columns[i] = (at[i] % s[2]) * phaseStride + at[i] / s[2];
        }
        return new DepthwiseLayout(g, fullRows, fullWidth, width, phaseStride, offsets, roundUp(flat), columns);
    }

    /** Index of cell {@code (r, c)} of the zero-bordered plane in the (polyphase) storage. */
    private static int cell(int r, int c, int[] s, int width, int phaseStride) {
        return ((r % s[1]) * s[2] + c % s[2]) * phaseStride + (r / s[1]) * width + c / s[2];
    }

    private static int roundUp(int n) {
        return (n + VL - 1) / VL * VL;
    }

    private boolean unitStrides() {
        return g.stride()[1] == 1 && g.stride()[2] == 1;
    }

    /** Output rows at least a vector wide: {@code ConvDepthwise2d.directRows} writes y itself. */
    boolean direct() {
        return g.out()[2] >= VL;
    }

    /**
     * A 3x3 window with row stride 2 and row dilation 1: kernel row 2 of an output row is stored one row after
     * its kernel row 0, in the same phase ({@code ConvDepthwise2d.strideTwoRowPairs9}).
     */
    boolean strideTwoRowPairs() {
        return g.kernel()[1] == 3 && g.kernel()[2] == 3 && g.stride()[1] == 2 && g.dilation()[1] == 1;
    }

    /** Consecutive kernel rows lie one stored row apart (unit height stride and dilation). */
    boolean consecutiveRows() {
        return g.stride()[1] == 1 && g.dilation()[1] == 1;
    }

    int paddedSize() {
        return g.stride()[1] * g.stride()[2] * phaseStride + 2 * VL;
    }

    /**
     * Copies input plane {@code xOff} into the interior of {@code padded}: the cells that lie over the input.
     * The border and the slack are never written here, so they stay as the caller zeroed them. Rows go in
     * increasing order (narrow rows may leave zeros in later rows, see {@link #copyPhasedRow}).
     */
    void copyInterior(float[] x, int xOff, float[] padded, boolean plain) {
        int inH = g.in()[1];
        int inW = g.in()[2];
        int padTop = g.padBegin()[1];
        int padLeft = g.padBegin()[2];
        int lo = Math.max(0, padLeft);
        int hi = Math.max(lo, Math.min(fullWidth, padLeft + inW));
        int r0 = padTop;
        int r1 = Math.min(fullRows, padTop + inH);
        if (hi == lo) {
            // The window never reaches the input columns (padding wider than the plane): nothing to copy.
            return;
        }
        if (unitStrides()) {
            for (int r = r0; r < r1; r++) {
                copyUnitRow(x, xOff + (r - padTop) * inW - padLeft + lo, padded, r * width + lo, hi - lo, plain);
            }
            return;
        }
        for (int r = r0; r < r1; r++) {
            int rowStart = (r % g.stride()[1]) * g.stride()[2] * phaseStride + (r / g.stride()[1]) * width;
            copyPhasedRow(x, xOff + (r - padTop) * inW - padLeft + lo, padded, rowStart, lo, hi, plain);
        }
    }

    /** Index of cell {@code (r, c)} minus that of {@code (r, 0)}: column c's phase and place in it. */
    private int column(int c) {
        return (c % g.stride()[2]) * phaseStride + c / g.stride()[2];
    }

    private void copyUnitRow(float[] x, int src, float[] padded, int dst, int length, boolean plain) {
        if (!plain && length <= VL && src + VL <= x.length) {
            // Short rows (14 or 7 wide) as one vector; the lanes past the row are then zeroed by a vector
            // store at the row's end. That store reaches at most into later rows (rewritten afterwards, or
            // border, which must be zero) and stays inside the plane's slack of 2 vectors.
            FloatVector.fromArray(SPECIES, x, src).intoArray(padded, dst);
            ZERO.intoArray(padded, dst + length);
        } else {
            ConvDepthwise2d.copy(x, src, padded, dst, length);
        }
    }

    /**
     * Columns {@code [lo, hi)} of the plane row stored from {@code rowStart}, read from {@code x[src...]}, to
     * their phases.
     */
    private void copyPhasedRow(float[] x, int src, float[] padded, int rowStart, int lo, int hi, boolean plain) {
        int sw = g.stride()[2];
        int[] cols = copyColumns;
        if (sw == 1) {
            ConvDepthwise2d.copy(x, src, padded, rowStart + cols[0], hi - lo);
        } else if (sw == 2) {
            // Columns lo, lo + 2, ... go to one phase, lo + 1, lo + 3, ... to the other.
            int pairs = (hi - lo) / 2;
            if (!plain && pairs < VL && src + 2 * VL <= x.length) {
                // Narrow rows as whole vectors whose lanes past the row are zero: those land on this row's
                // border, on later rows of the same phase (rewritten afterwards, or border) or in the vector
                // after the phase; the odd last column, if any, is written after them.
                EvenLanes.splitNarrow(x, src, pairs, padded, rowStart + cols[0], padded, rowStart + cols[1]);
            } else {
                EvenLanes.split(x, src, pairs, padded, rowStart + cols[0], padded, rowStart + cols[1], plain);
            }
            if ((hi - lo) % 2 != 0) {
                padded[rowStart + cols[2]] = x[src + hi - 1 - lo];
            }
        } else {
            for (int c = lo; c < hi; c++) {
                padded[rowStart + column(c)] = x[src + c - lo];
            }
        }
    }
}
