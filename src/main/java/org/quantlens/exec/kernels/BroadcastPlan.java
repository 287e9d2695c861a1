package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.tensor.Shape;

/**
 * How two shapes combine under ONNX multidirectional broadcasting (the numpy rules: align from the right, each pair of
 * dimensions must be equal or one of them 1), laid out so that kernels run tight inner loops.
 *
 * <p>The output (C order) is viewed as {@code rows x inner}. Row {@code r} of input A starts at element
 * {@code aRowStart[r]} and walks {@code inner} elements with step {@code aStep}: 1 when A is contiguous along the run,
 * 0 when it repeats one value (the same for B). Dimensions of extent 1 are dropped and neighbours that broadcast the
 * same way are merged, so equal shapes and a scalar operand become one row, and {@code [3,4,5] + [5]} becomes 12 rows
 * of 5 with both steps 1.
 */
record BroadcastPlan(Shape outShape, int rows, int inner, int aStep, int bStep, int[] aRowStart, int[] bRowStart) {

    /** A contiguous run: {@code n} outputs from {@code outStart}, inputs from {@code aStart}/{@code bStart}. */
    @FunctionalInterface
    interface RunBody {
        void run(int aStart, int bStart, int outStart, int n);
    }

    /**
     * The plan for {@code a op b}; throws {@link KernelException} when the shapes do not broadcast.
     */
    static BroadcastPlan of(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] ad = padLeft(a, rank);
        int[] bd = padLeft(b, rank);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (ad[i] == bd[i] || bd[i] == 1) {
                out[i] = ad[i];
            } else if (ad[i] == 1) {
                out[i] = bd[i];
            } else {
                throw new KernelException("shapes " + a + " and " + b + " do not broadcast (dimension " + i + ")");
            }
        }
        Shape outShape = Shape.of(out);
        int total = outShape.numElements();
        if (total == 0) {
            return new BroadcastPlan(outShape, 0, 0, 1, 1, new int[0], new int[0]);
        }
        // Group the dimensions: drop extent-1 dims, merge neighbours where each input is full (or broadcast) in both.
        int[] ext = new int[rank];
        boolean[] aFull = new boolean[rank];
        boolean[] bFull = new boolean[rank];
        int groups = 0;
        for (int i = 0; i < rank; i++) {
            if (out[i] == 1) {
                continue;
            }
            boolean af = ad[i] != 1;
            boolean bf = bd[i] != 1;
            if (groups > 0 && aFull[groups - 1] == af && bFull[groups - 1] == bf) {
                ext[groups - 1] *= out[i];
            } else {
                ext[groups] = out[i];
                aFull[groups] = af;
                bFull[groups] = bf;
                groups++;
            }
        }
        if (groups == 0) {
            return new BroadcastPlan(outShape, 1, 1, 0, 0, new int[] {0}, new int[] {0});
        }
        int inner = ext[groups - 1];
        int rows = total / inner;
        int[] aStride = groupStrides(ext, aFull, groups);
        int[] bStride = groupStrides(ext, bFull, groups);
        return new BroadcastPlan(outShape, rows, inner, aFull[groups - 1] ? 1 : 0, bFull[groups - 1] ? 1 : 0,
                rowStarts(ext, aStride, groups - 1, rows), rowStarts(ext, bStride, groups - 1, rows));
    }

    private static int[] padLeft(Shape s, int rank) {
        int[] d = new int[rank];
        Arrays.fill(d, 1);
        for (int i = 0; i < s.rank(); i++) {
            d[rank - s.rank() + i] = s.dim(i);
        }
        return d;
    }

    /** Element strides of one input per group: 0 where it is broadcast. */
    private static int[] groupStrides(int[] ext, boolean[] full, int groups) {
        int[] stride = new int[groups];
        int acc = 1;
        for (int g = groups - 1; g >= 0; g--) {
            stride[g] = full[g] ? acc : 0;
            acc *= full[g] ? ext[g] : 1;
        }
        return stride;
    }

    /** Start offset of each row: an odometer over the outer groups. */
    static int[] rowStarts(int[] ext, int[] stride, int outerGroups, int rows) {
        int[] starts = new int[rows];
        int[] idx = new int[outerGroups];
        int off = 0;
        for (int r = 0; r < rows; r++) {
            starts[r] = off;
            for (int d = outerGroups - 1; d >= 0; d--) {
                idx[d]++;
                off += stride[d];
                if (idx[d] < ext[d]) {
                    break;
                }
                off -= stride[d] * ext[d];
                idx[d] = 0;
            }
        }
        return starts;
    }

    /**
     * Calls {@code body} for every run of the output, in parallel on {@code ctx} for large outputs. A single row is
     * split into chunks of its run; otherwise whole rows are distributed. Each output element is written by exactly
     * one call, so the result does not depend on the thread count.
     */
    void forEachRun(ExecContext ctx, RunBody body) {
        if (rows == 0) {
            return;
        }
        if (rows == 1) {
            ctx.parallelFor(inner, 1, (s, e) -> body.run(aRowStart[0] + s * aStep, bRowStart[0] + s * bStep, s, e - s));
        } else {
            ctx.parallelFor(rows, inner, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    body.run(aRowStart[r], bRowStart[r], r * inner, inner);
                }
            });
        }
    }
}
