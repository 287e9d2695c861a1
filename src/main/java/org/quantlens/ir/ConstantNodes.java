package org.quantlens.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Rewrite: every {@code Constant} node becomes an initializer named after its output. Exporters such as PyTorch
 * emit ReLU6's bounds (and sometimes weights) as Constant nodes; passes that look for constant operands (BN
 * folding, Relu/Clip folding in the INT8 builder) then see them as initializers. Handles the {@code value}
 * tensor and the {@code value_float}, {@code value_floats}, {@code value_int} and {@code value_ints} forms;
 * other forms (sparse, strings) are left as nodes. The input model is not modified.
 */
public final class ConstantNodes {
    private ConstantNodes() {
    }

    /** A model whose main graph has its Constant nodes turned into initializers; the same model if it has none. */
    public static Model toInitializers(Model model) {
        Graph g = model.graph();
        List<Node> kept = new ArrayList<>(g.nodes().size());
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        boolean changed = false;
        for (Node n : g.nodes()) {
            Tensor value = n.opType().equals("Constant") && n.domain().isEmpty() && n.outputs().size() == 1
                    ? valueOf(n) : null;
            if (value == null || inits.containsKey(n.outputs().get(0))) {
                kept.add(n);
            } else {
                inits.put(n.outputs().get(0), value);
                changed = true;
            }
        }
        return changed ? model.withGraph(g.withNodes(kept).withInitializers(inits)) : model;
    }

    /** The tensor a Constant node produces, or null for a form this rewrite leaves alone. */
    static Tensor valueOf(Node n) {
        if (n.attributes().size() != 1) {
            return null;
        }
        Attribute a = n.attributes().values().iterator().next();
        return switch (a.name()) {
            case "value" -> a.kind() == Attribute.Kind.TENSOR ? a.asTensor() : null;
            case "value_float" -> Tensor.scalar(a.asFloat());
            case "value_floats" -> {
                float[] v = a.asFloats();
                yield Tensor.ofFloats(Shape.of(v.length), v);
            }
            case "value_int" -> Tensor.ofLongs(Shape.scalar(), a.asInt());
            case "value_ints" -> {
                long[] v = a.asInts();
                yield Tensor.ofLongs(Shape.of(v.length), v);
            }
            default -> null;
        };
    }
}
