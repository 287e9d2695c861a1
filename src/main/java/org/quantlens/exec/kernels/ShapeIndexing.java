package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelException;
import org.quantlens.exec.OutputArrays;
import org.quantlens.tensor.BFloat16;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Float16;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The one data-moving loop shared by the index-mapping operators (Transpose, Slice, Gather, Pad, nearest Resize),
 * plus small helpers for axis lists and typed fill values.
 *
 * <p>Every such operator is <em>separable</em>: the flat source index of output element (o0, o1, ..., on-1) is
 * {@code offsets[0][o0] + offsets[1][o1] + ... + offsets[n-1][on-1]}, where {@code offsets[d][i]} is the
 * contribution (already multiplied by the source stride) of output coordinate i along output axis d. A negative
 * entry means "outside the source" and the element gets the fill value instead (Pad's constant mode). The copy is
 * typed on the primitive storage array, so it works for every {@link DType} bit-exactly (float16/bfloat16 patterns
 * and NaN payloads are moved, never converted).
 */
final class ShapeIndexing {
    private ShapeIndexing() {
    }

    /**
     * Builds a tensor of {@code outShape} whose element o is {@code src[sum_d offsets[d][o_d]]}, or the fill value
     * when any {@code offsets[d][o_d]} is negative. {@code offsets[d].length} must equal {@code outShape.dim(d)}.
     *
     * @param fill a one-element array of {@code src}'s storage class, or null when no offset is negative
     */
    static Tensor gather(Tensor src, Shape outShape, int[][] offsets, Object fill) {
        int n = outShape.numElements();
        // Every element is written (copied or filled), so a recycled float array is fine.
        Object dst = src.dtype() == DType.FLOAT32 ? OutputArrays.floats(n) : Tensor.allocate(src.dtype(), n);
        int rank = outShape.rank();
        if (n == 0) {
            return Tensor.of(src.dtype(), outShape, dst);
        }
        if (rank == 0) {
            System.arraycopy(src.data(), 0, dst, 0, 1);
            return Tensor.of(src.dtype(), outShape, dst);
        }
        int[] last = offsets[rank - 1];
        int rowLen = last.length;
        int[] noRow = new int[rowLen];
        java.util.Arrays.fill(noRow, -1);
        int[] outer = new int[rank - 1];
        for (int pos = 0; pos < n; pos += rowLen) {
            int base = 0;
            boolean outside = false;
            for (int d = 0; d < rank - 1; d++) {
                int off = offsets[d][outer[d]];
                outside |= off < 0;
                base += off;
            }
            copyRow(src.data(), outside ? 0 : base, outside ? noRow : last, dst, pos, fill);
            for (int d = rank - 2; d >= 0 && ++outer[d] == outShape.dim(d); d--) {
                outer[d] = 0;
            }
        }
        return Tensor.of(src.dtype(), outShape, dst);
    }

    /** dst[pos + j] = offs[j] < 0 ? fill[0] : src[base + offs[j]], typed on the storage array. */
    private static void copyRow(Object src, int base, int[] offs, Object dst, int pos, Object fill) {
        if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            for (int j = 0; j < offs.length; j++) {
                d[pos + j] = offs[j] < 0 ? ((float[]) fill)[0] : s[base + offs[j]];
            }
        } else if (src instanceof double[] s) {
            double[] d = (double[]) dst;
            for (int j = 0; j < offs.length; j++) {
                d[pos + j] = offs[j] < 0 ? ((double[]) fill)[0] : s[base + offs[j]];
            }
        } else if (src instanceof byte[] s) {
            byte[] d = (byte[]) dst;
            for (int j = 0; j < offs.length; j++) {
                d[pos + j] = offs[j] < 0 ? ((byte[]) fill)[0] : s[base + offs[j]];
            }
        } else if (src instanceof short[] s) {
            short[] d = (short[]) dst;
            for (int j = 0; j < offs.length; j++) {
                d[pos + j] = offs[j] < 0 ? ((short[]) fill)[0] : s[base + offs[j]];
            }
        } else if (src instanceof int[] s) {
            int[] d = (int[]) dst;
            for (int j = 0; j < offs.length; j++) {
                d[pos + j] = offs[j] < 0 ? ((int[]) fill)[0] : s[base + offs[j]];
            }
        } else if (src instanceof long[] s) {
            long[] d = (long[]) dst;
            for (int j = 0; j < offs.length; j++) {
                d[pos + j] = offs[j] < 0 ? ((long[]) fill)[0] : s[base + offs[j]];
            }
        } else {
            boolean[] s = (boolean[]) src;
            boolean[] d = (boolean[]) dst;
            for (int j = 0; j < offs.length; j++) {
                d[pos + j] = offs[j] < 0 ? ((boolean[]) fill)[0] : s[base + offs[j]];
            }
        }
    }

    /**
     * {@code v} stored as one element of {@code dtype}: float types round to nearest, integer types round half to
     * even and saturate to the type's range (NaN gives 0), BOOL is {@code v != 0}.
     */
    static Object scalarOf(DType dtype, double v) {
        Object a = Tensor.allocate(dtype, 1);
        store(a, 0, dtype, v);
        return a;
    }

    /** Stores {@code v} at {@code a[i]} with the conversion rules of {@link #scalarOf}. */
    static void store(Object a, int i, DType dtype, double v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) a)[i] = (float) v;
            case FLOAT64 -> ((double[]) a)[i] = v;
            case FLOAT16 -> ((short[]) a)[i] = Float16.fromFloat((float) v);
            case BFLOAT16 -> ((short[]) a)[i] = BFloat16.fromFloat((float) v);
            case INT8 -> ((byte[]) a)[i] = (byte) saturate(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) a)[i] = (byte) saturate(v, 0, 255);
            case INT16 -> ((short[]) a)[i] = (short) saturate(v, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> ((int[]) a)[i] = (int) saturate(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> ((long[]) a)[i] = saturate(v, Long.MIN_VALUE, Long.MAX_VALUE);
            case BOOL -> ((boolean[]) a)[i] = v != 0;
        }
    }

    private static long saturate(double v, long lo, long hi) {
        if (Double.isNaN(v)) {
            return 0;
        }
        double r = Math.rint(v);
        if (r <= lo) {
            return lo;
        }
        return r >= hi ? hi : (long) r;
    }

    /**
     * The first element of {@code value} as a one-element array of {@code dtype}'s storage: copied bit-exactly when
     * the types match, else converted like {@link #scalarOf}.
     */
    static Object scalarFrom(Tensor value, DType dtype) {
        if (value.size() == 0) {
            throw new KernelException("expected a scalar value, got an empty " + value.dtype().displayName() + " tensor");
        }
        if (value.dtype() == dtype) {
            Object a = Tensor.allocate(dtype, 1);
            System.arraycopy(value.data(), 0, a, 0, 1);
            return a;
        }
        return scalarOf(dtype, value.getDouble(0));
    }

    /** Contiguous (row-major) strides of {@code dims}, as ints. */
    static int[] strides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** {@code axis} in [-rank, rank) normalised to [0, rank); KernelException naming {@code what} otherwise. */
    static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new KernelException(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Normalises each axis like {@link #axis}; KernelException when one repeats. */
    static int[] distinctAxes(long[] axes, int rank, String what) {
        int[] r = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            r[i] = axis(axes[i], rank, what);
            if (seen[r[i]]) {
                throw new KernelException(what + " " + axes[i] + " is repeated in " + java.util.Arrays.toString(axes));
            }
            seen[r[i]] = true;
        }
        return r;
    }

    /** The input's elements as longs (shape, axes, pads, indices); KernelException when it is not an integer tensor. */
    static long[] integers(Tensor t, String what) {
        if (!t.dtype().isInteger()) {
            throw new KernelException(what + " must be an integer tensor, got " + t.dtype().displayName());
        }
        return t.toLongArray();
    }

    /** Input {@code i}, or KernelException when it is missing. */
    static Tensor required(Tensor[] inputs, int i, String what) {
        if (i >= inputs.length || inputs[i] == null) {
            throw new KernelException("missing input " + i + " (" + what + ")");
        }
        return inputs[i];
    }

    /** Input {@code i}, or null when it is omitted or beyond the list. */
    static Tensor optional(Tensor[] inputs, int i) {
        return i < inputs.length ? inputs[i] : null;
    }
}
