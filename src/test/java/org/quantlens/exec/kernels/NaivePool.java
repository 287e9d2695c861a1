package org.quantlens.exec.kernels;

import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Window-by-window pooling for tests, straight from the ONNX definitions: output size with explicit pads
 * (floor, or ceil dropping a window that starts in the right padding), max over in-bounds taps with its
 * row-major flat index, and the float sum of in-bounds taps in row-major order divided by the in-bounds count
 * or by the taps inside the padded extent.
 */
final class NaivePool {
    private NaivePool() {
    }

    record Result(Shape shape, float[] max, long[] argmax, float[] average) {
    }

    static Result pool(Tensor x, long[] k, long[] s, long[] d, long[] p, boolean ceil, boolean countIncludePad) {
        int r = x.rank() - 2;
        int[] in = {1, 1, 1};
        int[] kk = {1, 1, 1};
        int[] ss = {1, 1, 1};
        int[] dd = {1, 1, 1};
        int[] pb = {0, 0, 0};
        int[] pe = {0, 0, 0};
        int[] out = {1, 1, 1};
        for (int i = 0; i < r; i++) {
            int a = 3 - r + i;
            in[a] = x.shape().dim(2 + i);
            kk[a] = (int) k[i];
            ss[a] = (int) s[i];
            dd[a] = (int) d[i];
            pb[a] = (int) p[i];
            pe[a] = (int) p[i + r];
            int span = in[a] + pb[a] + pe[a] - ((kk[a] - 1) * dd[a] + 1);
            out[a] = ceil ? (span + ss[a] - 1) / ss[a] + 1 : span / ss[a] + 1;
            if (ceil && (out[a] - 1) * ss[a] >= in[a] + pb[a]) {
                out[a]--;
            }
        }
        int planes = x.shape().dim(0) * x.shape().dim(1);
        int outVol = out[0] * out[1] * out[2];
        int inVol = in[0] * in[1] * in[2];
        float[] max = new float[planes * outVol];
        long[] argmax = new long[planes * outVol];
        float[] avg = new float[planes * outVol];
        float[] v = x.floats();
        int o = 0;
        for (int plane = 0; plane < planes; plane++) {
            for (int od = 0; od < out[0]; od++) {
                for (int oh = 0; oh < out[1]; oh++) {
                    for (int ow = 0; ow < out[2]; ow++, o++) {
                        float m = Float.NEGATIVE_INFINITY;
                        long where = -1;
                        float sum = 0;
                        int valid = 0;
                        int padded = 0;
                        for (int kd = 0; kd < kk[0]; kd++) {
                            for (int kh = 0; kh < kk[1]; kh++) {
                                for (int kw = 0; kw < kk[2]; kw++) {
                                    int id = od * ss[0] - pb[0] + kd * dd[0];
                                    int ih = oh * ss[1] - pb[1] + kh * dd[1];
                                    int iw = ow * ss[2] - pb[2] + kw * dd[2];
                                    boolean inPadded = id >= -pb[0] && id < in[0] + pe[0] && ih >= -pb[1]
                                            && ih < in[1] + pe[1] && iw >= -pb[2] && iw < in[2] + pe[2];
                                    padded += inPadded ? 1 : 0;
                                    if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1] || iw < 0 || iw >= in[2]) {
                                        continue;
                                    }
                                    int at = plane * inVol + (id * in[1] + ih) * in[2] + iw;
                                    if (where < 0 || v[at] > m) {
                                        m = v[at];
                                        where = at;
                                    }
                                    sum += v[at];
                                    valid++;
                                }
                            }
                        }
                        max[o] = m;
                        argmax[o] = where;
                        avg[o] = sum / (countIncludePad ? padded : valid);
                    }
                }
            }
        }
        int[] dims = new int[r + 2];
        dims[0] = x.shape().dim(0);
        dims[1] = x.shape().dim(1);
        for (int i = 0; i < r; i++) {
            dims[2 + i] = out[3 - r + i];
        }
        return new Result(Shape.of(dims), max, argmax, avg);
    }
}
