package org.quantlens.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape: a list of non-negative dimension sizes. Rank 0 is a scalar (one element);
 * a zero dimension makes an empty tensor.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape with these dimensions; throws IllegalArgumentException on a negative dimension. */
    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** A shape from long dimensions; throws IllegalArgumentException when one is negative or exceeds int range. */
    public static Shape of(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimension out of range in " + Arrays.toString(dims));
            }
            d[i] = (int) dims[i];
        }
        return of(d);
    }

    public static Shape scalar() {
        return SCALAR;
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; a negative axis counts from the end. */
    public int dim(int axis) {
        return dims[axis < 0 ? axis + dims.length : axis];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** A copy of the dimensions as longs. */
    public long[] dimsLong() {
        long[] r = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            r[i] = dims[i];
        }
        return r;
    }

    /** Number of elements (1 for a scalar), as a long: it may exceed int range for a hostile declaration. */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    /** Number of elements as an int; throws IllegalArgumentException if it does not fit a Java array. */
    public int numElements() {
        long n;
        try {
            n = size();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + this + " has too many elements");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + this + " has too many elements (" + n + ")");
        }
        return (int) n;
    }

    /** Row-major (C order) strides in elements. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Normalises a possibly negative axis into [0, rank); throws IllegalArgumentException when out of range. */
    public int normalizeAxis(int axis) {
        return normalizeAxis(axis, dims.length);
    }

    /** Normalises a possibly negative axis into [0, rank); throws IllegalArgumentException when out of range. */
    public static int normalizeAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** "[1x3x224x224]"; "[]" for a scalar. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append('x');
            }
            b.append(dims[i]);
        }
        return b.append(']').toString();
    }
}
