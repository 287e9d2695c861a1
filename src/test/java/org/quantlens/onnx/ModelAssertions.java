package org.quantlens.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Tensor;

/** Deep equality for ir models: records compare arrays and tensors by identity, these helpers by content. */
final class ModelAssertions {
    private ModelAssertions() {
    }

    static void assertSameModel(Model expected, Model actual, String where) {
        assertEquals(expected.irVersion(), actual.irVersion(), where + " ir_version");
        assertEquals(expected.opsets(), actual.opsets(), where + " opsets");
        assertEquals(expected.producerName(), actual.producerName(), where + " producer");
        assertEquals(expected.producerVersion(), actual.producerVersion(), where + " producer version");
        assertEquals(expected.metadata(), actual.metadata(), where + " metadata");
        assertSameGraph(expected.graph(), actual.graph(), where + " graph");
    }

    static void assertSameGraph(Graph e, Graph a, String where) {
        assertEquals(e.name(), a.name(), where + " name");
        assertEquals(e.inputs(), a.inputs(), where + " inputs");
        assertEquals(e.outputs(), a.outputs(), where + " outputs");
        assertEquals(e.valueInfo(), a.valueInfo(), where + " value_info");
        assertEquals(e.initializers().keySet(), a.initializers().keySet(), where + " initializer names");
        for (String k : e.initializers().keySet()) {
            assertSameTensor(e.initializers().get(k), a.initializers().get(k), where + " initializer " + k);
        }
        assertEquals(e.nodes().size(), a.nodes().size(), where + " node count");
        for (int i = 0; i < e.nodes().size(); i++) {
            assertSameNode(e.nodes().get(i), a.nodes().get(i), where + " node[" + i + "]");
        }
    }

    static void assertSameNode(Node e, Node a, String where) {
        assertEquals(e.name(), a.name(), where + " name");
        assertEquals(e.opType(), a.opType(), where + " op");
        assertEquals(e.domain(), a.domain(), where + " domain");
        assertEquals(e.inputs(), a.inputs(), where + " inputs");
        assertEquals(e.outputs(), a.outputs(), where + " outputs");
        assertEquals(e.attributes().keySet(), a.attributes().keySet(), where + " attribute names");
        for (String k : e.attributes().keySet()) {
            assertSameAttribute(e.attr(k), a.attr(k), where + " attribute " + k);
        }
    }

    static void assertSameAttribute(Attribute e, Attribute a, String where) {
        assertEquals(e.kind(), a.kind(), where + " kind");
        switch (e.kind()) {
            case FLOATS -> assertArrayEquals(e.asFloats(), a.asFloats(), where);
            case INTS -> assertArrayEquals(e.asInts(), a.asInts(), where);
            case TENSOR -> assertSameTensor(e.asTensor(), a.asTensor(), where);
            case GRAPH -> assertSameGraph(e.asGraph(), a.asGraph(), where);
            case TENSORS -> assertSameList(e.asTensors(), a.asTensors(), where, true);
            case GRAPHS -> assertSameList(e.asGraphs(), a.asGraphs(), where, false);
            default -> assertEquals(e.value(), a.value(), where);
        }
    }

    private static void assertSameList(List<?> e, List<?> a, String where, boolean tensors) {
        assertEquals(e.size(), a.size(), where + " size");
        for (int i = 0; i < e.size(); i++) {
            if (tensors) {
                assertSameTensor((Tensor) e.get(i), (Tensor) a.get(i), where + "[" + i + "]");
            } else {
                assertSameGraph((Graph) e.get(i), (Graph) a.get(i), where + "[" + i + "]");
            }
        }
    }

    static void assertSameTensor(Tensor e, Tensor a, String where) {
        assertTrue(e.contentEquals(a), where + ": " + e + " vs " + a);
    }
}
