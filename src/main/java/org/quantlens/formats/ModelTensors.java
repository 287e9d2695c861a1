package org.quantlens.formats;

import java.util.LinkedHashSet;
import java.util.Set;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;

/** The tensor names a model has: graph inputs and outputs, initializers, value_info, and every node's inputs and outputs. */
final class ModelTensors {
    private ModelTensors() {
    }

    /** Every tensor name in {@code model}'s main graph; an empty set for a null model (no check possible). */
    static Set<String> names(Model model) {
        Set<String> names = new LinkedHashSet<>();
        if (model == null) {
            return names;
        }
        Graph g = model.graph();
        names.addAll(g.inputNames());
        names.addAll(g.outputNames());
        names.addAll(g.initializers().keySet());
        names.addAll(g.valueInfo().keySet());
        for (Node n : g.nodes()) {
            n.inputs().stream().filter(s -> !s.isEmpty()).forEach(names::add);
            n.outputs().stream().filter(s -> !s.isEmpty()).forEach(names::add);
        }
        return names;
    }
}
