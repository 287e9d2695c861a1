package org.quantlens.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Rewrites an ONNX QDQ model (QuantizeLinear/DequantizeLinear around float ops, as ONNX Runtime's
 * {@code quantize_static(quant_format=QDQ)} and our own export write it) into the float graph plus the
 * {@link CalibrationTable} that {@link QuantizedModelBuilder} turns into integer steps:
 * <ul>
 *   <li><b>Weights and biases</b>: a DequantizeLinear whose data is an 8-bit or int32 initializer and whose scale and
 *       zero point are constant becomes a float initializer with exactly DequantizeLinear's values (ONNX spec, the FP32
 *       engine's kernel). 8-bit weights also get a weight entry with the file's scales and zero points, so the builder
 *       re-quantizes to the same codes ({@code rint((q - zp) * s / s) + zp == q}); a per-tensor weight read by
 *       Conv/Gemm/MatMul is written as per-channel with the value repeated along the output-channel axis. Biases are
 *       re-quantized by the builder with scale {@code float32(s_x * s_w)}, which gives back the stored int32 for a
 *       bias quantized that way (ONNX Runtime's rule). The table's weight scheme is int8-symmetric ([-127, 127], the
 *       project's default for weights the file leaves in float) unless a file weight uses -128 or a non-zero zero
 *       point (int8-asymmetric) or is uint8.</li>
 *   <li><b>Activations</b>: a QuantizeLinear with a constant single scale and zero point whose every reader is a
 *       DequantizeLinear with the same scale and zero point is a pair: both go, the readers of the dequantized
 *       value read the float value instead, and that value gets an activation entry (on the full range of the zero
 *       point's type, [0, 255] or [-128, 127], as QuantizeLinear saturates). When a DequantizeLinear output is a graph
 *       output (ONNX Runtime's {@code X_QuantizeLinear_Input} renaming) the quantized value takes that output's name.</li>
 *   <li>Everything else stays as it is: unpaired QuantizeLinear/DequantizeLinear, QLinearConv, QLinearMatMul,
 *       ConvInteger, MatMulInteger, and pairs whose type differs from the first pair's (the table has one activation
 *       type) or that quantize an already quantized value with other parameters.</li>
 * </ul>
 * Differences from executing the QDQ graph literally: a float value read both through a pair and directly is read
 * quantized everywhere, and a Relu/Clip between two pairs is folded into its producer's output clamp.
 */
final class QdqLowering {

    /** The float graph and its table. */
    record Lowered(Model model, CalibrationTable table) {
    }

    private final Model qdq;
    private final Graph g;
    private final Map<String, List<Node>> readers = new HashMap<>();
    private final Map<String, Tensor> initializers;
    private final Set<Node> removed = new HashSet<>();
    private final Map<String, String> rename = new HashMap<>();
    private final Map<String, TensorEntry> entries = new LinkedHashMap<>();
    private DType activationType;
    private DType weightType;
    /** An int8 weight uses code -128 or a non-zero zero point, so int8-symmetric's [-127, 127] would clip it. */
    private boolean weightsNeedFullRange;

    private QdqLowering(Model qdq) {
        this.qdq = qdq;
        this.g = qdq.graph();
        this.initializers = new LinkedHashMap<>(g.initializers());
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
    }

    static Lowered lower(Model qdq) {
        return new QdqLowering(qdq).run();
    }

    private Lowered run() {
        for (Node n : g.nodes()) {
            if (is(n, "DequantizeLinear") && initializers.containsKey(n.input(0))) {
                constantDequantize(n);
            }
        }
        for (Node n : g.nodes()) {
            if (is(n, "QuantizeLinear") && !initializers.containsKey(n.input(0))) {
                activationPair(n);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!removed.contains(n)) {
                nodes.add(n.withInputs(n.inputs().stream().map(this::resolve).toList())
                        .withOutputs(n.outputs().stream().map(this::resolve).toList()));
            }
        }
        Graph lowered = new Graph(g.name(), nodes, g.inputs(), g.outputs(), initializers, g.valueInfo());
        String act = activationType == DType.INT8 ? "int8-asymmetric" : "uint8-asymmetric";
        // weights without an entry (float in the file) are quantized the project's default way, int8 symmetric
        String wts = weightType == DType.UINT8 ? "uint8-asymmetric"
                : weightsNeedFullRange ? "int8-asymmetric" : "int8-symmetric";
        CalibrationTable table = new CalibrationTable(new CalibrationTable.ModelRef("", ""),
                new CalibrationTable.ActivationSpec(act, 8), new CalibrationTable.WeightSpec(wts, 8, true), entries);
        return new Lowered(qdq.withGraph(lowered), table);
    }

    private static boolean is(Node n, String op) {
        return n.domain().isEmpty() && n.opType().equals(op) && n.outputs().size() == 1 && n.hasInput(1);
    }

    /** A DequantizeLinear of an initializer becomes a float initializer (plus a weight entry for 8-bit data). */
    private void constantDequantize(Node d) {
        Tensor q = initializers.get(d.input(0));
        Tensor scale = constant(d.input(1));
        Tensor zp = d.hasInput(2) ? constant(d.input(2)) : null;
        boolean eightBit = q.dtype() == DType.INT8 || q.dtype() == DType.UINT8;
        if (scale == null || (d.hasInput(2) && zp == null) || !(eightBit || q.dtype() == DType.INT32)
                || (eightBit && weightType != null && weightType != q.dtype())) {
            return;
        }
        Tensor real;
        try {
            real = KernelRegistry.standard().find("DequantizeLinear").create(d, opset())
                    .compute(new Tensor[] {q, scale, zp}, ExecContext.singleThreaded())[0];
        } catch (KernelException | IllegalArgumentException e) {
            throw new InvalidInputException("node " + d.displayName() + " (DequantizeLinear): " + e.getMessage(), e);
        }
        String out = d.outputs().get(0);
        initializers.put(out, real);
        removed.add(d);
        if (eightBit) {
            weightType = q.dtype();
            weightsNeedFullRange |= q.dtype() == DType.INT8 && usesFullInt8Range(q, zp);
            int axis = scale.size() == 1 ? -1 : Math.floorMod((int) d.attrInt("axis", 1), Math.max(1, q.rank()));
            entries.put(out, weightEntry(scale, zp, q.dtype(), axis == -1 ? outputChannelAxis(out, q) : axis,
                    axis == -1 ? repeatCount(q, outputChannelAxis(out, q)) : scale.size()));
        }
    }

    private static boolean usesFullInt8Range(Tensor q, Tensor zp) {
        for (byte b : q.bytes()) {
            if (b == Byte.MIN_VALUE) {
                return true;
            }
        }
        for (int i = 0; zp != null && i < zp.size(); i++) {
            if (zp.getLong(i) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The output-channel axis of a weight read by Conv, Gemm or MatMul as input 1; -1 otherwise. */
    private int outputChannelAxis(String weight, Tensor w) {
        List<Node> rs = readers.getOrDefault(weight, List.of());
        if (rs.size() != 1 || !rs.get(0).domain().isEmpty() || !rs.get(0).input(1).equals(weight)
                || rs.get(0).input(0).equals(weight)) {
            return -1;
        }
        Node r = rs.get(0);
        return switch (r.opType()) {
            case "Conv" -> w.rank() >= 1 ? 0 : -1;
            case "Gemm" -> w.rank() == 2 ? (r.attrInt("transB", 0) != 0 ? 0 : 1) : -1;
            case "MatMul" -> w.rank() == 2 ? 1 : -1;
            default -> -1;
        };
    }

    private static int repeatCount(Tensor w, int axis) {
        return axis < 0 ? 1 : w.shape().dim(axis);
    }

    private static WeightEntry weightEntry(Tensor scale, Tensor zp, DType type, int axis, int channels) {
        double[] s = new double[channels];
        int[] z = new int[channels];
        double[] lo = new double[channels];
        double[] hi = new double[channels];
        int qmin = type == DType.UINT8 ? 0 : -128;
        int qmax = type == DType.UINT8 ? 255 : 127;
        for (int c = 0; c < channels; c++) {
            int from = scale.size() == 1 ? 0 : c;
            s[c] = scale.getDouble(from);
            z[c] = zp == null ? 0 : (int) zp.getLong(from);
            lo[c] = (qmin - z[c]) * s[c];
            hi[c] = (qmax - z[c]) * s[c];
        }
        return new WeightEntry(axis, s, z, lo, hi);
    }

    /** A QuantizeLinear whose readers are all matching DequantizeLinears: drop the pair, record the entry. */
    private void activationPair(Node q) {
        String x = q.input(0);
        String codes = q.outputs().get(0);
        Tensor scale = constant(q.input(1));
        Tensor zp = q.hasInput(2) ? constant(q.input(2)) : null;
        DType type = zp == null ? DType.UINT8 : zp.dtype();
        List<Node> rs = readers.getOrDefault(codes, List.of());
        if (scale == null || scale.size() != 1 || scale.dtype() != DType.FLOAT32 || (q.hasInput(2) && zp == null)
                || (zp != null && zp.size() != 1) || (type != DType.UINT8 && type != DType.INT8)
                || (activationType != null && activationType != type) || rs.isEmpty()
                || g.outputNames().contains(codes)) {
            return;
        }
        String graphOutput = null;
        for (Node d : rs) {
            if (!is(d, "DequantizeLinear") || !d.input(0).equals(codes) || !sameConstant(d, 1, scale)
                    || !(d.hasInput(2) ? sameConstant(d, 2, zp) : zp == null || zp.getLong(0) == 0)) {
                return;
            }
            if (g.outputNames().contains(d.outputs().get(0))) {
                if (graphOutput != null || g.inputNames().contains(x) || g.outputNames().contains(x)) {
                    return;
                }
                graphOutput = d.outputs().get(0);
            }
        }
        String name = graphOutput != null ? graphOutput : resolve(x);
        ActivationEntry entry = activationEntry(scale.floats()[0], zp == null ? 0 : (int) zp.getLong(0), type);
        TensorEntry before = entries.get(name);
        if (before != null && !before.equals(entry)) {
            return;
        }
        activationType = type;
        entries.put(name, entry);
        removed.add(q);
        if (graphOutput != null) {
            rename.put(x, graphOutput);
        }
        for (Node d : rs) {
            removed.add(d);
            if (!d.outputs().get(0).equals(graphOutput)) {
                rename.put(d.outputs().get(0), name);
            }
        }
    }

    private static ActivationEntry activationEntry(float scale, int zp, DType type) {
        int qmin = type == DType.UINT8 ? 0 : -128;
        int qmax = type == DType.UINT8 ? 255 : 127;
        double lo = (qmin - zp) * (double) scale;
        double hi = (qmax - zp) * (double) scale;
        return new ActivationEntry("qdq", false, lo, hi, scale, zp, lo, hi);
    }

    private boolean sameConstant(Node n, int input, Tensor expected) {
        Tensor t = constant(n.input(input));
        return t != null && expected != null && t.dtype() == expected.dtype() && t.size() == 1
                && t.getDouble(0) == expected.getDouble(0);
    }

    /** An initializer, or the value of the Constant node producing {@code name}; null when neither. */
    private Tensor constant(String name) {
        Tensor t = initializers.get(name);
        if (t != null) {
            return t;
        }
        Node p = g.producer(name);
        if (p != null && p.domain().isEmpty() && p.opType().equals("Constant") && p.has("value")) {
            try {
                return p.attr("value").asTensor();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** The final name of a value after the pairs are removed (follows renames; stops on a cycle). */
    private String resolve(String v) {
        String cur = v;
        for (int hops = 0; hops <= rename.size() && rename.containsKey(cur); hops++) {
            cur = rename.get(cur);
        }
        return cur;
    }

    private long opset() {
        return qdq.opsets().getOrDefault("", qdq.defaultOpset());
    }
}
