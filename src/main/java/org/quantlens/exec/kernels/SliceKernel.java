package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Slice (ONNX): from opset 10 {@code starts}, {@code ends} and the optional {@code axes} (default: the first
 * len(starts) axes) and {@code steps} (default 1) are inputs; before 10 starts/ends/axes are attributes and steps
 * are 1. Per sliced axis of size n: negative start/end add n; with step &gt; 0 both clamp to [0, n], with step
 * &lt; 0 start clamps to [0, n-1] and end to [-1, n-1]; the length is max(0, ceil((end - start) / step)).
 * KernelException for a zero step, a repeated or out-of-range axis, or starts/ends/axes/steps of different lengths.
 */
final class SliceKernel {
    private SliceKernel() {
    }

    static OpKernel create(Node node, long opset) {
        if (opset < 10) {
            long[] starts = node.attrInts("starts", null);
            long[] ends = node.attrInts("ends", null);
            long[] axes = node.attrInts("axes", null);
            if (starts == null || ends == null) {
                throw new KernelException("Slice-" + opset + " needs the starts and ends attributes");
            }
            return (inputs, ctx) -> new Tensor[] {
                slice(ShapeIndexing.required(inputs, 0, "data"), starts, ends, axes, null)};
        }
        return (inputs, ctx) -> {
            Tensor data = ShapeIndexing.required(inputs, 0, "data");
            long[] starts = ShapeIndexing.integers(ShapeIndexing.required(inputs, 1, "starts"), "starts");
            long[] ends = ShapeIndexing.integers(ShapeIndexing.required(inputs, 2, "ends"), "ends");
            Tensor axes = ShapeIndexing.optional(inputs, 3);
            Tensor steps = ShapeIndexing.optional(inputs, 4);
            return new Tensor[] {slice(data, starts, ends,
                    axes == null ? null : ShapeIndexing.integers(axes, "axes"),
                    steps == null ? null : ShapeIndexing.integers(steps, "steps"))};
        };
    }

    /** The slice of {@code data}; {@code axes} and {@code steps} may be null (defaults above). */
    static Tensor slice(Tensor data, long[] starts, long[] ends, long[] axes, long[] steps) {
        int rank = data.rank();
        int k = starts.length;
        if (ends.length != k || (axes != null && axes.length != k) || (steps != null && steps.length != k)) {
            throw new KernelException("starts, ends, axes and steps differ in length");
        }
        int[] dims = data.shape().dims();
        int[] strides = data.shape().strides();
        long[] first = new long[rank];
        long[] step = new long[rank];
        int[] outDims = dims.clone();
        Arrays.fill(step, 1);
        int[] ax = ShapeIndexing.distinctAxes(axes == null ? defaultAxes(k) : axes, rank, "axis");
        for (int i = 0; i < k; i++) {
            int a = ax[i];
            long s = steps == null ? 1 : steps[i];
            if (s == 0) {
                throw new KernelException("slice step for axis " + a + " is 0");
            }
            long n = dims[a];
            // A step longer than the axis takes at most one element; bounding it keeps the arithmetic in range.
            s = s > 0 ? Math.min(s, n + 1) : Math.max(s, -(n + 1));
            long b = clamp(starts[i] < 0 ? starts[i] + n : starts[i], 0, s > 0 ? n : n - 1);
            long e = clamp(ends[i] < 0 ? ends[i] + n : ends[i], s > 0 ? 0 : -1, s > 0 ? n : n - 1);
            long len = s > 0 ? (e - b + s - 1) / s : (b - e - s - 1) / -s;
            outDims[a] = n == 0 ? 0 : (int) Math.max(0, len);
            first[a] = b;
            step[a] = s;
        }
        int[][] offsets = new int[rank][];
        for (int a = 0; a < rank; a++) {
            offsets[a] = new int[outDims[a]];
            for (int j = 0; j < outDims[a]; j++) {
                offsets[a][j] = (int) (first[a] + j * step[a]) * strides[a];
            }
        }
        return ShapeIndexing.gather(data, Shape.of(outDims), offsets, null);
    }

    private static long[] defaultAxes(int k) {
        long[] a = new long[k];
        for (int i = 0; i < k; i++) {
            a[i] = i;
        }
        return a;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
