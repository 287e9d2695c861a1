package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.Kernels.in;
import static org.quantlens.exec.kernels.Kernels.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ReduceKernelsTest {
    /** The ONNX ReduceMean example data, shape [3,2,2]. */
    private static final Tensor DATA = Tensor.ofFloats(Shape.of(3, 2, 2), 5, 1, 20, 2, 30, 1, 40, 2, 55, 1, 60, 2);

    private static Tensor axes(long... a) {
        return Tensor.ofLongs(Shape.of(a.length), a);
    }

    @Test
    void meanOverMiddleAxisKeepingDims() {
        Tensor r = run("ReduceMean", 18, in(DATA, axes(1)));
        assertEquals(Shape.of(3, 1, 2), r.shape());
        assertArrayEquals(new float[] {12.5f, 1.5f, 35, 1.5f, 57.5f, 1.5f}, r.floats());
    }

    @Test
    void negativeAxisCountsFromTheBack() {
        assertArrayEquals(new float[] {12.5f, 1.5f, 35, 1.5f, 57.5f, 1.5f}, run("ReduceMean", 18, in(DATA, axes(-2))).floats());
    }

    @Test
    void droppingReducedDims() {
        Tensor r = run("ReduceMean", 18, in(DATA, axes(1)), Attribute.ofInt("keepdims", 0));
        assertEquals(Shape.of(3, 2), r.shape());
    }

    @Test
    void noAxesMeansAll() {
        // (5+1+20+2+30+1+40+2+55+1+60+2) / 12 = 219 / 12
        Tensor r = run("ReduceMean", 18, in(DATA, axes()));
        assertEquals(Shape.of(1, 1, 1), r.shape());
        assertEquals(18.25f, r.floats()[0]);
        assertEquals(18.25f, run("ReduceMean", 18, in(DATA)).floats()[0]);
    }

    @Test
    void noopWithEmptyAxesReturnsInput() {
        assertSame(DATA, run("ReduceMean", 18, in(DATA, axes()), Attribute.ofInt("noop_with_empty_axes", 1)));
    }

    @Test
    void beforeOpset18AxesIsAnAttribute() {
        Tensor r = run("ReduceMean", 13, in(DATA), Attribute.ofInts("axes", 0, 2), Attribute.ofInt("keepdims", 0));
        // axis 1 kept: mean of {5,1,30,1,55,1} and {20,2,40,2,60,2}
        assertArrayEquals(new float[] {93f / 6, 126f / 6}, r.floats(), 1e-6f);
    }

    @Test
    void trailingAxesLikeGlobalAveragePool() {
        Tensor x = Tensor.ofFloats(Shape.of(1, 2, 2, 2), 1, 2, 3, 4, 10, 20, 30, 40);
        Tensor r = run("ReduceMean", 18, in(x, axes(2, 3)));
        assertEquals(Shape.of(1, 2, 1, 1), r.shape());
        assertArrayEquals(new float[] {2.5f, 25}, r.floats());
    }

    @Test
    void emptyReductionIsNaN() {
        Tensor r = run("ReduceMean", 18, in(Tensor.ofFloats(Shape.of(2, 0)), axes(1)));
        assertEquals(Shape.of(2, 1), r.shape());
        assertEquals(Float.NaN, r.floats()[0]);
    }

    @Test
    void repeatedOrOutOfRangeAxesAreRejected() {
        assertThrows(KernelException.class, () -> run("ReduceMean", 18, in(DATA, axes(1, -2))));
        assertThrows(KernelException.class, () -> run("ReduceMean", 18, in(DATA, axes(3))));
    }
}
