package org.quantlens.tensor;

import java.util.List;

/** Batch-axis (axis 0) helpers: join per-batch results, cut a batch out of a data set. Any dtype. */
public final class Batching {
    private Batching() {
    }

    /**
     * Concatenates tensors along axis 0. All must share dtype and the trailing dimensions; a single tensor is
     * returned as is.
     */
    public static Tensor concat(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        Tensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        if (first.rank() == 0) {
            throw new IllegalArgumentException("cannot concatenate scalars along a batch axis");
        }
        int[] dims = first.shape().dims();
        long rows = 0;
        for (Tensor t : parts) {
            int[] d = t.shape().dims();
            if (t.dtype() != first.dtype() || d.length != dims.length
                    || !java.util.Arrays.equals(d, 1, d.length, dims, 1, dims.length)) {
                throw new IllegalArgumentException("cannot concatenate " + t.dtype().displayName() + t.shape()
                        + " with " + first.dtype().displayName() + first.shape());
            }
            rows += d[0];
        }
        dims[0] = Math.toIntExact(rows);
        Shape shape = Shape.of(dims);
        Object out = Tensor.allocate(first.dtype(), shape.numElements());
        int pos = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), 0, out, pos, t.size());
            pos += t.size();
        }
        return Tensor.of(first.dtype(), shape, out);
    }

    /** Rows [start, end) of axis 0, copied. */
    public static Tensor slice(Tensor t, int start, int end) {
        if (t.rank() == 0) {
            throw new IllegalArgumentException("a scalar has no batch axis");
        }
        int[] dims = t.shape().dims();
        if (start < 0 || end > dims[0] || start > end) {
            throw new IllegalArgumentException("rows [" + start + ", " + end + ") outside " + t.shape());
        }
        int row = dims[0] == 0 ? 0 : t.size() / dims[0];
        dims[0] = end - start;
        Shape shape = Shape.of(dims);
        Object out = Tensor.allocate(t.dtype(), shape.numElements());
        System.arraycopy(t.data(), start * row, out, 0, (end - start) * row);
        return Tensor.of(t.dtype(), shape, out);
    }
}
