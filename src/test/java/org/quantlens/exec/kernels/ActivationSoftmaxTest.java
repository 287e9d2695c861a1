package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.Kernels.in;
import static org.quantlens.exec.kernels.Kernels.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ActivationSoftmaxTest {
    /** softmax([1, 2, 3]) = e^k / (e + e^2 + e^3), hand-computed to 8 digits. */
    private static final float[] SOFTMAX_123 = {0.09003057f, 0.24472847f, 0.66524096f};

    @Test
    void softmaxOfOneTwoThree() {
        assertArrayEquals(SOFTMAX_123, run("Softmax", 13, in(Tensor.ofFloats(Shape.of(1, 3), 1, 2, 3))).floats(), 1e-7f);
    }

    @Test
    void softmaxSubtractsTheMaxSoLargeNumbersDoNotOverflow() {
        float[] r = run("Softmax", 13, in(Tensor.ofFloats(Shape.of(1, 3), 1000, 1001, 1002))).floats();
        assertArrayEquals(SOFTMAX_123, r, 1e-7f);
    }

    @Test
    void logSoftmaxOfOneTwoThree() {
        // log(e + e^2 + e^3) = 3.40760596
        float[] r = run("LogSoftmax", 13, in(Tensor.ofFloats(Shape.of(3), 1, 2, 3))).floats();
        assertArrayEquals(new float[] {-2.40760596f, -1.40760596f, -0.40760596f}, r, 1e-6f);
        float[] big = run("LogSoftmax", 13, in(Tensor.ofFloats(Shape.of(3), 1e30f, 1e30f, -1e30f))).floats();
        assertEquals(-(float) Math.log(2), big[0], 1e-6f);
    }

    @Test
    void opset13ReducesOneAxis() {
        // shape [2,2,2], axis 1: pairs (x[i,0,k], x[i,1,k]) each sum to 1
        Tensor x = Tensor.ofFloats(Shape.of(2, 2, 2), 0, 0, 0, 0, 1, 2, 3, 4);
        float[] r = run("Softmax", 13, in(x), Attribute.ofInt("axis", 1)).floats();
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new float[] {r[0], r[1], r[2], r[3]}, 0f);
        float s = (float) (1 / (1 + Math.exp(2))); // softmax of (1, 3) at 1
        assertEquals(s, r[4], 1e-7f);
        assertEquals(1 - s, r[6], 1e-7f);
    }

    @Test
    void beforeOpset13FlattensFromTheAxis() {
        // shape [2,2,2], axis 1 (the default): each block of 4 is one softmax
        Tensor x = Tensor.ofFloats(Shape.of(2, 2, 2), 0, 0, 0, 0, 1, 1, 1, 1);
        float[] r = run("Softmax", 11, in(x)).floats();
        for (float f : r) {
            assertEquals(0.25f, f, 0f);
        }
    }

    @Test
    void defaultAxisIsLastFrom13() {
        Tensor x = Tensor.ofFloats(Shape.of(2, 2), 0, 0, 5, 5);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, run("Softmax", 13, in(x)).floats(), 0f);
    }

    @Test
    void nanPoisonsItsRowOnly() {
        float[] r = run("Softmax", 13, in(Tensor.ofFloats(Shape.of(2, 2), Float.NaN, 0, 1, 1))).floats();
        assertEquals(Float.NaN, r[0]);
        assertEquals(Float.NaN, r[1]);
        assertEquals(0.5f, r[2]);
    }

    @Test
    void axisOutOfRangeIsRejected() {
        assertThrows(KernelException.class, () -> run("Softmax", 13, in(Tensor.ofFloats(Shape.of(3), 1, 2, 3)),
                Attribute.ofInt("axis", 1)));
    }
}
