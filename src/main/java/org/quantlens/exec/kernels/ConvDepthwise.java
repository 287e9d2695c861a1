package org.quantlens.exec.kernels;

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

    private static void plane(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
        int[] in = g.in();
        int[] out = g.out();
        int[] kernel = g.kernel();
        int yi = yOff;
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                for (int ow = 0; ow < out[2]; ow++, yi++) {
                    float acc = y[yi];
                    int wi = wOff;
                    for (int kd = 0; kd < kernel[0]; kd++) {
                        int id = g.inputCoord(0, od, kd);
                        boolean dOk = id >= 0 && id < in[0];
                        for (int kh = 0; kh < kernel[1]; kh++) {
                            int ih = g.inputCoord(1, oh, kh);
                            boolean hOk = dOk && ih >= 0 && ih < in[1];
                            for (int kw = 0; kw < kernel[2]; kw++, wi++) {
                                int iw = g.inputCoord(2, ow, kw);
                                if (hOk && iw >= 0 && iw < in[2]) {
                                    acc = Math.fma(w[wi], x[xOff + (id * in[1] + ih) * in[2] + iw], acc);
                                }
                            }
                        }
                    }
                    y[yi] = acc;
                }
            }
        }
    }
}
