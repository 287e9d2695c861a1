package org.quantlens.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Builds small models for the ir tests straight from the records (no ONNX reader involved). */
final class IrFixtures {
    private final List<Node> nodes = new ArrayList<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final Map<String, ValueInfo> valueInfo = new LinkedHashMap<>();
    private long opset = 13;

    static IrFixtures model() {
        return new IrFixtures();
    }

    /** An input whose dims are numbers or symbols ("N"); "?" is unknown. */
    IrFixtures input(String name, DType t, Object... dims) {
        inputs.add(new ValueInfo(name, t, t.onnxCode(), dims(dims)));
        return this;
    }

    IrFixtures output(String name, DType t, Object... dims) {
        outputs.add(new ValueInfo(name, t, t.onnxCode(), dims(dims)));
        return this;
    }

    IrFixtures output(String name) {
        outputs.add(new ValueInfo(name, null, 0, null));
        return this;
    }

    IrFixtures valueInfo(String name, DType t, Object... dims) {
        valueInfo.put(name, new ValueInfo(name, t, t == null ? 0 : t.onnxCode(), dims(dims)));
        return this;
    }

    IrFixtures init(String name, Tensor t) {
        initializers.put(name, t);
        return this;
    }

    IrFixtures ints(String name, long... values) {
        return init(name, Tensor.ofLongs(Shape.of(values.length), values));
    }

    /** A float32 initializer of the given shape filled with 0.01 * index (values do not matter for shapes). */
    IrFixtures weights(String name, int... shape) {
        Shape s = Shape.of(shape);
        float[] v = new float[s.numElements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.01f * i;
        }
        return init(name, Tensor.ofFloats(s, v));
    }

    IrFixtures node(String name, String op, List<String> in, List<String> out, Attribute... attrs) {
        nodes.add(Node.of(name, op, in, out, attrs));
        return this;
    }

    IrFixtures node(Node n) {
        nodes.add(n);
        return this;
    }

    IrFixtures opset(long v) {
        opset = v;
        return this;
    }

    Model build() {
        Graph g = new Graph("test", nodes, inputs, outputs, initializers, valueInfo);
        return new Model(8, Map.of("", opset), "test", "1", g, Map.of());
    }

    static List<Dim> dims(Object... dims) {
        List<Dim> r = new ArrayList<>();
        for (Object d : dims) {
            if (d instanceof Number n) {
                r.add(Dim.of(n.longValue()));
            } else if ("?".equals(d)) {
                r.add(Dim.unknown());
            } else {
                r.add(Dim.symbolic((String) d));
            }
        }
        return r;
    }

    /** "float32[N,10]"-style text of an inferred value, "absent" when missing. */
    static String typeOf(Map<String, ValueInfo> inferred, String value) {
        ValueInfo v = inferred.get(value);
        return v == null ? "absent" : v.typeString();
    }
}
