package org.quantlens.exec.kernels;

/**
 * The resolved geometry of a sliding window over 1 to 3 spatial axes, always stored as three axes (depth, height,
 * width): a 1-D or 2-D window gets leading axes of size 1 with kernel 1, stride 1, dilation 1 and no padding, so
 * every kernel is one triple loop. {@code rank} remembers how many axes the tensors really have.
 *
 * <p>Input coordinate of output {@code o}, tap {@code k} on axis {@code a}:
 * {@code o * stride[a] - padBegin[a] + k * dilation[a]}; it is padding when outside {@code [0, in[a])}.
 */
record ConvGeometry(int rank, int[] in, int[] kernel, int[] stride, int[] dilation, int[] padBegin, int[] padEnd,
                    int[] out) {

    /** Builds the three-axis form from per-axis arrays of length {@code rank}. */
    static ConvGeometry of(int[] in, int[] kernel, int[] stride, int[] dilation, int[] padBegin, int[] padEnd,
                           int[] out) {
        int r = in.length;
        return new ConvGeometry(r, lift(in, r, 1), lift(kernel, r, 1), lift(stride, r, 1), lift(dilation, r, 1),
                lift(padBegin, r, 0), lift(padEnd, r, 0), lift(out, r, 1));
    }

    private static int[] lift(int[] v, int r, int fill) {
        int[] x = new int[3];
        for (int i = 0; i < 3 - r; i++) {
            x[i] = fill;
        }
        System.arraycopy(v, 0, x, 3 - r, r);
        return x;
    }

    /** Elements of one input plane (product of the spatial dims). */
    int inVolume() {
        return in[0] * in[1] * in[2];
    }

    /** Elements of one output plane. */
    int outVolume() {
        return out[0] * out[1] * out[2];
    }

    /** Taps of one kernel plane. */
    int kernelVolume() {
        return kernel[0] * kernel[1] * kernel[2];
    }

    /** The output spatial dims, {@code rank} of them. */
    int[] outDims() {
        int[] d = new int[rank];
        System.arraycopy(out, 3 - rank, d, 0, rank);
        return d;
    }

    /** Element count of an output of {@code planes} planes; KernelException when it does not fit an array. */
    int outputSize(long planes) {
        long n = planes * outVolume();
        if (n > Integer.MAX_VALUE - 8) {
            throw new org.quantlens.exec.KernelException("output of " + planes + " planes of " + outVolume()
                    + " elements is too large");
        }
        return (int) n;
    }

    /** Input coordinate on {@code axis} of output index {@code o} and tap {@code k} (may be in the padding). */
    int inputCoord(int axis, int o, int k) {
        return o * stride[axis] - padBegin[axis] + k * dilation[axis];
    }
}
