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
     * Taps outer, output columns inner: for one output row and one tap, the contributing outputs are a contiguous
     * range of columns reading a strided range of one input row, a loop the JIT vectorises. Each output still
     * receives its taps in row-major order, so the chain is the same as tap-by-tap per output.
     */
    private static void plane(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
        int[] in = g.in();
        int[] out = g.out();
        int[] kernel = g.kernel();
        int strideW = g.stride()[2];
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                int yRow = yOff + (od * out[1] + oh) * out[2];
                for (int kd = 0; kd < kernel[0]; kd++) {
                    int id = g.inputCoord(0, od, kd);
                    if (id < 0 || id >= in[0]) {
                        continue;
                    }
                    for (int kh = 0; kh < kernel[1]; kh++) {
                        int ih = g.inputCoord(1, oh, kh);
                        if (ih < 0 || ih >= in[1]) {
                            continue;
                        }
                        int xRow = xOff + (id * in[1] + ih) * in[2];
                        for (int kw = 0; kw < kernel[2]; kw++) {
                            float wv = w[wOff + (kd * kernel[1] + kh) * kernel[2] + kw];
                            int shift = g.inputCoord(2, 0, kw);
                            // Output columns whose input column ow * stride + shift lies in [0, in).
                            int lo = Math.max(0, Math.floorDiv(-shift + strideW - 1, strideW));
                            int hi = Math.min(out[2], Math.floorDiv(in[2] - 1 - shift, strideW) + 1);
                            if (strideW == 1) {
                                axpy(wv, x, xRow + shift, y, yRow, lo, hi);
                            } else {
                                for (int ow = lo; ow < hi; ow++) {
                                    y[yRow + ow] = Math.fma(wv, x[xRow + ow * strideW + shift], y[yRow + ow]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code y[yOff + i] = fma(w, x[xOff + i], y[yOff + i])} for i in [lo, hi), lanes bit-equal to the scalar loop. */
    private static void axpy(float w, float[] x, int xOff, float[] y, int yOff, int lo, int hi) {
        FloatVector wv = FloatVector.broadcast(SPECIES, w);
        int i = lo;
        for (; i + SPECIES.length() <= hi; i += SPECIES.length()) {
            FloatVector acc = FloatVector.fromArray(SPECIES, y, yOff + i);
            wv.fma(FloatVector.fromArray(SPECIES, x, xOff + i), acc).intoArray(y, yOff + i);
        }
        for (; i < hi; i++) {
            y[yOff + i] = Math.fma(w, x[xOff + i], y[yOff + i]);
        }
    }
}
