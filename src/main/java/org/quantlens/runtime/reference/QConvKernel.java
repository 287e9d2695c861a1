package org.quantlens.runtime.reference;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Integer 2-D convolution (ONNX Conv / QLinearConv semantics, TFLite reference {@code integer_ops::ConvPerChannel}):
 * for output channel {@code m} of group {@code g = m / (M / group)},
 * <pre>
 *   acc = bias[m] + sum_{ic, kh, kw} (x[n, g*Cg + ic, ih, iw] - zx) * (w[m, ic, kh, kw] - zw[m])
 *   ih = oh * strideH - padTop + kh * dilationH,  iw likewise
 *   y[n, m, oh, ow] = clamp(zy + requant(acc, s_x * s_w[m] / s_y), lo, hi)     (see {@link Requantizer})
 * </pre>
 * Padding reads as the input zero point (real 0), so padded taps add {@code (zx - zx) * w = 0} and are skipped.
 * Products fit in int; the sum is kept in long and saturated to int32 before requantization (a real int32
 * accumulator would wrap only for more than ~33 000 taps). Depthwise is {@code group == C}. The weights and bias were
 * quantized when the model was built; the node's weight/bias inputs are ignored at run time.
 *
 * <p>Without a requantizer ({@code requant == null}, ONNX ConvInteger) the output is the int32 accumulator itself,
 * {@code y[n, m, oh, ow] = acc} (saturated to int32), as an INT32 tensor.
 */
public final class QConvKernel implements OpKernel {
    private final Node node;
    private final int[] w;
    private final int[] wShape;
    private final int[] wZero;
    private final int[] bias;
    private final int group;
    private final QuantParams x;
    private final QuantParams y;
    private final Requantizer requant;

    /**
     * @param w      weight codes, row-major {@code [M, C/group, kH, kW]}
     * @param wZero  weight zero point per output channel (length M)
     * @param bias   int32 bias per output channel (scale {@code s_x * s_w[m]}, zero point 0), or null
     * @param x      input parameters (only the zero point is read)
     * @param y      output parameters, or null with {@code requant == null}
     * @param requant the output stage, or null for int32 accumulators
     */
    public QConvKernel(Node node, int[] w, int[] wShape, int[] wZero, int[] bias, QuantParams x, QuantParams y,
                       Requantizer requant) {
        this.node = node;
        this.w = w;
        this.wShape = wShape;
        this.wZero = wZero;
        this.bias = bias;
        this.group = (int) node.attrInt("group", 1);
        this.x = x;
        this.y = y;
        this.requant = requant;
        if (wShape.length != 4 || group < 1 || wShape[0] % group != 0) {
            throw new KernelException("integer Conv needs a 4-D weight whose channel count divides by group");
        }
    }

    @Override
    public Tensor[] compute(Tensor[] inputs, ExecContext ctx) {
        Tensor in = inputs[0];
        int[] d = in.shape().dims();
        int outC = wShape[0];
        int cPerGroup = wShape[1];
        if (d.length != 4 || d[1] != cPerGroup * group) {
            throw new KernelException("input " + in.shape() + " does not fit weight " + Shape.of(wShape)
                    + " with group " + group);
        }
        int n = d[0];
        int h = d[2];
        int wd = d[3];
        WindowGeometry g = WindowGeometry.of(node, h, wd, new int[] {wShape[2], wShape[3]});
        int[] q = QuantTensors.codes(in);
        int[] out = new int[n * outC * g.outH() * g.outW()];
        int mPerGroup = outC / group;
        int zx = x.zeroPoint();
        ctx.parallelFor(n * outC, (long) cPerGroup * wShape[2] * wShape[3] * g.outH() * g.outW(), (s, e) -> {
            for (int nm = s; nm < e; nm++) {
                int b = nm / outC;
                int m = nm % outC;
                int c0 = (m / mPerGroup) * cPerGroup;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        long acc = bias == null ? 0 : bias[m];
                        for (int ic = 0; ic < cPerGroup; ic++) {
                            int xBase = ((b * d[1] + c0 + ic) * h) * wd;
                            int wBase = ((m * cPerGroup + ic) * g.kernelH()) * g.kernelW();
                            for (int kh = 0; kh < g.kernelH(); kh++) {
                                int ih = oh * g.strideH() - g.padTop() + kh * g.dilationH();
                                if (ih < 0 || ih >= h) {
                                    continue;
                                }
                                for (int kw = 0; kw < g.kernelW(); kw++) {
                                    int iw = ow * g.strideW() - g.padLeft() + kw * g.dilationW();
                                    if (iw < 0 || iw >= wd) {
                                        continue;
                                    }
                                    acc += (q[xBase + ih * wd + iw] - zx)
                                            * (w[wBase + kh * g.kernelW() + kw] - wZero[m]);
                                }
                            }
                        }
                        int acc32 = QuantTensors.saturateToInt(acc);
                        out[(nm * g.outH() + oh) * g.outW() + ow] = requant == null ? acc32
                                : requant.apply(acc32, requant.channels() == 1 ? 0 : m);
                    }
                }
            }
        });
        Shape outShape = Shape.of(n, outC, g.outH(), g.outW());
        return new Tensor[] {requant == null ? Tensor.ofInts(outShape, out) : QuantTensors.fromCodes(out, outShape, y)};
    }
}
