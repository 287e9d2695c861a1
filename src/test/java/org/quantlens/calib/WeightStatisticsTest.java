package org.quantlens.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Which initializers are weights and along which axis their channels run. */
class WeightStatisticsTest {
    static Graph graph(Node n, Tensor w) {
        return new Graph("g", List.of(n), List.of(ValueInfo.of("x", DType.FLOAT32, 1, 2)),
                List.of(ValueInfo.of("y", DType.FLOAT32, 1, 2)), Map.of("W", w), Map.of());
    }

    /** [[1, -2, 3], [-4, 5, -6]]. */
    static Tensor twoByThree() {
        return Tensor.ofFloats(Shape.of(2, 3), 1, -2, 3, -4, 5, -6);
    }

    @Test
    void gemmWithTransBHasOneChannelPerRow() {
        WeightStatistics w = WeightStatistics.collect(graph(Node.of("n", "Gemm", List.of("x", "W"), List.of("y"),
                Attribute.ofInt("transB", 1)), twoByThree())).get("W");
        assertEquals(0, w.axis());
        assertArrayEquals(new float[] {-2, -6}, w.channelMin());
        assertArrayEquals(new float[] {3, 5}, w.channelMax());
    }

    @Test
    void gemmWithoutTransBAndMatMulHaveOneChannelPerColumn() {
        for (Node n : List.of(Node.of("n", "Gemm", List.of("x", "W"), List.of("y")),
                Node.of("n", "MatMul", List.of("x", "W"), List.of("y")))) {
            WeightStatistics w = WeightStatistics.collect(graph(n, twoByThree())).get("W");
            assertEquals(1, w.axis(), n.opType());
            assertArrayEquals(new float[] {-4, -2, -6}, w.channelMin(), n.opType());
            assertArrayEquals(new float[] {1, 5, 3}, w.channelMax(), n.opType());
        }
    }

    @Test
    void convHasOneChannelPerOutputChannel() {
        Tensor w = Tensor.ofFloats(Shape.of(2, 1, 1, 2), 0, 0, -1, 7);
        WeightStatistics s = WeightStatistics.collect(graph(Node.of("c", "Conv", List.of("x", "W"), List.of("y")), w))
                .get("W");
        assertEquals(0, s.axis());
        assertArrayEquals(new float[] {0, -1}, s.channelMin());
        assertArrayEquals(new float[] {0, 7}, s.channelMax());
        assertEquals(-1f, s.min());
        assertEquals(7f, s.max());
    }

    @Test
    void otherOpsAndOneDimensionalWeights() {
        assertTrue(WeightStatistics.collect(graph(Node.of("a", "Add", List.of("x", "W"), List.of("y")), twoByThree()))
                .isEmpty());
        WeightStatistics v = WeightStatistics.collect(graph(Node.of("m", "MatMul", List.of("x", "W"), List.of("y")),
                Tensor.ofFloats(Shape.of(3), 2, -3, 1))).get("W");
        assertEquals(-1, v.axis());
        assertArrayEquals(new float[] {-3}, v.channelMin());
        assertArrayEquals(new float[] {2}, v.channelMax());
    }

    @Test
    void infiniteWeightIsFlagged() {
        WeightStatistics w = WeightStatistics.collect(graph(Node.of("n", "MatMul", List.of("x", "W"), List.of("y")),
                Tensor.ofFloats(Shape.of(1, 2), 1, Float.POSITIVE_INFINITY))).get("W");
        assertFalse(w.finite());
    }
}
