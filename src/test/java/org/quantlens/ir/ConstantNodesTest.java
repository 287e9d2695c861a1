package org.quantlens.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ConstantNodesTest {
    private static Model model(Node... nodes) {
        Graph g = new Graph("g", List.of(nodes), List.of(ValueInfo.of("x", DType.FLOAT32, 4)),
                List.of(ValueInfo.of("y", DType.FLOAT32, 4)), Map.of(), Map.of());
        return new Model(8, Map.of("", 13L), "", "", g, Map.of());
    }

    @Test
    void constantNodesBecomeInitializersAndTheReadersAreKept() {
        Node lo = Node.of("lo", "Constant", List.of(), List.of("min"), Attribute.ofTensor("value", Tensor.scalar(0f)));
        Node hi = Node.of("hi", "Constant", List.of(), List.of("max"), Attribute.ofFloat("value_float", 6f));
        Node axes = Node.of("ax", "Constant", List.of(), List.of("axes"), Attribute.ofInts("value_ints", 0, 2));
        Node clip = Node.of("clip", "Clip", List.of("x", "min", "max"), List.of("y"));
        Model m = ConstantNodes.toInitializers(model(lo, hi, axes, clip));
        assertEquals(List.of(clip), m.graph().nodes());
        assertEquals(0f, m.graph().initializers().get("min").floats()[0]);
        assertEquals(6f, m.graph().initializers().get("max").floats()[0]);
        assertEquals(Shape.scalar(), m.graph().initializers().get("max").shape());
        assertArrayEquals(new long[] {0, 2}, m.graph().initializers().get("axes").longs());
    }

    @Test
    void aModelWithoutConstantsIsReturnedAsIs() {
        Model m = model(Node.of("r", "Relu", List.of("x"), List.of("y")));
        assertSame(m, ConstantNodes.toInitializers(m));
    }
}
