package org.quantlens.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Tiny hand-built models for tests (and fuzz seeds): no files, just ir objects. */
public final class TestModels {
    /** IR version written by onnx 1.16 for opset 21; any of 3..13 would do. */
    public static final long IR_VERSION = 10;

    private TestModels() {
    }

    /** A model of one graph with opset {@code opset} in the default domain. */
    public static Model model(Graph g, long opset) {
        return new Model(IR_VERSION, Map.of("", opset), "quantlens-test", "1", g, Map.of());
    }

    /**
     * One node {@code op} reading float32 inputs "x" (shape {@code inShape}) and producing "y" (declared with
     * {@code outShape}; a negative entry is an unknown dim), opset 17.
     */
    public static Model singleNode(String op, long[] inShape, long[] outShape, Attribute... attrs) {
        Node n = Node.of(op + "_0", op, List.of("x"), List.of("y"), attrs);
        Graph g = new Graph("single_" + op, List.of(n), List.of(ValueInfo.of("x", DType.FLOAT32, inShape)),
                List.of(ValueInfo.of("y", DType.FLOAT32, outShape)), Map.of(), Map.of());
        return model(g, 17);
    }

    /** Relu on a [1,3] float input: the smallest runnable model. */
    public static Model relu() {
        return singleNode("Relu", new long[] {1, 3}, new long[] {1, 3});
    }

    /**
     * "y = Conv(x, w, b)" with a 2x1x3x3 weight initializer of 0.1*k and bias [1, -1]; input [1,1,5,5],
     * pads 1 so the output is [1,2,5,5].
     */
    public static Model convWithInitializers() {
        float[] w = new float[18];
        for (int k = 0; k < w.length; k++) {
            w[k] = 0.1f * k;
        }
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("w", Tensor.ofFloats(Shape.of(2, 1, 3, 3), w));
        init.put("b", Tensor.ofFloats(Shape.of(2), 1f, -1f));
        Node conv = Node.of("conv", "Conv", List.of("x", "w", "b"), List.of("y"),
                Attribute.ofInts("kernel_shape", 3, 3), Attribute.ofInts("pads", 1, 1, 1, 1),
                Attribute.ofInts("strides", 1, 1), Attribute.ofInt("group", 1));
        Graph g = new Graph("conv", List.of(conv), List.of(ValueInfo.of("x", DType.FLOAT32, 1, 1, 5, 5)),
                List.of(ValueInfo.of("y", DType.FLOAT32, 1, 2, 5, 5)), init, Map.of());
        return model(g, 13);
    }

    /**
     * A model exercising every attribute kind QuantLens keeps: float, int, string, tensor, graph (an If with two
     * branches), floats, ints, strings, tensors, graphs; plus a Constant node and symbolic/unknown dims.
     */
    public static Model everyAttributeKind() {
        Graph thenBranch = branch("then_out", 1f);
        Graph elseBranch = branch("else_out", -1f);
        Node constant = Node.of("c", "Constant", List.of(), List.of("cond"),
                Attribute.ofTensor("value", Tensor.ofBools(Shape.scalar(), true)));
        Node ifNode = Node.of("if", "If", List.of("cond"), List.of("y"),
                Attribute.ofGraph("then_branch", thenBranch), Attribute.ofGraph("else_branch", elseBranch));
        Node custom = new Node("custom", "Everything", "org.quantlens.test", List.of("x", ""), List.of("z"),
                attributes(Attribute.ofFloat("f", 0.5f), Attribute.ofInt("i", -7), Attribute.ofString("s", "héllo"),
                        Attribute.ofFloats("fs", 1.5f, Float.NaN, -0f), Attribute.ofInts("is", Long.MIN_VALUE, 0, 3),
                        Attribute.ofStrings("ss", List.of("a", "")),
                        Attribute.ofTensors("ts", List.of(Tensor.ofInt8(Shape.of(2), (byte) -1, (byte) 2),
                                Tensor.ofLongs(Shape.of(1), 1L << 40))),
                        Attribute.ofGraphs("gs", List.of(branch("g_out", 2f)))));
        org.quantlens.ir.Dim batch = org.quantlens.ir.Dim.symbolic("N");
        ValueInfo x = new ValueInfo("x", DType.FLOAT32, 1, List.of(batch, org.quantlens.ir.Dim.of(3)));
        ValueInfo y = new ValueInfo("y", DType.FLOAT32, 1, List.of(org.quantlens.ir.Dim.unknown()));
        ValueInfo z = new ValueInfo("z", null, 0, null);
        Graph g = new Graph("kinds", List.of(constant, ifNode, custom), List.of(x), List.of(y, z), Map.of(),
                Map.of("cond", ValueInfo.of("cond", DType.BOOL)));
        return new Model(IR_VERSION, Map.of("", 17L, "org.quantlens.test", 1L), "quantlens-test", "1", g,
                Map.of("purpose", "round trip"));
    }

    private static Graph branch(String out, float value) {
        Node c = Node.of("", "Constant", List.of(), List.of(out),
                Attribute.ofTensor("value", Tensor.ofFloats(Shape.of(1), value)));
        return new Graph("branch_" + out, List.of(c), List.of(), List.of(ValueInfo.of(out, DType.FLOAT32, 1)),
                Map.of(), Map.of());
    }

    private static Map<String, Attribute> attributes(Attribute... attrs) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (Attribute a : attrs) {
            m.put(a.name(), a);
        }
        return m;
    }
}
