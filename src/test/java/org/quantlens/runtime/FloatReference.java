package org.quantlens.runtime;

import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Node;
import org.quantlens.runtime.reference.WindowGeometry;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Naive FP32 kernels (double accumulation) for tests: the "float reference" the integer kernels are compared with,
 * and the Conv/Gemm/MatMul/pools the FP32 engine needs for the reference models on a branch where the optimised
 * FP32 kernels are not merged yet. Straight from the ONNX operator definitions.
 */
public final class FloatReference {
    private FloatReference() {
    }

    /** The standard registry plus these kernels for any operator it lacks. */
    public static KernelRegistry registry() {
        KernelRegistry r = KernelRegistry.standard();
        addIfMissing(r, "Conv", (n, o) -> (in, ctx) -> new Tensor[] {conv(n, in[0], in[1], in.length > 2 ? in[2] : null)});
        addIfMissing(r, "Gemm", (n, o) -> (in, ctx) -> new Tensor[] {gemm(n, in[0], in[1], in.length > 2 ? in[2] : null)});
        addIfMissing(r, "MatMul", (n, o) -> (in, ctx) -> new Tensor[] {matMul(in[0], in[1])});
        addIfMissing(r, "MaxPool", (n, o) -> (in, ctx) -> new Tensor[] {pool(n, in[0], true)});
        addIfMissing(r, "AveragePool", (n, o) -> (in, ctx) -> new Tensor[] {pool(n, in[0], false)});
        addIfMissing(r, "GlobalAveragePool", (n, o) -> (in, ctx) -> new Tensor[] {globalAveragePool(in[0])});
        addIfMissing(r, "BatchNormalization", (n, o) -> (in, ctx) -> new Tensor[] {batchNorm(n, in)});
        return r;
    }

    /** ONNX GlobalAveragePool on NCHW. */
    public static Tensor globalAveragePool(Tensor x) {
        int[] d = x.shape().dims();
        int hw = d[2] * d[3];
        float[] out = new float[d[0] * d[1]];
        for (int nc = 0; nc < out.length; nc++) {
            double s = 0;
            for (int i = 0; i < hw; i++) {
                s += x.floats()[nc * hw + i];
            }
            out[nc] = (float) (s / hw);
        }
        return Tensor.ofFloats(Shape.of(d[0], d[1], 1, 1), out);
    }

    /** Inference BatchNormalization: (x - mean) / sqrt(var + epsilon) * scale + bias per channel (axis 1). */
    public static Tensor batchNorm(Node node, Tensor[] in) {
        double eps = node.attrFloat("epsilon", 1e-5f);
        int[] d = in[0].shape().dims();
        int inner = in[0].size() / (d[0] * d[1]);
        float[] out = new float[in[0].size()];
        for (int i = 0; i < out.length; i++) {
            int c = (i / inner) % d[1];
            double norm = (in[0].floats()[i] - in[3].floats()[c]) / Math.sqrt(in[4].floats()[c] + eps);
            out[i] = (float) (norm * in[1].floats()[c] + in[2].floats()[c]);
        }
        return Tensor.ofFloats(in[0].shape(), out);
    }

    private static void addIfMissing(KernelRegistry r, String op, org.quantlens.exec.KernelFactory f) {
        if (!r.supports(op)) {
            r.register(op, f);
        }
    }

    /** ONNX Conv, NCHW, 2-D, group, pads/strides/dilations, optional bias. */
    public static Tensor conv(Node node, Tensor x, Tensor w, Tensor b) {
        int[] d = x.shape().dims();
        int[] k = w.shape().dims();
        int group = (int) node.attrInt("group", 1);
        WindowGeometry g = WindowGeometry.of(node, d[2], d[3], new int[] {k[2], k[3]});
        float[] xf = x.floats();
        float[] wf = w.floats();
        float[] out = new float[d[0] * k[0] * g.outH() * g.outW()];
        int mPerGroup = k[0] / group;
        for (int n = 0; n < d[0]; n++) {
            for (int m = 0; m < k[0]; m++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        double acc = b == null ? 0 : b.floats()[m];
                        for (int ic = 0; ic < k[1]; ic++) {
                            int c = (m / mPerGroup) * k[1] + ic;
                            for (int kh = 0; kh < k[2]; kh++) {
                                for (int kw = 0; kw < k[3]; kw++) {
                                    int ih = oh * g.strideH() - g.padTop() + kh * g.dilationH();
                                    int iw = ow * g.strideW() - g.padLeft() + kw * g.dilationW();
                                    if (ih >= 0 && ih < d[2] && iw >= 0 && iw < d[3]) {
                                        acc += (double) xf[((n * d[1] + c) * d[2] + ih) * d[3] + iw]
                                                * wf[((m * k[1] + ic) * k[2] + kh) * k[3] + kw];
                                    }
                                }
                            }
                        }
                        out[((n * k[0] + m) * g.outH() + oh) * g.outW() + ow] = (float) acc;
                    }
                }
            }
        }
        return Tensor.ofFloats(Shape.of(d[0], k[0], g.outH(), g.outW()), out);
    }

    /** ONNX Gemm: alpha * A' * B' + beta * C (C broadcast over rows or a scalar). */
    public static Tensor gemm(Node node, Tensor a, Tensor b, Tensor c) {
        boolean ta = node.attrInt("transA", 0) != 0;
        boolean tb = node.attrInt("transB", 0) != 0;
        float alpha = node.attrFloat("alpha", 1f);
        float beta = node.attrFloat("beta", 1f);
        int m = ta ? a.shape().dim(1) : a.shape().dim(0);
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        int n = tb ? b.shape().dim(0) : b.shape().dim(1);
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int kk = 0; kk < k; kk++) {
                    acc += (double) a.floats()[ta ? kk * m + i : i * k + kk] * b.floats()[tb ? j * k + kk : kk * n + j];
                }
                double bias = c == null ? 0 : c.floats()[c.size() == 1 ? 0 : (c.size() == n ? j : i * n + j)];
                out[i * n + j] = (float) (alpha * acc + beta * bias);
            }
        }
        return Tensor.ofFloats(Shape.of(m, n), out);
    }

    /** ONNX MatMul with A [..., M, K] and a 2-D B [K, N]. */
    public static Tensor matMul(Tensor a, Tensor b) {
        int[] d = a.shape().dims();
        int k = d[d.length - 1];
        int n = b.shape().dim(1);
        int rows = a.size() / k;
        float[] out = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int kk = 0; kk < k; kk++) {
                    acc += (double) a.floats()[r * k + kk] * b.floats()[kk * n + j];
                }
                out[r * n + j] = (float) acc;
            }
        }
        int[] od = d.clone();
        od[od.length - 1] = n;
        return Tensor.ofFloats(Shape.of(od), out);
    }

    /** ONNX MaxPool / AveragePool (2-D, count_include_pad) on NCHW. */
    public static Tensor pool(Node node, Tensor x, boolean max) {
        int[] d = x.shape().dims();
        WindowGeometry g = WindowGeometry.of(node, d[2], d[3], null);
        boolean includePad = node.attrInt("count_include_pad", 0) != 0;
        float[] out = new float[d[0] * d[1] * g.outH() * g.outW()];
        for (int nc = 0; nc < d[0] * d[1]; nc++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int kh = 0; kh < g.kernelH(); kh++) {
                        for (int kw = 0; kw < g.kernelW(); kw++) {
                            int ih = oh * g.strideH() - g.padTop() + kh * g.dilationH();
                            int iw = ow * g.strideW() - g.padLeft() + kw * g.dilationW();
                            boolean inside = ih >= 0 && ih < d[2] && iw >= 0 && iw < d[3];
                            if (inside) {
                                float v = x.floats()[(nc * d[2] + ih) * d[3] + iw];
                                acc = max ? Math.max(acc, v) : acc + v;
                            }
                            if (inside || (includePad && ih < d[2] + g.padBottom() && iw < d[3] + g.padRight())) {
                                count++;
                            }
                        }
                    }
                    out[(nc * g.outH() + oh) * g.outW() + ow] = (float) (max ? acc : acc / count);
                }
            }
        }
        return Tensor.ofFloats(Shape.of(d[0], d[1], g.outH(), g.outW()), out);
    }

}
