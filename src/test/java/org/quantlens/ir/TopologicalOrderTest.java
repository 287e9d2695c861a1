package org.quantlens.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class TopologicalOrderTest {
    private static Graph graph(Node... nodes) {
        return new Graph("g", List.of(nodes), List.of(ValueInfo.of("x", DType.FLOAT32, 1)),
                List.of(ValueInfo.of("y", DType.FLOAT32, 1)), Map.of("w", Tensor.ofFloats(Shape.of(1), 1f)), Map.of());
    }

    @Test
    void keepsFileOrderWhenItIsAlreadyValid() {
        Node a = Node.of("a", "Add", List.of("x", "w"), List.of("t"));
        Node b = Node.of("b", "Relu", List.of("x"), List.of("u"));
        Node c = Node.of("c", "Add", List.of("t", "u"), List.of("y"));
        assertEquals(List.of(a, b, c), TopologicalOrder.sort(graph(a, b, c)));
    }

    @Test
    void reordersAProducerThatComesAfterItsConsumer() {
        Node c = Node.of("c", "Relu", List.of("t"), List.of("y"));
        Node a = Node.of("a", "Relu", List.of("x"), List.of("t"));
        assertEquals(List.of(a, c), TopologicalOrder.sort(graph(c, a)));
    }

    @Test
    void rejectsAValueProducedTwice() {
        Node a = Node.of("a", "Relu", List.of("x"), List.of("y"));
        Node b = Node.of("b", "Relu", List.of("x"), List.of("y"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TopologicalOrder.sort(graph(a, b)));
        assertTrue(e.getMessage().contains("produced twice"), e.getMessage());
    }

    @Test
    void omittedOptionalInputsAreNotDependencies() {
        Node a = Node.of("a", "Clip", List.of("x", "", "w"), List.of("y"));
        assertEquals(List.of(a), TopologicalOrder.sort(graph(a)));
    }
}
