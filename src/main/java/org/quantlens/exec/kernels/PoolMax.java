package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.OutputArrays;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * ONNX MaxPool (opset 22): the largest in-bounds element of each window (padding never wins), and optionally
 * the int64 Indices output: the position of that element in X flattened, padding not counted, i.e.
 * {@code (n * C + c) * inVolume + spatial offset}, the spatial offset row-major ({@code storage_order=0}) or
 * column-major ({@code storage_order=1}, first spatial axis fastest), as ONNX Runtime computes it.
 *
 * <p>Values follow {@link Math#max}: a NaN in the window makes the output NaN (as numpy's max in the ONNX
 * reference); without Indices +0 beats -0. With Indices, a strictly larger value moves the position, so ties
 * keep the first tap in row-major order, and the first NaN keeps its position. A window with no in-bounds
 * element (possible only with large dilations and padding) yields -infinity and index -1.
 */
final class PoolMax {
    private PoolMax() {
    }

    static Tensor[] run(Tensor x, ConvWindow window, boolean columnMajor, boolean wantIndices, ExecContext ctx) {
        ConvGeometry g = PoolKernels.poolGeometry(x, window);
        PoolTaps taps = PoolTaps.of(g);
        float[] src = x.floats();
        int planes = x.shape().dim(0) * x.shape().dim(1);
        float[] y = OutputArrays.floats(g.outputSize(planes));
        long[] indices = wantIndices ? new long[y.length] : null;
        boolean halving = PoolRows.isInBounds2x2(g);
        boolean smallPlanes = PoolMaxSmallPlanes.supports(g);
        ctx.parallelFor(planes, (long) g.outVolume() * g.kernelVolume(), (s, e) -> {
            if (indices == null && smallPlanes) {
                PoolMaxSmallPlanes.max2x2(g, src, s, e, y);
                return;
            }
            for (int plane = s; plane < e; plane++) {
                if (indices == null && halving) {
                    PoolRows.max2x2(g, src, plane * g.inVolume(), y, plane * g.outVolume());
                } else if (indices == null) {
                    PoolRows.pool(g, taps, src, plane * g.inVolume(), y, plane * g.outVolume(), true);
                } else {
                    plane(g, taps, src, plane, columnMajor, y, indices);
                }
            }
        });
        Shape shape = PoolKernels.outputShape(x, g);
        Tensor values = Tensor.ofFloats(shape, y);
        return wantIndices ? new Tensor[] {values, Tensor.of(DType.INT64, shape, indices)} : new Tensor[] {values};
    }

    private static void plane(ConvGeometry g, PoolTaps taps, float[] src, int plane, boolean columnMajor,
                              float[] y, long[] indices) {
        int[] out = g.out();
        int inD = g.in()[0];
        int inH = g.in()[1];
        int inW = g.in()[2];
        int dilD = g.dilation()[0];
        int dilH = g.dilation()[1];
        int dilW = g.dilation()[2];
        int[] firstD = taps.firsts(0);
        int[] firstH = taps.firsts(1);
        int[] firstW = taps.firsts(2);
        int[] nD = taps.valids(0);
        int[] nH = taps.valids(1);
        int[] nW = taps.valids(2);
        int xOff = plane * g.inVolume();
        int yi = plane * g.outVolume();
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                for (int ow = 0; ow < out[2]; ow++, yi++) {
                    float max = Float.NEGATIVE_INFINITY;
                    // The first in-bounds tap holds the position until a strictly larger value appears.
                    int where = nD[od] * nH[oh] * nW[ow] == 0 ? -1
                            : (firstD[od] * inH + firstH[oh]) * inW + firstW[ow];
                    for (int kd = 0, id = firstD[od]; kd < nD[od]; kd++, id += dilD) {
                        for (int kh = 0, ih = firstH[oh]; kh < nH[oh]; kh++, ih += dilH) {
                            int at = (id * inH + ih) * inW + firstW[ow];
                            for (int kw = 0; kw < nW[ow]; kw++, at += dilW) {
                                float v = src[xOff + at];
                                // Strictly larger moves the position; the first NaN wins and stays, as Math.max.
                                if (v > max || v != v && max == max) {
                                    max = v;
                                    where = at;
                                }
                            }
                        }
                    }
                    y[yi] = max;
                    if (indices != null) {
                        indices[yi] = where < 0 ? -1 : xOff + spatialIndex(where, inD, inH, inW, columnMajor);
                    }
                }
            }
        }
    }

    /** A row-major spatial offset, or its column-major (first axis fastest) counterpart. */
    private static long spatialIndex(int rowMajor, int inD, int inH, int inW, boolean columnMajor) {
        if (!columnMajor) {
            return rowMajor;
        }
        int iw = rowMajor % inW;
        int ih = (rowMajor / inW) % inH;
        int id = rowMajor / (inW * inH);
        return id + (long) inD * (ih + (long) inH * iw);
    }
}
