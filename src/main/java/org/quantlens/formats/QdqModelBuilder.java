package org.quantlens.formats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Builds an ONNX QDQ model (opset >= 13) from an FP32 model and a table, in ONNX Runtime's layout and names:
 * <ul>
 * <li>each float activation X with an entry gets {@code QuantizeLinear(X, X_scale, X_zero_point) ->
 * X_QuantizeLinear_Output -> DequantizeLinear -> X_DequantizeLinear_Output}, which X's consumers then read (a graph
 * output X is produced as {@code X_QuantizeLinear_Input} and the DequantizeLinear outputs X); zero point uint8 for
 * uint8-asymmetric, int8 otherwise;</li>
 * <li>each float weight initializer W with an entry is stored quantized as {@code W_quantized}: q = clamp(round(w/s)
 * + zp) with round half to even (ONNX QuantizeLinear) into the weight scheme's range ([-127, 127] for
 * int8-symmetric), read through {@code DequantizeLinear(W_quantized, W_scale, W_zero_point, axis)};</li>
 * <li>a 1-D float bias B of a Conv or Gemm whose input and weight are both quantized is stored as int32
 * {@code B_quantized} = round(b / (s_in * s_w[c])) (saturated to int32), with scale s_in*s_w (float32 products) and
 * zero point 0, and a DequantizeLinear that outputs B itself.</li>
 * </ul>
 * Activations and weights beyond 8 bits are refused (they need opset 21 types).
 */
final class QdqModelBuilder {
    private final Model model;
    private final CalibrationTable table;
    private final Graph g;
    private final List<Node> prologue = new ArrayList<>();
    private final Map<String, Tensor> inits;
    private final Map<String, String> rename = new HashMap<>();
    private final List<String> warnings;

    private QdqModelBuilder(Model model, CalibrationTable table, List<String> warnings) {
        this.model = model;
        this.table = table;
        this.g = model.graph();
        this.inits = new LinkedHashMap<>(g.initializers());
        this.warnings = warnings;
    }

    /** The QDQ model; notes about entries that could not be applied go to {@code warnings}. */
    static Model build(Model model, CalibrationTable table, List<String> warnings) {
        if (model == null) {
            throw new InvalidInputException("onnx-qdq export needs the FP32 model");
        }
        if (model.defaultOpset() < 13) {
            throw new InvalidInputException("onnx-qdq export needs opset >= 13 (the model imports opset " + model.defaultOpset() + ")");
        }
        if (table.activations().bits() > 8 || table.weights().bits() > 8) {
            throw new InvalidInputException("onnx-qdq export supports at most 8 bits (table has activations "
                    + table.activations().bits() + ", weights " + table.weights().bits() + ")");
        }
        return new QdqModelBuilder(model, table, warnings).run();
    }

    private Model run() {
        Set<String> floatValues = floatActivations();
        Set<String> outputs = Set.copyOf(g.outputNames());
        table.weightEntries().forEach(this::quantizeWeight);
        quantizeBiases();
        List<Node> body = new ArrayList<>(prologue);
        for (String in : g.inputNames()) {
            if (floatValues.contains(in) && !outputs.contains(in)) {
                body.addAll(qdq(in, in, false));
            }
        }
        for (Node n : g.nodes()) {
            List<String> ins = n.inputs().stream().map(s -> rename.getOrDefault(s, s)).toList();
            List<String> outs = new ArrayList<>(n.outputs());
            List<Node> after = new ArrayList<>();
            for (int i = 0; i < outs.size(); i++) {
                String x = outs.get(i);
                if (floatValues.contains(x)) {
                    boolean isOutput = outputs.contains(x);
                    String produced = isOutput ? x + "_QuantizeLinear_Input" : x;
                    outs.set(i, produced);
                    after.addAll(qdq(x, produced, isOutput));
                }
            }
            body.add(new Node(n.name(), n.opType(), n.domain(), ins, outs, n.attributes()));
            body.addAll(after);
        }
        List<Node> rewired = body.stream().map(n -> n.opType().equals("QuantizeLinear") ? n
                : n.withInputs(n.inputs().stream().map(s -> rename.getOrDefault(s, s)).toList())).toList();
        Graph out = new Graph(g.name(), rewired, g.inputs(), g.outputs(), inits, g.valueInfo());
        return model.withGraph(out);
    }

    /** Activation entries that name a float graph input or node output of the main graph. */
    private Set<String> floatActivations() {
        Set<String> produced = new LinkedHashSet<>(g.inputNames());
        g.nodes().forEach(n -> produced.addAll(n.outputs()));
        Set<String> out = new LinkedHashSet<>();
        for (String name : table.activationEntries().keySet()) {
            ValueInfo vi = g.info(name);
            boolean isFloat = vi == null || vi.dtype() == null || vi.dtype() == DType.FLOAT32;
            if (produced.contains(name) && !g.initializers().containsKey(name) && isFloat) {
                out.add(name);
            } else {
                warnings.add(name + ": no float activation of that name in the model; no Q/DQ added");
            }
        }
        return out;
    }

    /** Q/DQ for activation {@code x} whose float value is named {@code produced}. */
    private List<Node> qdq(String x, String produced, boolean isOutput) {
        ActivationEntry a = table.activationEntries().get(x);
        boolean unsigned = table.activations().scheme().equals(QuantRule.UINT8_ASYMMETRIC);
        inits.put(x + "_scale", Tensor.ofFloats(Shape.scalar(), (float) a.scale()));
        inits.put(x + "_zero_point", zeroPoints(Shape.scalar(), unsigned, a.zeroPoint()));
        String q = x + "_QuantizeLinear_Output";
        String dq = isOutput ? x : x + "_DequantizeLinear_Output";
        if (!isOutput) {
            rename.put(x, dq);
        }
        return List.of(
                Node.of(x + "_QuantizeLinear", "QuantizeLinear", List.of(produced, x + "_scale", x + "_zero_point"), List.of(q)),
                Node.of(x + "_DequantizeLinear", "DequantizeLinear", List.of(q, x + "_scale", x + "_zero_point"), List.of(dq)));
    }

    private static Tensor zeroPoints(Shape shape, boolean unsigned, int... zp) {
        byte[] b = new byte[zp.length];
        for (int i = 0; i < zp.length; i++) {
            b[i] = (byte) zp[i];
        }
        return unsigned ? Tensor.ofUint8(shape, b) : Tensor.ofInt8(shape, b);
    }

    private void quantizeWeight(String name, WeightEntry w) {
        Tensor t = g.initializers().get(name);
        if (t == null || !t.dtype().isFloatingPoint()) {
            warnings.add(name + ": no float initializer of that name; weight entry not applied");
            return;
        }
        int[] dims = t.shape().dims();
        int channels = w.scale().length;
        if (w.perChannel() && (w.axis() >= dims.length || dims[w.axis()] != channels)) {
            warnings.add(name + ": " + channels + " channel scales do not fit axis " + w.axis() + " of shape "
                    + t.shape() + "; weight left float");
            return;
        }
        String scheme = table.weights().scheme();
        boolean unsigned = scheme.equals(QuantRule.UINT8_ASYMMETRIC);
        int qmin = QdqModelFormat.qmin(scheme);
        int qmax = QdqModelFormat.qmax(scheme);
        float[] v = t.toFloat32().floats();
        int inner = 1;
        for (int i = w.axis() + 1; w.perChannel() && i < dims.length; i++) {
            inner *= dims[i];
        }
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            int c = w.perChannel() ? (i / inner) % channels : 0;
            float s = (float) w.scale()[c];
            long r = (long) Math.rint(v[i] / s) + w.zeroPoint()[c];
            q[i] = (byte) Math.max(qmin, Math.min(qmax, r));
        }
        Shape cs = w.perChannel() ? Shape.of(channels) : Shape.scalar();
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = (float) w.scale()[c];
        }
        inits.remove(name);
        inits.put(name + "_quantized", unsigned ? Tensor.ofUint8(t.shape(), q) : Tensor.ofInt8(t.shape(), q));
        inits.put(name + "_scale", Tensor.ofFloats(cs, scales));
        inits.put(name + "_zero_point", zeroPoints(cs, unsigned, w.zeroPoint()));
        String dq = name + "_DequantizeLinear_Output";
        Attribute[] axis = w.perChannel() ? new Attribute[] {Attribute.ofInt("axis", w.axis())} : new Attribute[0];
        prologue.add(Node.of(name + "_DequantizeLinear", "DequantizeLinear",
                List.of(name + "_quantized", name + "_scale", name + "_zero_point"), List.of(dq), axis));
        rename.put(name, dq);
    }

    /** int32 biases of Conv/Gemm nodes whose input activation and weight are both quantized. */
    private void quantizeBiases() {
        for (Node n : g.nodes()) {
            if (!(n.opType().equals("Conv") || n.opType().equals("Gemm")) || !n.hasInput(2)) {
                continue;
            }
            ActivationEntry in = table.activationEntries().get(n.input(0));
            WeightEntry w = table.weightEntries().get(n.input(1));
            Tensor b = inits.get(n.input(2));
            if (in == null || w == null || b == null || !rename.containsKey(n.input(1)) || !b.dtype().isFloatingPoint()
                    || b.rank() != 1 || (w.perChannel() && w.scale().length != b.size())) {
                continue;
            }
            quantizeBias(n.input(2), b, (float) in.scale(), w);
        }
    }

    private void quantizeBias(String name, Tensor b, float sIn, WeightEntry w) {
        float[] v = b.toFloat32().floats();
        int[] q = new int[v.length];
        float[] scale = new float[w.perChannel() ? v.length : 1];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = sIn * (float) w.scale()[c];
        }
        for (int i = 0; i < v.length; i++) {
            double r = Math.rint(v[i] / (double) scale[w.perChannel() ? i : 0]);
            q[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
        }
        Shape cs = w.perChannel() ? Shape.of(v.length) : Shape.scalar();
        inits.remove(name);
        inits.put(name + "_quantized", Tensor.ofInts(b.shape(), q));
        inits.put(name + "_quantized_scale", Tensor.ofFloats(cs, scale));
        inits.put(name + "_quantized_zero_point", Tensor.ofInts(cs, new int[scale.length]));
        Attribute[] axis = w.perChannel() ? new Attribute[] {Attribute.ofInt("axis", 0)} : new Attribute[0];
        prologue.add(Node.of(name + "_DequantizeLinear", "DequantizeLinear",
                List.of(name + "_quantized", name + "_quantized_scale", name + "_quantized_zero_point"), List.of(name), axis));
    }
}
