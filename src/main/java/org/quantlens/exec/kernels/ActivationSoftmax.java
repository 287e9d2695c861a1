package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.OutputArrays;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * ONNX Softmax and LogSoftmax on float32, numerically stable: with {@code m = max(x)} over the reduced elements,
 * {@code softmax(x)_j = exp(x_j - m) / sum_k exp(x_k - m)} and {@code logsoftmax(x)_j = (x_j - m) - log(sum_k
 * exp(x_k - m))}, as the ONNX reference computes them. {@code x_j - m} is a float32 subtraction (as in the
 * reference); each exp is rounded to
 * float32 (as the reference's), the sum, log and division are done in double.
 *
 * <p>Which elements are reduced depends on the opset:
 * <ul>
 *   <li>opset 13 and later: the single dimension {@code axis} (default -1);</li>
 *   <li>before 13: the input is viewed as 2-D, {@code [prod(dims[0:axis]), prod(dims[axis:])]} (axis default 1),
 *       and each row is one softmax.</li>
 * </ul>
 * Degenerate cases: a row containing NaN gives NaN; a row of all -inf gives NaN (as numpy); an empty row does nothing.
 */
final class ActivationSoftmax {
    private ActivationSoftmax() {
    }

    static OpKernel create(Node node, long opset, boolean log) {
        boolean flatten = opset < 13;
        long axis = node.attrInt("axis", flatten ? 1 : -1);
        String op = log ? "LogSoftmax" : "Softmax";
        return (inputs, ctx) -> {
            Tensor x = ElementwiseNumbers.required(inputs, 0, "input");
            ElementwiseNumbers.requireType(op, x, DType.FLOAT32);
            Shape s = x.shape();
            if (axis < -s.rank() || axis >= s.rank()) {
                throw new KernelException(op + " axis " + axis + " is out of range for rank " + s.rank());
            }
            int a = (int) (axis < 0 ? axis + s.rank() : axis);
            int outer = product(s, 0, a);
            int len = flatten ? product(s, a, s.rank()) : s.dim(a);
            int inner = flatten ? 1 : product(s, a + 1, s.rank());
            return new Tensor[] {softmax(x, outer, len, inner, log, ctx)};
        };
    }

    private static int product(Shape s, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= s.dim(i);
        }
        return p;
    }

    /**
     * Softmax over the middle index of {@code x} viewed as {@code [outer, len, inner]}: element (o, j, i) is at
     * {@code (o * len + j) * inner + i}. Each (o, i) lane is independent and handled by one worker.
     */
    static Tensor softmax(Tensor x, int outer, int len, int inner, boolean log, ExecContext ctx) {
        float[] in = x.floats();
        float[] out = OutputArrays.floats(in.length);
        ctx.parallelFor(outer * inner, 20L * len, (start, end) -> {
            for (int lane = start; lane < end; lane++) {
                int base = (lane / inner) * len * inner + lane % inner;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    max = Math.max(max, in[base + j * inner]); // NaN wins, and then the whole lane is NaN
                }
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    int k = base + j * inner;
                    float e = (float) Math.exp(in[k] - max);
                    out[k] = e; // kept for the softmax division below
                    sum += e;
                }
                double logSum = Math.log(sum);
                for (int j = 0; j < len; j++) {
                    int k = base + j * inner;
                    out[k] = log ? (float) ((in[k] - max) - logSum) : (float) (out[k] / sum);
                }
            }
        });
        return Tensor.of(DType.FLOAT32, x.shape(), out);
    }
}
