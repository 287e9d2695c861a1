package org.quantlens.app.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.quantlens.app.histogram.TensorHistogram;
import org.quantlens.ir.Dim;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ShapeInference;
import org.quantlens.ir.TopologicalOrder;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Lists every quantizable tensor of a model, in execution order:
 * <ul>
 *   <li>weights: float initializers that are the weight input of Conv (input 1), Gemm (input 1) or MatMul (either
 *       input), with statistics computed from the stored values (biases are left out: they become int32 with the
 *       derived scale {@code s_in * s_w});</li>
 *   <li>activations: the float graph inputs and every float node output, with the shape and op from
 *       {@link ShapeInference} (shapes left blank if inference fails: the model can still be browsed).</li>
 * </ul>
 */
public final class TensorCatalog {
    private static final Set<String> WEIGHT_AT_1 = Set.of("Conv", "Gemm");

    private TensorCatalog() {
    }

    /** The catalog of {@code model}; polls {@code token} between weights. */
    public static List<TensorEntry> build(Model model, CancellationToken token) {
        Graph g = model.graph();
        Map<String, ValueInfo> infos = inferOrDeclared(model);
        List<Node> order = TopologicalOrder.sort(g);
        List<TensorEntry> out = new ArrayList<>();
        for (ValueInfo in : g.inputs()) {
            if (in.dtype() == DType.FLOAT32) {
                out.add(new TensorEntry(in.name(), TensorKind.ACTIVATION, "input", shapeText(infos.get(in.name())), null));
            }
        }
        Map<String, String> weights = new LinkedHashMap<>();
        for (Node n : order) {
            for (int i = 0; i < n.inputs().size(); i++) {
                String in = n.inputs().get(i);
                boolean weightSlot = WEIGHT_AT_1.contains(n.opType()) ? i == 1 : n.opType().equals("MatMul");
                if (weightSlot && g.initializers().containsKey(in) && !weights.containsKey(in)) {
                    weights.put(in, n.opType());
                    token.throwIfCancelled();
                    out.add(weightEntry(in, n.opType(), g.initializers().get(in)));
                }
            }
            if (n.opType().equals("Constant")) {
                continue; // a constant (e.g. PyTorch's ReLU6 bounds) is not an activation; the engine does not tap it
            }
            for (String o : n.outputs()) {
                ValueInfo info = infos.get(o);
                boolean isFloat = info == null || info.dtype() == null || info.dtype() == DType.FLOAT32;
                if (!o.isEmpty() && isFloat) {
                    out.add(new TensorEntry(o, TensorKind.ACTIVATION, n.opType(), shapeText(info), null));
                }
            }
        }
        return out;
    }

    private static Map<String, ValueInfo> inferOrDeclared(Model model) {
        try {
            return ShapeInference.infer(model);
        } catch (InvalidInputException | IllegalArgumentException | IllegalStateException e) {
            Map<String, ValueInfo> declared = new LinkedHashMap<>(model.graph().valueInfo());
            model.graph().inputs().forEach(v -> declared.put(v.name(), v));
            model.graph().outputs().forEach(v -> declared.put(v.name(), v));
            return declared;
        }
    }

    private static TensorEntry weightEntry(String name, String op, Tensor t) {
        String shape = t.shape().toString();
        if (!t.dtype().isFloatingPoint()) {
            return new TensorEntry(name, TensorKind.WEIGHT, op, shape,
                    new TensorStats(Double.NaN, Double.NaN, null, List.of("not float (" + t.dtype().displayName() + ")")));
        }
        float[] values = t.toFloat32().floats();
        List<String> extra = new ArrayList<>();
        if (op.equals("Conv")) {
            int zeroChannels = zeroChannels(values, t.shape().rank() > 0 ? t.shape().dim(0) : 1);
            if (zeroChannels > 0) {
                extra.add(zeroChannels + " all-zero channel" + (zeroChannels > 1 ? "s" : ""));
            }
        }
        return new TensorEntry(name, TensorKind.WEIGHT, op, shape,
                TensorStats.of(TensorHistogram.of(values, TensorHistogram.DEFAULT_BINS), extra));
    }

    /** Output channels (axis 0 of a Conv weight) whose weights are all exactly zero. */
    static int zeroChannels(float[] values, int channels) {
        if (channels <= 0 || values.length % channels != 0) {
            return 0;
        }
        int per = values.length / channels;
        int zero = 0;
        for (int c = 0; c < channels; c++) {
            boolean allZero = true;
            for (int i = c * per; i < (c + 1) * per && allZero; i++) {
                allZero = values[i] == 0f;
            }
            zero += allZero && per > 0 ? 1 : 0;
        }
        return zero;
    }

    /** "[1x6x24x24]" with "?" for unknown dims and the symbol for symbolic ones; "" when nothing is known. */
    static String shapeText(ValueInfo info) {
        if (info == null || info.dims() == null) {
            return "";
        }
        return info.dims().stream().map(TensorCatalog::dimText).collect(Collectors.joining("x", "[", "]"));
    }

    private static String dimText(Dim d) {
        return d.isKnown() ? Long.toString(d.value()) : d.param() != null && !d.param().isEmpty() ? d.param() : "?";
    }
}
