package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;

/**
 * Direct convolution for one input channel per group (depthwise, group = C, any channel multiplier): an
 * im2col matrix would have one row per tap and the matrix product would degenerate to a dot product per output.
 *
 * <p>Same arithmetic as {@link ConvKernel}: each output starts at its bias (already in {@code y}) and adds one
 * fused multiply-add per in-bounds tap in row-major kernel order. Planes (batch, output channel) are independent
 * and split over workers.
 */
final class ConvDepthwise {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ConvDepthwise() {
    }

    /** Output channel {@code oc} reads input channel {@code oc / mPerGroup}; W is {@code [M, 1, kernel...]}. */
    static void run(ConvGeometry g, float[] x, float[] w, float[] y, int batch, int channels, int mPerGroup,
                    ExecContext ctx) {
        int m = channels * mPerGroup;
        long cost = (long) g.outVolume() * g.kernelVolume();
        ctx.parallelFor(batch * m, cost, (start, end) -> {
            for (int plane = start; plane < end; plane++) {
                int n = plane / m;
                int oc = plane % m;
                int xOff = (n * channels + oc / mPerGroup) * g.inVolume();
                plane(g, x, xOff, w, oc * g.kernelVolume(), y, plane * g.outVolume());
            }
        });
    }

    /**
     * One output row at a time: the in-bounds (depth, height) taps are gathered as input rows, then each output
     * column adds its taps in row-major order (rows, then width taps). With unit width stride, the interior
     * columns (where every width tap is in bounds) are done a vector of columns at a time with the accumulators in
     * registers; the border columns one by one with bounds checks. Both keep the same per-output chain.
     */
    private static void plane(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
        int[] in = g.in();
        int[] out = g.out();
        int[] kernel = g.kernel();
        int maxTaps = g.kernelVolume();
        Taps taps = new Taps(new int[maxTaps], new int[maxTaps], new float[maxTaps]);
        int vl = SPECIES.length();
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                int count = 0;
                for (int kd = 0; kd < kernel[0]; kd++) {
                    int id = g.inputCoord(0, od, kd);
                    for (int kh = 0; kh < kernel[1]; kh++) {
                        int ih = g.inputCoord(1, oh, kh);
                        if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1]) {
                            continue;
                        }
                        for (int kw = 0; kw < kernel[2]; kw++, count++) {
                            taps.row[count] = xOff + (id * in[1] + ih) * in[2];
                            taps.shift[count] = g.inputCoord(2, 0, kw);
                            taps.weight[count] = w[wOff + (kd * kernel[1] + kh) * kernel[2] + kw];
                        }
                    }
                }
                int yRow = yOff + (od * out[1] + oh) * out[2];
                int vecLo = out[2];
                int vecHi = out[2];
                if (g.stride()[2] == 1) {
                    // Interior: column ow reads ow + shift(kw), in bounds for every kw.
                    int interiorLo = Math.min(out[2], Math.max(0, -g.inputCoord(2, 0, 0)));
                    int interiorHi = Math.max(interiorLo, Math.min(out[2], in[2] - g.inputCoord(2, 0, kernel[2] - 1)));
                    vecLo = interiorLo;
                    vecHi = interiorLo + (interiorHi - interiorLo) / vl * vl;
                    vectorColumns(x, taps, count, y, yRow, vecLo, vecHi);
                }
                scalarColumns(x, taps, count, g.stride()[2], in[2], y, yRow, 0, vecLo);
                scalarColumns(x, taps, count, g.stride()[2], in[2], y, yRow, vecHi, out[2]);
            }
        }
    }

    /**
     * The in-bounds (depth, height) taps of one output row, flattened in row-major tap order: input row start,
     * width offset at output column 0, weight.
     */
    private record Taps(int[] row, int[] shift, float[] weight) {
    }

    /** Columns [lo, hi) of one output row, one at a time, skipping out-of-bounds width taps. */
    private static void scalarColumns(float[] x, Taps taps, int count, int stride, int inW, float[] y, int yRow,
                                      int lo, int hi) {
        for (int ow = lo; ow < hi; ow++) {
            float acc = y[yRow + ow];
            for (int t = 0; t < count; t++) {
                int iw = ow * stride + taps.shift[t];
                if (iw >= 0 && iw < inW) {
                    acc = Math.fma(taps.weight[t], x[taps.row[t] + iw], acc);
                }
            }
            y[yRow + ow] = acc;
        }
    }

    /** Columns [lo, hi) (a multiple of the vector length, all taps in bounds, unit stride), a vector at a time. */
    private static void vectorColumns(float[] x, Taps taps, int count, float[] y, int yRow, int lo, int hi) {
        int[] row = taps.row;
        int[] shift = taps.shift;
        float[] weight = taps.weight;
        for (int ow = lo; ow < hi; ow += SPECIES.length()) {
            FloatVector acc = FloatVector.fromArray(SPECIES, y, yRow + ow);
            for (int t = 0; t < count; t++) {
                acc = FloatVector.broadcast(SPECIES, weight[t]).fma(
                        FloatVector.fromArray(SPECIES, x, row[t] + shift[t] + ow), acc);
            }
            acc.intoArray(y, yRow + ow);
        }
    }
}
