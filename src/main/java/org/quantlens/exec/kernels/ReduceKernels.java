package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernels: ReduceMean (ONNX spec), on float32 and float64.
 *
 * <p>{@code mean = sum / count} over the reduced axes; the sum is accumulated in double in C order and the result
 * rounded once to the input type. The axes are the {@code axes} attribute before opset 18 and the optional int64
 * {@code axes} input from 18 on; negative axes count from the back, a repeated axis is an error. No axes (absent or
 * empty) means every axis, unless {@code noop_with_empty_axes=1} (opset 18+), which returns the input unchanged.
 * {@code keepdims} (default 1) keeps reduced axes as size 1; otherwise they are removed. Reducing over zero elements
 * gives NaN (0/0), as numpy's mean.
 */
public final class ReduceKernels {
    private ReduceKernels() {
    }

    public static void register(KernelRegistry registry) {
        registry.register("ReduceMean", ReduceKernels::reduceMean);
    }

    private static OpKernel reduceMean(Node node, long opset) {
        boolean keepDims = node.attrInt("keepdims", 1) != 0;
        boolean axesFromInput = opset >= 18;
        boolean noopWhenEmpty = axesFromInput && node.attrInt("noop_with_empty_axes", 0) != 0;
        long[] attrAxes = axesFromInput ? null : node.attrInts("axes", null);
        return (inputs, ctx) -> {
            Tensor x = ElementwiseNumbers.required(inputs, 0, "data");
            ElementwiseNumbers.requireType("ReduceMean", x, DType.FLOAT32, DType.FLOAT64);
            long[] axes = attrAxes;
            if (axesFromInput) {
                Tensor t = ElementwiseNumbers.optional(inputs, 1);
                if (t != null && t.dtype() != DType.INT64) {
                    throw new KernelException("ReduceMean axes must be int64, got " + t.dtype().displayName());
                }
                axes = t == null ? null : t.longs();
            }
            if ((axes == null || axes.length == 0) && noopWhenEmpty) {
                return new Tensor[] {x};
            }
            return new Tensor[] {mean(x, reducedFlags(x.rank(), axes), keepDims)};
        };
    }

    /** Which axes are reduced; all of them for null or empty {@code axes}. */
    static boolean[] reducedFlags(int rank, long[] axes) {
        boolean[] reduced = new boolean[rank];
        if (axes == null || axes.length == 0) {
            java.util.Arrays.fill(reduced, true);
            return reduced;
        }
        for (long axis : axes) {
            if (axis < -rank || axis >= rank) {
                throw new KernelException("axis " + axis + " is out of range for rank " + rank);
            }
            int a = (int) (axis < 0 ? axis + rank : axis);
            if (reduced[a]) {
                throw new KernelException("axis " + axis + " is listed twice");
            }
            reduced[a] = true;
        }
        return reduced;
    }

    /**
     * The mean of {@code x} over the flagged axes. Each input element is added to its output cell in one sequential
     * pass: the broadcast plan of {@code x} against the keep-dims output shape gives, per run of x, the output start
     * and step (0 along a reduced innermost axis, 1 otherwise).
     */
    static Tensor mean(Tensor x, boolean[] reduced, boolean keepDims) {
        int rank = x.rank();
        int[] keep = x.shape().dims();
        long count = 1;
        int kept = 0;
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                count *= keep[i];
                keep[i] = 1;
            } else {
                kept++;
            }
        }
        Shape keepShape = Shape.of(keep);
        double[] sum = new double[keepShape.numElements()];
        BroadcastPlan plan = BroadcastPlan.of(x.shape(), keepShape);
        boolean isFloat = x.dtype() == DType.FLOAT32;
        float[] f = isFloat ? x.floats() : null;
        double[] d = isFloat ? null : x.doubles();
        plan.forEachRun(ExecContext.singleThreaded(), (xo, so, oo, n) -> {
            for (int i = 0; i < n; i++) {
                sum[so + i * plan.bStep()] += isFloat ? f[xo + i * plan.aStep()] : d[xo + i * plan.aStep()];
            }
        });
        Shape outShape = keepDims ? keepShape : Shape.of(keptDims(keep, reduced, kept));
        if (isFloat) {
            float[] out = new float[sum.length];
            for (int i = 0; i < sum.length; i++) {
                out[i] = (float) (sum[i] / count);
            }
            return Tensor.of(DType.FLOAT32, outShape, out);
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= count;
        }
        return Tensor.of(DType.FLOAT64, outShape, sum);
    }

    private static int[] keptDims(int[] keep, boolean[] reduced, int kept) {
        int[] dims = new int[kept];
        int j = 0;
        for (int i = 0; i < keep.length; i++) {
            if (!reduced[i]) {
                dims[j++] = keep[i];
            }
        }
        return dims;
    }
}
