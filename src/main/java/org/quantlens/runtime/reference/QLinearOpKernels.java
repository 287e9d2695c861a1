package org.quantlens.runtime.reference;

import java.util.Arrays;
import java.util.Set;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The ONNX operators that carry their own quantization: QLinearConv, QLinearMatMul (opset 10/21), ConvInteger and
 * MatMulInteger (opset 10). Every input (codes, scales, zero points, bias) is read at run time, so they work when
 * these are graph inputs (the ONNX backend tests) as well as initializers. The loops are {@link QConvKernel} and
 * {@link QGemmKernel}:
 * <pre>
 *   ConvInteger / MatMulInteger:  y = acc                     (int32; acc as in QConvKernel / QGemmKernel)
 *   QLinearConv / QLinearMatMul:  y = saturate(zy + requant(acc, s_x * s_w[c] / s_y))   (8-bit, y_zero_point's type)
 * </pre>
 * with {@code acc = bias + sum (x - zx) * (w - zw[c])}. Weight zero points and scales may be one value or one per
 * output channel (Conv: per output feature map, the case ONNX Runtime cannot run for ConvInteger; MatMul: per
 * column of B). The input zero point must be a single value (per-row a_zero_point of MatMulInteger is rejected).
 * Requantization follows {@link Requantizer} in the chosen {@link RequantMode}; {@code FLOAT} is what the ONNX
 * reference implementation and ONNX Runtime's MLAS do ({@code rint(acc * M)}, half to even). MatMul operands must
 * have rank &gt;= 2; batch dimensions broadcast as numpy's matmul. Conv is 2-D only (as {@link WindowGeometry}).
 */
public final class QLinearOpKernels {
    /** The operators this class registers. */
    public static final Set<String> OPERATORS = Set.of("QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger");

    private QLinearOpKernels() {
    }

    /** Registers the four operators with requantization {@code mode}. */
    public static void register(KernelRegistry registry, RequantMode mode) {
        registry.register("QLinearConv", (node, opset) -> qLinearConv(node, mode));
        registry.register("ConvInteger", (node, opset) -> convInteger(node));
        registry.register("QLinearMatMul", (node, opset) -> qLinearMatMul(mode));
        registry.register("MatMulInteger", (node, opset) -> matMulInteger());
    }

    /** True when {@code n} is one of {@link #OPERATORS} in the default domain. */
    public static boolean handles(Node n) {
        return n.domain().isEmpty() && OPERATORS.contains(n.opType());
    }

    /** QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp[, B]). */
    public static OpKernel qLinearConv(Node node, RequantMode mode) {
        return (in, ctx) -> {
            Tensor x = need(in, 0, "x");
            Tensor w = need(in, 3, "w");
            int outC = w.rank() > 0 ? w.shape().dim(0) : 0;
            QuantParams xp = params(x, scalar(need(in, 1, "x_scale")), need(in, 2, "x_zero_point"));
            QuantParams yp = params(need(in, 7, "y_zero_point"), scalar(need(in, 6, "y_scale")), in[7]);
            float[] wScale = perChannelScales(need(in, 4, "w_scale"), outC);
            int[] bias = in.length > 8 && in[8] != null ? perChannel(in[8], outC, "B") : null;
            Requantizer rq = new Requantizer(mode, multipliers(xp.scale(), wScale, yp.scale()), yp.zeroPoint(),
                    yp.qmin(), yp.qmax());
            return new QConvKernel(node, QuantTensors.codes(w), w.shape().dims(),
                    perChannel(need(in, 5, "w_zero_point"), outC, "w_zero_point"), bias, xp, yp, rq)
                    .compute(new Tensor[] {x}, ctx);
        };
    }

    /** ConvInteger(x, w[, x_zp][, w_zp]) -> int32. */
    public static OpKernel convInteger(Node node) {
        return (in, ctx) -> {
            Tensor x = need(in, 0, "x");
            Tensor w = need(in, 1, "w");
            int outC = w.rank() > 0 ? w.shape().dim(0) : 0;
            QuantParams xp = params(x, 1f, optional(in, 2));
            int[] wZero = optional(in, 3) == null ? new int[outC] : perChannel(in[3], outC, "w_zero_point");
            return new QConvKernel(node, QuantTensors.codes(w), w.shape().dims(), wZero, null, xp, null, null)
                    .compute(new Tensor[] {x}, ctx);
        };
    }

    /** QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp). */
    public static OpKernel qLinearMatMul(RequantMode mode) {
        return (in, ctx) -> {
            Tensor a = need(in, 0, "a");
            Tensor b = need(in, 3, "b");
            int n = columns(b);
            QuantParams ap = params(a, scalar(need(in, 1, "a_scale")), need(in, 2, "a_zero_point"));
            QuantParams yp = params(need(in, 7, "y_zero_point"), scalar(need(in, 6, "y_scale")), in[7]);
            float[] bScale = perChannelScales(need(in, 4, "b_scale"), n);
            Requantizer rq = new Requantizer(mode, multipliers(ap.scale(), bScale, yp.scale()), yp.zeroPoint(),
                    yp.qmin(), yp.qmax());
            return new Tensor[] {matMul(a, b, ap, perChannel(need(in, 5, "b_zero_point"), n, "b_zero_point"), yp, rq,
                    ctx)};
        };
    }

    /** MatMulInteger(A, B[, a_zp][, b_zp]) -> int32. */
    public static OpKernel matMulInteger() {
        return (in, ctx) -> {
            Tensor a = need(in, 0, "A");
            Tensor b = need(in, 1, "B");
            int n = columns(b);
            QuantParams ap = params(a, 1f, optional(in, 2));
            int[] bZero = optional(in, 3) == null ? new int[n] : perChannel(in[3], n, "b_zero_point");
            return new Tensor[] {matMul(a, b, ap, bZero, null, null, ctx)};
        };
    }

    /**
     * {@code a @ b} on codes with numpy broadcasting of the batch dims: each [M, K] x [K, N] pair runs through
     * {@link QGemmKernel}; {@code y}/{@code rq} null gives int32 accumulators.
     */
    static Tensor matMul(Tensor a, Tensor b, QuantParams ap, int[] bZero, QuantParams y, Requantizer rq,
                         ExecContext ctx) {
        int[] da = a.shape().dims();
        int[] db = b.shape().dims();
        if (da.length < 2 || db.length < 2) {
            throw new KernelException("integer MatMul needs operands of rank >= 2, got " + a.shape() + " and "
                    + b.shape());
        }
        int m = da[da.length - 2];
        int k = da[da.length - 1];
        int n = db[db.length - 1];
        if (db[db.length - 2] != k) {
            throw new KernelException("A " + a.shape() + " and B " + b.shape() + " do not multiply");
        }
        int[] batchA = Arrays.copyOf(da, da.length - 2);
        int[] batchB = Arrays.copyOf(db, db.length - 2);
        int[] batch = QElementwiseKernels.broadcastDims(batchA, batchB);
        int[] ia = QElementwiseKernels.broadcastIndex(batchA, batch);
        int[] ib = QElementwiseKernels.broadcastIndex(batchB, batch);
        int[] qb = QuantTensors.codes(b);
        byte[] qa = a.bytes();
        Object out = Tensor.allocate(y == null ? DType.INT32 : QuantTensors.dtypeFor(y), ia.length * m * n);
        for (int p = 0; p < ia.length; p++) {
            Tensor aSlice = Tensor.of(a.dtype(), Shape.of(m, k),
                    Arrays.copyOfRange(qa, ia[p] * m * k, (ia[p] + 1) * m * k));
            int[] bSlice = Arrays.copyOfRange(qb, ib[p] * k * n, (ib[p] + 1) * k * n);
            Tensor r = new QGemmKernel(bSlice, k, n, bZero, null, false, true, ap, y, rq)
                    .compute(new Tensor[] {aSlice}, ctx)[0];
            System.arraycopy(r.data(), 0, out, p * m * n, m * n);
        }
        int[] outDims = Arrays.copyOf(batch, batch.length + 2);
        outDims[batch.length] = m;
        outDims[batch.length + 1] = n;
        return Tensor.of(y == null ? DType.INT32 : QuantTensors.dtypeFor(y), Shape.of(outDims), out);
    }

    /** The parameters of 8-bit {@code codes}: the given scale, the zero point (0 when absent), the type's range. */
    static QuantParams params(Tensor codes, float scale, Tensor zeroPoint) {
        int zp = 0;
        if (zeroPoint != null) {
            if (zeroPoint.size() != 1) {
                throw new KernelException("the zero point of " + codes.dtype().displayName()
                        + " data must be a single value, got shape " + zeroPoint.shape());
            }
            if (zeroPoint.dtype() != codes.dtype()) {
                throw new KernelException("zero point is " + zeroPoint.dtype().displayName() + ", data is "
                        + codes.dtype().displayName());
            }
            zp = (int) zeroPoint.getLong(0);
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new KernelException("scale must be finite and > 0, got " + scale);
        }
        return switch (codes.dtype()) {
            case UINT8 -> new QuantParams(scale, zp, 0, 255);
            case INT8 -> new QuantParams(scale, zp, -128, 127);
            default -> throw new KernelException("expected int8 or uint8 data, got " + codes.dtype().displayName());
        };
    }

    private static Tensor need(Tensor[] in, int i, String what) {
        if (i >= in.length || in[i] == null) {
            throw new KernelException("missing input " + what);
        }
        return in[i];
    }

    private static Tensor optional(Tensor[] in, int i) {
        return i < in.length ? in[i] : null;
    }

    private static float scalar(Tensor t) {
        if (t.size() != 1 || t.dtype() != DType.FLOAT32) {
            throw new KernelException("expected a single float32 scale, got " + t.dtype().displayName() + t.shape());
        }
        return t.floats()[0];
    }

    private static float[] perChannelScales(Tensor t, int channels) {
        if (t.dtype() != DType.FLOAT32) {
            throw new KernelException("scales must be float32, got " + t.dtype().displayName());
        }
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = t.floats()[pick(t, channels, c, "scale")];
        }
        return s;
    }

    /** One int per channel from a tensor of 1 or {@code channels} integers. */
    private static int[] perChannel(Tensor t, int channels, String what) {
        int[] v = new int[channels];
        for (int c = 0; c < channels; c++) {
            v[c] = (int) t.getLong(pick(t, channels, c, what));
        }
        return v;
    }

    private static int pick(Tensor t, int channels, int c, String what) {
        if (t.size() == 1) {
            return 0;
        }
        if (t.size() != channels) {
            throw new KernelException(what + " has " + t.size() + " values for " + channels + " channels");
        }
        return c;
    }

    private static int columns(Tensor b) {
        if (b.rank() < 2) {
            throw new KernelException("integer MatMul needs B of rank >= 2, got " + b.shape());
        }
        return b.shape().dim(b.rank() - 1);
    }

    private static double[] multipliers(float xScale, float[] wScale, float yScale) {
        double[] m = new double[wScale.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = (double) xScale * wScale[c] / yScale;
        }
        return m;
    }
}
