package org.quantlens.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.tensor.Tensor;

/**
 * A computation graph: nodes (in file order; see {@link TopologicalOrder}), declared inputs and outputs,
 * initializers (constant tensors by name) and value_info. {@code inputs} lists only the real inputs the caller
 * feeds: a graph input that is also an initializer (old exporters) is an initializer with a default, kept in
 * {@code initializers} and dropped from {@code inputs}.
 */
public record Graph(String name, List<Node> nodes, List<ValueInfo> inputs, List<ValueInfo> outputs,
                    Map<String, Tensor> initializers, Map<String, ValueInfo> valueInfo) {

    public Graph {
        name = name == null ? "" : name;
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        valueInfo = Collections.unmodifiableMap(new LinkedHashMap<>(valueInfo));
    }

    public List<String> inputNames() {
        return inputs.stream().map(ValueInfo::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(ValueInfo::name).toList();
    }

    /** The declared info for a value (input, output or value_info), or null. */
    public ValueInfo info(String value) {
        for (ValueInfo v : inputs) {
            if (v.name().equals(value)) {
                return v;
            }
        }
        for (ValueInfo v : outputs) {
            if (v.name().equals(value)) {
                return v;
            }
        }
        return valueInfo.get(value);
    }

    /** The node producing {@code value}, or null (graph input, initializer or unknown). */
    public Node producer(String value) {
        for (Node n : nodes) {
            if (n.outputs().contains(value)) {
                return n;
            }
        }
        return null;
    }

    public Graph withNodes(List<Node> newNodes) {
        return new Graph(name, newNodes, inputs, outputs, initializers, valueInfo);
    }

    public Graph withInitializers(Map<String, Tensor> newInitializers) {
        return new Graph(name, nodes, inputs, outputs, newInitializers, valueInfo);
    }
}
