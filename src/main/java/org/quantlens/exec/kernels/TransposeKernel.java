package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Transpose (ONNX): output dim i is input dim {@code perm[i]}; {@code perm} defaults to the reversed axes. Works for
 * every dtype (a typed copy). KernelException when {@code perm} is not a permutation of the input's axes.
 */
final class TransposeKernel {
    private TransposeKernel() {
    }

    static OpKernel create(Node node, long opset) {
        long[] perm = node.attrInts("perm", null);
        if (perm != null) {
            checkPermutation(perm, perm.length);
        }
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "data");
            return new Tensor[] {transpose(x, perm)};
        };
    }

    /** {@code x} transposed by {@code perm} (null: reversed axes). */
    static Tensor transpose(Tensor x, long[] perm) {
        int rank = x.rank();
        if (perm != null) {
            checkPermutation(perm, rank);
        }
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : (int) perm[i];
        }
        int[] inStrides = x.shape().strides();
        int[] outDims = new int[rank];
        int[][] offsets = new int[rank][];
        for (int i = 0; i < rank; i++) {
            outDims[i] = x.shape().dim(p[i]);
            offsets[i] = new int[outDims[i]];
            for (int j = 0; j < outDims[i]; j++) {
                offsets[i][j] = j * inStrides[p[i]];
            }
        }
        return ShapeIndexing.gather(x, Shape.of(outDims), offsets, null);
    }

    private static void checkPermutation(long[] perm, int rank) {
        boolean ok = perm.length == rank;
        boolean[] seen = new boolean[rank];
        for (int i = 0; ok && i < rank; i++) {
            ok = perm[i] >= 0 && perm[i] < rank && !seen[(int) perm[i]];
            if (ok) {
                seen[(int) perm[i]] = true;
            }
        }
        if (!ok) {
            throw new KernelException("perm " + Arrays.toString(perm) + " is not a permutation of " + rank + " axes");
        }
    }
}
