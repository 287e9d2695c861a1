package org.quantlens.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.quantlens.exec.KernelFactory;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.WeightQuantization.QuantizedWeight;
import org.quantlens.runtime.reference.QPoolKernels;
import org.quantlens.runtime.reference.Requantizer;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Tensor;

/**
 * Chooses the integer kernel for one node, or none (the builder then falls back to FP32). Output parameters:
 * <ul>
 *   <li>Conv, Gemm, MatMul, Add, Mul: the table entry of the output (of the fused Relu/Clip when one is folded in);
 *       no entry means no integer kernel;</li>
 *   <li>AveragePool, GlobalAveragePool, Relu, Clip, Concat: the output's entry, else the input's parameters
 *       (Concat: only when all inputs share them);</li>
 *   <li>MaxPool and data movement (Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Slice, Gather, Identity): the
 *       input's parameters, whatever the table says, since they only pick or move codes;</li>
 *   <li>operators that carry their own quantization ({@link #NATIVE}: QuantizeLinear, DequantizeLinear,
 *       QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger) run their own kernel from the builder's registry
 *       (none there: no integer step) on whatever they are given; their output has parameters only when its scale
 *       and zero point are constant single values and it is not a graph output (a graph output keeps the
 *       operator's own type).</li>
 * </ul>
 */
final class IntegerSteps {
    /** Operators whose inputs and outputs are already codes, scales and zero points (see the class doc). */
    static final Set<String> NATIVE = Set.of("QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul",
            "ConvInteger", "MatMulInteger");
    private static final Set<String> MOVERS =
            Set.of("Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Slice", "Gather", "Identity");

    /** An integer step, the parameters of what it writes, and the activation node it absorbed (or null). */
    record Built(QuantizedStep step, String output, QuantParams outParams, Node fused) {
    }

    /** What the factory needs from the builder. */
    interface Context {
        Graph graph();

        /** Parameters of a value held quantized, or null. */
        QuantParams params(String value);

        /** The table's parameters for a value, or null. */
        QuantParams tableParams(String value);

        /** A Relu/Clip that only this node's output feeds and that can be folded into it, or null. */
        Node fusableActivation(Node producer);

        long opset(Node n);

        RuntimeOptions options();

        org.quantlens.calib.CalibrationTable table();

        KernelRegistry fp32();
    }

    private final Context c;

    IntegerSteps(Context c) {
        this.c = c;
    }

    /** The integer step for {@code n}, or null; may throw IllegalArgumentException/KernelException (caller falls back). */
    Built build(Node n) {
        String op = n.opType();
        if (n.domain().isEmpty() && NATIVE.contains(op) && n.outputs().size() == 1) {
            return nativeStep(n);
        }
        QuantParams x = n.hasInput(0) ? c.params(n.input(0)) : null;
        if (!n.domain().isEmpty() || n.outputs().size() != 1 || (x == null && !op.equals("Concat"))) {
            return null;
        }
        return switch (op) {
            case "Conv" -> conv(n, x);
            case "Gemm", "MatMul" -> gemm(n, x);
            case "Add", "Mul" -> addMul(n, x);
            case "MaxPool" -> simple(n, x, fast() ? org.quantlens.runtime.fast.QPoolKernels.maxPool(n, x)
                    : QPoolKernels.maxPool(n, x));
            case "AveragePool", "GlobalAveragePool" -> averagePool(n, x);
            case "Relu", "Clip" -> activation(n, x);
            case "Concat" -> concat(n);
            default -> MOVERS.contains(op) ? simple(n, x, c.fp32().find(op).create(n, c.opset(n))) : null;
        };
    }

    private Built nativeStep(Node n) {
        KernelFactory f = c.fp32().find(n.opType());
        if (f == null) {
            return null;
        }
        String out = n.outputs().get(0);
        int scaleInput = switch (n.opType()) {
            case "QuantizeLinear" -> 1;
            case "QLinearConv", "QLinearMatMul" -> 6;
            default -> -1;
        };
        QuantParams p = scaleInput < 0 || c.graph().outputNames().contains(out) ? null : constantParams(n, scaleInput);
        return new Built(step(n, n.opType(), out, f.create(n, c.opset(n))), out, p, null);
    }

    /** {@code QuantParams} from constant single-value scale (input i) and zero point (input i + 1), else null. */
    private QuantParams constantParams(Node n, int i) {
        Tensor s = c.graph().initializers().get(n.input(i));
        Tensor z = n.hasInput(i + 1) ? c.graph().initializers().get(n.input(i + 1)) : null;
        if (s == null || s.size() != 1 || (n.hasInput(i + 1) && z == null) || (z != null && z.size() != 1)
                || (z == null && n.attrInt("output_dtype", 0) != 0)) {
            return null;
        }
        DType t = z == null ? org.quantlens.tensor.DType.UINT8 : z.dtype();
        int zp = z == null ? 0 : (int) z.getLong(0);
        return switch (t) {
            case UINT8 -> new QuantParams((float) s.getDouble(0), zp, 0, 255);
            case INT8 -> new QuantParams((float) s.getDouble(0), zp, -128, 127);
            default -> null;
        };
    }

    private Built conv(Node n, QuantParams x) {
        Tensor w = c.graph().initializers().get(n.input(1));
        Tensor b = n.hasInput(2) ? c.graph().initializers().get(n.input(2)) : null;
        if (w == null || w.rank() != 4 || (n.hasInput(2) && b == null)) {
            return null;
        }
        Out o = output(n);
        if (o == null) {
            return null;
        }
        QuantizedWeight qw = WeightQuantization.quantize(n.input(1), w, 0, c.options().perChannelWeights(), c.table());
        int[] bias = WeightQuantization.quantizeBias(b, x.scale(), qw.scales());
        Requantizer rq = new Requantizer(c.options().requantMode(), multipliers(x, qw.scales(), o.params),
                o.params.zeroPoint(), o.clamp.lo(o.params), o.clamp.hi(o.params));
        OpKernel k = fast()
                ? new org.quantlens.runtime.fast.QConvKernel(n, qw.codes(), w.shape().dims(), qw.zeroPoints(), bias,
                        x, o.params, rq)
                : new org.quantlens.runtime.reference.QConvKernel(n, qw.codes(), w.shape().dims(), qw.zeroPoints(),
                        bias, x, o.params, rq);
        return built(n, o, k);
    }

    private Built gemm(Node n, QuantParams x) {
        boolean isGemm = n.opType().equals("Gemm");
        Tensor w = c.graph().initializers().get(n.input(1));
        Tensor bias = isGemm && n.hasInput(2) ? c.graph().initializers().get(n.input(2)) : null;
        boolean transB = isGemm && n.attrInt("transB", 0) != 0;
        if (w == null || w.rank() != 2 || (isGemm && (n.attrFloat("alpha", 1f) != 1f
                || (n.hasInput(2) && (bias == null || n.attrFloat("beta", 1f) != 1f || bias.rank() > 2))))) {
            return null;
        }
        Out o = output(n);
        if (o == null) {
            return null;
        }
        int axis = transB ? 0 : 1;
        QuantizedWeight qw = WeightQuantization.quantize(n.input(1), w, axis, c.options().perChannelWeights(), c.table());
        int k = w.shape().dim(1 - axis);
        int cols = w.shape().dim(axis);
        int[] kn = transB ? transpose(qw.codes(), cols, k) : qw.codes();
        int[] qBias = WeightQuantization.quantizeBias(bias, x.scale(), qw.scales());
        Requantizer rq = new Requantizer(c.options().requantMode(), multipliers(x, qw.scales(), o.params),
                o.params.zeroPoint(), o.clamp.lo(o.params), o.clamp.hi(o.params));
        boolean transA = isGemm && n.attrInt("transA", 0) != 0;
        OpKernel kernel = fast()
                ? new org.quantlens.runtime.fast.QGemmKernel(kn, k, cols, qw.zeroPoints(), qBias, transA, !isGemm, x,
                        o.params, rq)
                : new org.quantlens.runtime.reference.QGemmKernel(kn, k, cols, qw.zeroPoints(), qBias, transA,
                        !isGemm, x, o.params, rq);
        return built(n, o, kernel);
    }

    private Built addMul(Node n, QuantParams a) {
        QuantParams b = n.hasInput(1) ? c.params(n.input(1)) : null;
        Out o = b == null ? null : output(n);
        if (o == null) {
            return null;
        }
        int lo = o.clamp.lo(o.params);
        int hi = o.clamp.hi(o.params);
        boolean add = n.opType().equals("Add");
        RequantMode mode = c.options().requantMode();
        OpKernel k = fast()
                ? (add ? org.quantlens.runtime.fast.QElementwiseKernels.add(a, b, o.params, lo, hi, mode)
                        : org.quantlens.runtime.fast.QElementwiseKernels.mul(a, b, o.params, lo, hi, mode))
                : (add ? org.quantlens.runtime.reference.QElementwiseKernels.add(a, b, o.params, lo, hi, mode)
                        : org.quantlens.runtime.reference.QElementwiseKernels.mul(a, b, o.params, lo, hi, mode));
        return built(n, o, k);
    }

    /** True when the options ask for the fast kernel set. */
    private boolean fast() {
        return c.options().kernels() == KernelSet.FAST;
    }

    private Built averagePool(Node n, QuantParams x) {
        QuantParams y = orElse(c.tableParams(n.outputs().get(0)), x);
        OpKernel k = n.opType().equals("AveragePool")
                ? QPoolKernels.averagePool(n, x, y, c.options().requantMode())
                : QPoolKernels.globalAveragePool(x, y, c.options().requantMode());
        return new Built(step(n, n.opType(), n.outputs().get(0), k), n.outputs().get(0), y, null);
    }

    private Built activation(Node n, QuantParams x) {
        ActivationClamp clamp = ActivationClamp.of(n, c.graph(), c.opset(n));
        if (clamp == null) {
            return null;
        }
        QuantParams y = orElse(c.tableParams(n.outputs().get(0)), x);
        RequantMode mode = c.options().requantMode();
        OpKernel k = fast()
                ? org.quantlens.runtime.fast.QElementwiseKernels.requantizeClamp(x, y, clamp.lo(y), clamp.hi(y), mode)
                : org.quantlens.runtime.reference.QElementwiseKernels.requantizeClamp(x, y, clamp.lo(y), clamp.hi(y),
                        mode);
        return new Built(step(n, n.opType(), n.outputs().get(0), k), n.outputs().get(0), y, null);
    }

    private Built concat(Node n) {
        List<QuantParams> in = new ArrayList<>();
        for (String s : n.inputs()) {
            QuantParams p = c.params(s);
            if (p == null) {
                return null;
            }
            in.add(p);
        }
        QuantParams y = c.tableParams(n.outputs().get(0));
        if (y == null) {
            y = in.stream().distinct().count() == 1 ? in.get(0) : null;
        }
        if (y == null) {
            return null;
        }
        QuantParams out = y;
        OpKernel join = c.fp32().find("Concat").create(n, c.opset(n));
        RequantMode mode = c.options().requantMode();
        OpKernel k = (inputs, ctx) -> {
            Tensor[] moved = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                moved[i] = in.get(i).equals(out) ? inputs[i]
                        : org.quantlens.runtime.reference.QElementwiseKernels.requantize(inputs[i], in.get(i), out,
                                out.qmin(), out.qmax(), mode);
            }
            return join.compute(moved, ctx);
        };
        return new Built(step(n, "Concat", n.outputs().get(0), k), n.outputs().get(0), y, null);
    }

    private Built simple(Node n, QuantParams x, OpKernel k) {
        return new Built(step(n, n.opType(), n.outputs().get(0), k), n.outputs().get(0), x, null);
    }

    /** Where a node with a table-given output writes: itself or its folded activation. */
    private record Out(String name, QuantParams params, ActivationClamp clamp, Node act) {
    }

    private Out output(Node n) {
        Node act = c.fusableActivation(n);
        if (act != null) {
            QuantParams p = c.tableParams(act.outputs().get(0));
            ActivationClamp clamp = ActivationClamp.of(act, c.graph(), c.opset(act));
            if (p != null && clamp != null && clamp.lo(p) <= clamp.hi(p)) {
                return new Out(act.outputs().get(0), p, clamp, act);
            }
        }
        QuantParams p = c.tableParams(n.outputs().get(0));
        return p == null ? null : new Out(n.outputs().get(0), p, ActivationClamp.NONE, null);
    }

    private Built built(Node n, Out o, OpKernel k) {
        String op = o.act == null ? n.opType() : n.opType() + "+" + o.act.opType();
        return new Built(step(n, op, o.name, k), o.name, o.params, o.act);
    }

    private static QuantizedStep step(Node n, String op, String output, OpKernel k) {
        return new QuantizedStep(n.displayName(), op, n.inputs(), List.of(output), k, false);
    }

    private static double[] multipliers(QuantParams x, float[] wScales, QuantParams y) {
        double[] m = new double[wScales.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (double) x.scale() * wScales[i] / y.scale();
        }
        return m;
    }

    private static int[] transpose(int[] a, int rows, int cols) {
        int[] t = new int[a.length];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                t[col * rows + r] = a[r * cols + col];
            }
        }
        return t;
    }

    private static QuantParams orElse(QuantParams p, QuantParams dflt) {
        return p != null ? p : dflt;
    }

    static boolean isMover(String op) {
        return MOVERS.contains(op);
    }
}
