package org.quantlens.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class TensorComparisonTest {
    @Test
    void floatsWithinAtolPlusRtolTimesExpectedMatch() {
        Tensor e = Tensor.ofFloats(Shape.of(2), 100f, 0f);
        Tensor a = Tensor.ofFloats(Shape.of(2), 100.009f, 0.00001f);
        TensorComparison c = TensorComparison.compare(a, e, 1e-4, 1e-5);
        assertTrue(c.matches());
        assertEquals(0.009, c.maxAbs(), 1e-5);
        assertFalse(TensorComparison.compare(Tensor.ofFloats(Shape.of(2), 100.02f, 0f), e, 1e-4, 1e-5).matches());
    }

    @Test
    void nanMatchesOnlyNan() {
        Tensor e = Tensor.ofFloats(Shape.of(1), Float.NaN);
        assertTrue(TensorComparison.compare(Tensor.ofFloats(Shape.of(1), Float.NaN), e, 0, 0).matches());
        assertFalse(TensorComparison.compare(Tensor.ofFloats(Shape.of(1), 0f), e, 1, 1).matches());
    }

    @Test
    void integersMustBeExactAndShapesMustAgree() {
        Tensor e = Tensor.ofLongs(Shape.of(2), Long.MAX_VALUE, 3);
        assertFalse(TensorComparison.compare(Tensor.ofLongs(Shape.of(2), Long.MAX_VALUE - 1, 3), e, 1, 1).matches());
        assertTrue(TensorComparison.compare(Tensor.ofLongs(Shape.of(2), Long.MAX_VALUE, 3), e, 0, 0).matches());
        TensorComparison shape = TensorComparison.compare(Tensor.ofLongs(Shape.of(1, 2), 1, 3), e, 0, 0);
        assertFalse(shape.matches());
        assertNotNull(shape.problem());
    }
}
