package org.quantlens.exec.kernels;

import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * A deliberately plain convolution for tests, straight from the ONNX formula, accumulating in double: seven
 * nested loops over batch, output channel, input channel of the group, and 3 spatial axes of output and kernel
 * (1-D and 2-D inputs get leading axes of size 1).
 */
final class NaiveConv {
    private NaiveConv() {
    }

    static Tensor conv(Tensor x, Tensor w, Tensor b, int group, int[] strides, int[] dilations, int[] pads) {
        int r = x.rank() - 2;
        int[] in = lift(x.shape().dims(), r, 2);
        int[] k = lift(w.shape().dims(), r, 2);
        int[] s = lift(strides, r, 0);
        int[] d = lift(dilations, r, 0);
        int[] pb = new int[] {0, 0, 0};
        int[] pe = new int[] {0, 0, 0};
        for (int i = 0; i < r; i++) {
            pb[3 - r + i] = pads[i];
            pe[3 - r + i] = pads[i + r];
        }
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) {
            out[a] = (in[a] + pb[a] + pe[a] - ((k[a] - 1) * d[a] + 1)) / s[a] + 1;
        }
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        int m = w.shape().dim(0);
        int cg = c / group;
        int mg = m / group;
        float[] y = new float[n * m * out[0] * out[1] * out[2]];
        float[] xv = x.floats();
        float[] wv = w.floats();
        int yi = 0;
        for (int bn = 0; bn < n; bn++) {
            for (int oc = 0; oc < m; oc++) {
                for (int od = 0; od < out[0]; od++) {
                    for (int oh = 0; oh < out[1]; oh++) {
                        for (int ow = 0; ow < out[2]; ow++) {
                            double acc = b == null ? 0 : b.floats()[oc];
                            for (int ic = 0; ic < cg; ic++) {
                                int channel = (oc / mg) * cg + ic;
                                for (int kd = 0; kd < k[0]; kd++) {
                                    for (int kh = 0; kh < k[1]; kh++) {
                                        for (int kw = 0; kw < k[2]; kw++) {
                                            int id = od * s[0] - pb[0] + kd * d[0];
                                            int ih = oh * s[1] - pb[1] + kh * d[1];
                                            int iw = ow * s[2] - pb[2] + kw * d[2];
                                            if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1] || iw < 0 || iw >= in[2]) {
                                                continue;
                                            }
                                            float xval = xv[(((bn * c + channel) * in[0] + id) * in[1] + ih) * in[2] + iw];
                                            float wval = wv[(((oc * cg + ic) * k[0] + kd) * k[1] + kh) * k[2] + kw];
                                            acc += (double) xval * wval;
                                        }
                                    }
                                }
                            }
                            y[yi++] = (float) acc;
                        }
                    }
                }
            }
        }
        int[] dims = new int[r + 2];
        dims[0] = n;
        dims[1] = m;
        for (int i = 0; i < r; i++) {
            dims[2 + i] = out[3 - r + i];
        }
        return Tensor.ofFloats(Shape.of(dims), y);
    }

    /** The last {@code r} entries starting at {@code from}, left-padded with 1 to three entries. */
    private static int[] lift(int[] v, int r, int from) {
        int[] l = {1, 1, 1};
        for (int i = 0; i < r; i++) {
            l[3 - r + i] = v[from + i];
        }
        return l;
    }
}
