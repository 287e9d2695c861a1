package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * ONNX MaxPool (opset 22): the largest in-bounds element of each window (padding never wins), and optionally
 * the int64 Indices output: the position of that element in X flattened, padding not counted, i.e.
 * {@code (n * C + c) * inVolume + spatial offset}, the spatial offset row-major ({@code storage_order=0}) or
 * column-major ({@code storage_order=1}, first spatial axis fastest), as ONNX Runtime computes it.
 *
 * <p>Ties keep the first tap in row-major order; NaN never replaces a value (comparison {@code v > max}, as in
 * ONNX Runtime). A window with no in-bounds element (possible only with large dilations and padding) yields
 * -infinity and index -1.
 */
final class PoolMax {
    private PoolMax() {
    }

    static Tensor[] run(Tensor x, ConvWindow window, boolean columnMajor, boolean wantIndices, ExecContext ctx) {
        ConvGeometry g = PoolKernels.poolGeometry(x, window);
        PoolTaps taps = PoolTaps.of(g);
        float[] src = x.floats();
        int planes = x.shape().dim(0) * x.shape().dim(1);
        float[] y = new float[g.outputSize(planes)];
        long[] indices = wantIndices ? new long[y.length] : null;
        ctx.parallelFor(planes, (long) g.outVolume() * g.kernelVolume(), (s, e) -> {
            for (int plane = s; plane < e; plane++) {
                plane(g, taps, src, plane, columnMajor, y, indices);
            }
        });
        Shape shape = PoolKernels.outputShape(x, g);
        Tensor values = Tensor.ofFloats(shape, y);
        return wantIndices ? new Tensor[] {values, Tensor.of(DType.INT64, shape, indices)} : new Tensor[] {values};
    }

    private static void plane(ConvGeometry g, PoolTaps taps, float[] src, int plane, boolean columnMajor,
                              float[] y, long[] indices) {
        int[] in = g.in();
        int[] out = g.out();
        int xOff = plane * g.inVolume();
        int yi = plane * g.outVolume();
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                for (int ow = 0; ow < out[2]; ow++, yi++) {
                    float max = Float.NEGATIVE_INFINITY;
                    long where = -1;
                    for (int kd = taps.lo(0, od); kd < taps.hi(0, od); kd++) {
                        int id = g.inputCoord(0, od, kd);
                        for (int kh = taps.lo(1, oh); kh < taps.hi(1, oh); kh++) {
                            int ih = g.inputCoord(1, oh, kh);
                            for (int kw = taps.lo(2, ow); kw < taps.hi(2, ow); kw++) {
                                int iw = g.inputCoord(2, ow, kw);
                                float v = src[xOff + (id * in[1] + ih) * in[2] + iw];
                                if (v > max || where < 0) {
                                    // The first tap always sets the position; only a larger value moves it.
                                    max = v > max ? v : max;
                                    where = columnMajor ? id + (long) in[0] * (ih + (long) in[1] * iw)
                                            : (id * (long) in[1] + ih) * in[2] + iw;
                                }
                            }
                        }
                    }
                    y[yi] = max;
                    if (indices != null) {
                        indices[yi] = where < 0 ? -1 : (long) xOff + where;
                    }
                }
            }
        }
    }
}
