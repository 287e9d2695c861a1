package org.quantlens.ir;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.tensor.DType;

/**
 * Output shapes of the element-wise and matrix operators: numpy broadcasting (Add, Sub, Mul, Div), numpy
 * {@code matmul} (MatMul, QLinearMatMul, MatMulInteger), Gemm, and the type changes of Cast, QuantizeLinear and
 * DequantizeLinear, all per the ONNX operator specs.
 */
final class MathShapes {
    private MathShapes() {
    }

    /** Add/Sub/Mul/Div: multidirectional broadcast of inputs 0 and 1, the type of input 0. */
    static void broadcastBinary(InferenceContext c) {
        DType t = c.inputType(0) != null ? c.inputType(0) : c.inputType(1);
        c.output(0, t, DimMath.broadcast(c, c.inputDims(0), c.inputDims(1)));
        List<SymInt> a = c.intValue(c.node().input(0));
        List<SymInt> b = c.intValue(c.node().input(1));
        if (a != null && b != null) {
            c.outputIntValue(0, arithmetic(c.node().opType(), a, b));
        }
    }

    /** Element-wise arithmetic on tracked integer values (shape computations); null when unsupported. */
    private static List<SymInt> arithmetic(String op, List<SymInt> a, List<SymInt> b) {
        int n = Math.max(a.size(), b.size());
        if ((a.size() != n && a.size() != 1) || (b.size() != n && b.size() != 1)) {
            return null;
        }
        List<SymInt> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SymInt x = a.get(a.size() == 1 ? 0 : i);
            SymInt y = b.get(b.size() == 1 ? 0 : i);
            if (!x.known() || !y.known()) {
                boolean keepsX = (op.equals("Mul") || op.equals("Div")) && y.known() && y.value() == 1
                        || (op.equals("Add") || op.equals("Sub")) && y.known() && y.value() == 0;
                r.add(keepsX ? x : SymInt.unknown());
                continue;
            }
            r.add(switch (op) {
                case "Add" -> SymInt.of(x.value() + y.value());
                case "Sub" -> SymInt.of(x.value() - y.value());
                case "Mul" -> SymInt.of(x.value() * y.value());
                default -> y.value() == 0 ? SymInt.unknown() : SymInt.of(x.value() / y.value());
            });
        }
        return r;
    }

    /**
     * numpy matmul of inputs {@code aIdx} and {@code bIdx}: 1-D operands are promoted (and the promoted axis
     * dropped again), batch dims broadcast, the inner dims must agree.
     */
    static void matmul(InferenceContext c, int aIdx, int bIdx, DType outType) {
        List<Dim> a = c.inputDims(aIdx);
        List<Dim> b = c.inputDims(bIdx);
        if (a == null || b == null) {
            c.output(0, outType, null);
            return;
        }
        if (a.isEmpty() || b.isEmpty()) {
            throw c.fail("operands must have rank >= 1, got " + DimMath.text(a) + " and " + DimMath.text(b));
        }
        List<Dim> a2 = a.size() == 1 ? List.of(Dim.of(1), a.get(0)) : a;
        List<Dim> b2 = b.size() == 1 ? List.of(b.get(0), Dim.of(1)) : b;
        Dim ka = a2.get(a2.size() - 1);
        Dim kb = b2.get(b2.size() - 2);
        if (DimMath.conflict(ka, kb)) {
            throw c.fail("inner dimensions differ: " + DimMath.text(a) + " x " + DimMath.text(b));
        }
        List<Dim> out = new ArrayList<>(DimMath.broadcast(c, a2.subList(0, a2.size() - 2),
                b2.subList(0, b2.size() - 2)));
        if (a.size() > 1) {
            out.add(a2.get(a2.size() - 2));
        }
        if (b.size() > 1) {
            out.add(b2.get(b2.size() - 1));
        }
        c.output(0, outType, out);
    }

    /** Gemm: {@code [M, N]} from A (transA) and B (transB); C must broadcast to it (unidirectionally). */
    static void gemm(InferenceContext c) {
        Node n = c.node();
        List<Dim> a = c.inputDims(0);
        List<Dim> b = c.inputDims(1);
        DType t = c.inputType(0);
        if ((a != null && a.size() != 2) || (b != null && b.size() != 2)) {
            throw c.fail("A and B must be 2-D, got " + DimMath.text(a) + " and " + DimMath.text(b));
        }
        boolean ta = n.attrInt("transA", 0) != 0;
        boolean tb = n.attrInt("transB", 0) != 0;
        Dim m = a == null ? Dim.unknown() : a.get(ta ? 1 : 0);
        Dim ka = a == null ? Dim.unknown() : a.get(ta ? 0 : 1);
        Dim kb = b == null ? Dim.unknown() : b.get(tb ? 1 : 0);
        Dim cols = b == null ? Dim.unknown() : b.get(tb ? 0 : 1);
        if (DimMath.conflict(ka, kb)) {
            throw c.fail("inner dimensions differ: A " + DimMath.text(a) + (ta ? "^T" : "") + " x B "
                    + DimMath.text(b) + (tb ? "^T" : ""));
        }
        List<Dim> out = List.of(m, cols);
        List<Dim> bias = n.hasInput(2) ? c.inputDims(2) : null;
        if (bias != null) {
            checkUnidirectional(c, bias, out);
        }
        c.output(0, t, out);
    }

    private static void checkUnidirectional(InferenceContext c, List<Dim> from, List<Dim> to) {
        if (from.size() > to.size()) {
            throw c.fail("C " + DimMath.text(from) + " cannot broadcast to " + DimMath.text(to));
        }
        for (int i = 0; i < from.size(); i++) {
            Dim f = from.get(i);
            Dim t = to.get(to.size() - from.size() + i);
            if (f.isKnown() && f.value() != 1 && DimMath.conflict(f, t)) {
                throw c.fail("C " + DimMath.text(from) + " cannot broadcast to " + DimMath.text(to));
            }
        }
    }

    /** Cast: same dims, the type of {@code to} (null when QuantLens has no such type); keeps tracked integers. */
    static void cast(InferenceContext c) {
        DType to = DType.fromOnnxCode((int) c.node().attrInt("to", 0));
        c.output(0, to, c.inputDims(0));
        if (to != null && to.isInteger()) {
            c.outputIntValue(0, c.intValue(c.node().input(0)));
        }
    }

    /**
     * QuantizeLinear: dims of x; type of the zero point when given, else the {@code output_dtype} attribute
     * (opset 21), else uint8 as the spec defaults.
     */
    static void quantize(InferenceContext c) {
        DType t = c.node().hasInput(2) ? c.inputType(2) : null;
        if (t == null && c.node().has("output_dtype")) {
            t = DType.fromOnnxCode((int) c.node().attrInt("output_dtype", 0));
        } else if (t == null && !c.node().hasInput(2)) {
            t = DType.UINT8;
        }
        c.output(0, t, c.inputDims(0));
    }

    /** DequantizeLinear: dims of x; the scale's float type (opset 19 allows float16), float32 by default. */
    static void dequantize(InferenceContext c) {
        DType s = c.inputType(1);
        c.output(0, s != null && s.isFloatingPoint() ? s : DType.FLOAT32, c.inputDims(0));
    }
}
