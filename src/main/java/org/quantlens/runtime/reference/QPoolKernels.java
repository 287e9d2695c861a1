package org.quantlens.runtime.reference;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantizedMultiplier;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Integer 2-D pools on NCHW 8-bit tensors: MaxPool, AveragePool, GlobalAveragePool. */
public final class QPoolKernels {
    private QPoolKernels() {
    }

    /**
     * MaxPool on codes: {@code y = max over the window of x}, the output keeps the input's parameters (max commutes
     * with the monotone dequantization, so this is exact, as TFLite's and ONNX Runtime's quantized MaxPool). Padding
     * never wins (it is skipped); a window entirely in padding cannot occur for valid pads. The optional Indices
     * output is not produced (such nodes fall back).
     */
    public static OpKernel maxPool(Node node, QuantParams p) {
        return (inputs, ctx) -> {
            int[] d = dims4(inputs[0]);
            WindowGeometry g = WindowGeometry.of(node, d[2], d[3], null);
            int[] q = QuantTensors.codes(inputs[0]);
            int[] out = new int[d[0] * d[1] * g.outH() * g.outW()];
            for (int nc = 0; nc < d[0] * d[1]; nc++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int best = Integer.MIN_VALUE;
                        for (int kh = 0; kh < g.kernelH(); kh++) {
                            int ih = oh * g.strideH() - g.padTop() + kh * g.dilationH();
                            for (int kw = 0; ih >= 0 && ih < d[2] && kw < g.kernelW(); kw++) {
                                int iw = ow * g.strideW() - g.padLeft() + kw * g.dilationW();
                                if (iw >= 0 && iw < d[3]) {
                                    best = Math.max(best, q[(nc * d[2] + ih) * d[3] + iw]);
                                }
                            }
                        }
                        out[(nc * g.outH() + oh) * g.outW() + ow] = best == Integer.MIN_VALUE ? p.zeroPoint() : best;
                    }
                }
            }
            return new Tensor[] {QuantTensors.fromCodes(out, Shape.of(d[0], d[1], g.outH(), g.outW()), p)};
        };
    }

    /**
     * AveragePool: {@code sum = sum over the window of (x - zx)} in int (long-safe for any window), then
     * {@code y = clamp(zy + requant(sum, s_x / (s_y * count)), qmin, qmax)} with {@code count} the taps inside the
     * input ({@code count_include_pad = 0}) or inside the padded input ({@code count_include_pad = 1}, ONNX).
     * Fixed point: one {@link QuantizedMultiplier} per count (TFLite rounds the average half away from zero
     * instead, {@code (sum + count/2) / count}; here the single rounding is in the multiplier); float:
     * {@code rint(float(sum) * float(s_x / (s_y * count)))} as ONNX Runtime's QLinearAveragePool up to float
     * rounding of the dequantize-average-quantize chain.
     */
    public static OpKernel averagePool(Node node, QuantParams x, QuantParams y, RequantMode mode) {
        boolean includePad = node.attrInt("count_include_pad", 0) != 0;
        return (inputs, ctx) -> {
            int[] d = dims4(inputs[0]);
            WindowGeometry g = WindowGeometry.of(node, d[2], d[3], null);
            Requantizer rq = perCount(x, y, mode, g.kernelH() * g.kernelW());
            int[] q = QuantTensors.codes(inputs[0]);
            int[] out = new int[d[0] * d[1] * g.outH() * g.outW()];
            int padEndH = d[2] + g.padBottom();
            int padEndW = d[3] + g.padRight();
            for (int nc = 0; nc < d[0] * d[1]; nc++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        long sum = 0;
                        int count = 0;
                        for (int kh = 0; kh < g.kernelH(); kh++) {
                            int ih = oh * g.strideH() - g.padTop() + kh * g.dilationH();
                            for (int kw = 0; kw < g.kernelW(); kw++) {
                                int iw = ow * g.strideW() - g.padLeft() + kw * g.dilationW();
                                boolean inside = ih >= 0 && ih < d[2] && iw >= 0 && iw < d[3];
                                if (inside) {
                                    sum += q[(nc * d[2] + ih) * d[3] + iw] - x.zeroPoint();
                                }
                                if (inside || (includePad && ih < padEndH && iw < padEndW)) {
                                    count++;
                                }
                            }
                        }
                        out[(nc * g.outH() + oh) * g.outW() + ow] =
                                rq.apply(QuantTensors.saturateToInt(sum), Math.max(count, 1) - 1);
                    }
                }
            }
            return new Tensor[] {QuantTensors.fromCodes(out, Shape.of(d[0], d[1], g.outH(), g.outW()), y)};
        };
    }

    /**
     * GlobalAveragePool: AveragePool over all of H x W with {@code count = H * W}; output [N, C, 1, 1]. An empty
     * spatial extent gives {@code zy}.
     */
    public static OpKernel globalAveragePool(QuantParams x, QuantParams y, RequantMode mode) {
        return (inputs, ctx) -> {
            int[] d = dims4(inputs[0]);
            int hw = d[2] * d[3];
            Requantizer rq = Requantizer.single(mode, hw == 0 ? 0 : (double) x.scale() / ((double) y.scale() * hw),
                    y.zeroPoint(), y.qmin(), y.qmax());
            int[] q = QuantTensors.codes(inputs[0]);
            int[] out = new int[d[0] * d[1]];
            for (int nc = 0; nc < out.length; nc++) {
                long sum = 0;
                for (int i = 0; i < hw; i++) {
                    sum += q[nc * hw + i] - x.zeroPoint();
                }
                out[nc] = rq.apply(QuantTensors.saturateToInt(sum));
            }
            return new Tensor[] {QuantTensors.fromCodes(out, Shape.of(d[0], d[1], 1, 1), y)};
        };
    }

    /** Channel {@code c} of the result divides by {@code c + 1}. */
    private static Requantizer perCount(QuantParams x, QuantParams y, RequantMode mode, int maxCount) {
        double[] real = new double[maxCount];
        for (int c = 0; c < maxCount; c++) {
            real[c] = (double) x.scale() / ((double) y.scale() * (c + 1));
        }
        return new Requantizer(mode, real, y.zeroPoint(), y.qmin(), y.qmax());
    }

    private static int[] dims4(Tensor t) {
        if (t.rank() != 4) {
            throw new KernelException("integer pools need an NCHW input, got " + t.shape());
        }
        return t.shape().dims();
    }
}
