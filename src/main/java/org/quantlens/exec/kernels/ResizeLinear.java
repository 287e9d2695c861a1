package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Linear Resize: each output element is sum over tap combinations of prod_d weight_d * input[index_0, ..., index_n-1],
 * the tensor product of the per-axis taps of {@link ResizeAxis}; this equals the ONNX reference's nested 1-D
 * interpolation up to summation order. Accumulates in double and stores with {@link ShapeIndexing#store}
 * (float types round to nearest, integers round half to even and saturate, bool is != 0). An element with any
 * axis outside the input (tf_crop_and_resize) is the extrapolation value. Rows of the innermost axis are split over
 * the context's workers; each row is written by one worker, so the result does not depend on the thread count.
 */
final class ResizeLinear {
    private ResizeLinear() {
    }

    static Tensor interpolate(Tensor x, Shape outShape, ResizeAxis[] taps, double extrapolation, ExecContext ctx) {
        int rank = outShape.rank();
        double[] in = x.dtype() == DType.FLOAT64 ? x.doubles() : x.toDoubleArray();
        int[] inStrides = x.shape().strides();
        int[] outDims = outShape.dims();
        Object out = Tensor.allocate(x.dtype(), outShape.numElements());
        if (rank == 0) {
            ShapeIndexing.store(out, 0, x.dtype(), in[0]);
            return Tensor.of(x.dtype(), outShape, out);
        }
        int rowLen = outDims[rank - 1];
        int rows = outShape.numElements() / rowLen;
        long cost = (long) rowLen * (1L << Math.min(rank, 20));
        ctx.parallelFor(rows, cost, (startRow, endRow) -> {
            int[] o = new int[rank];
            int[] t = new int[rank];
            for (int row = startRow; row < endRow; row++) {
                int rest = row;
                for (int d = rank - 2; d >= 0; d--) {
                    o[d] = rest % outDims[d];
                    rest /= outDims[d];
                }
                for (int j = 0; j < rowLen; j++) {
                    o[rank - 1] = j;
                    double v = isOutside(taps, o) ? extrapolation : accumulate(in, inStrides, taps, o, t);
                    ShapeIndexing.store(out, row * rowLen + j, x.dtype(), v);
                }
            }
        });
        return Tensor.of(x.dtype(), outShape, out);
    }

    private static boolean isOutside(ResizeAxis[] taps, int[] o) {
        for (int d = 0; d < taps.length; d++) {
            if (taps[d].outside[o[d]]) {
                return true;
            }
        }
        return false;
    }

    /** Sum over all tap combinations of output position {@code o}; {@code t} is scratch for the tap counters. */
    private static double accumulate(double[] in, int[] inStrides, ResizeAxis[] taps, int[] o, int[] t) {
        int rank = taps.length;
        java.util.Arrays.fill(t, 0);
        double sum = 0;
        while (true) {
            double w = 1;
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                int k = taps[d].first[o[d]] + t[d];
                w *= taps[d].weight[k];
                offset += taps[d].index[k] * inStrides[d];
            }
            sum += w * in[offset];
            int d = rank - 1;
            while (d >= 0 && ++t[d] == taps[d].taps(o[d])) {
                t[d] = 0;
                d--;
            }
            if (d < 0) {
                return sum;
            }
        }
    }
}
