package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.Kernels.in;
import static org.quantlens.exec.kernels.Kernels.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ActivationKernelsTest {

    private static Tensor v(float... x) {
        return Tensor.ofFloats(Shape.of(x.length), x);
    }

    @Test
    void reluZeroesNegativesForFloatsAndInts() {
        assertArrayEquals(new float[] {0, 0, 2}, run("Relu", 14, in(v(-1, 0, 2))).floats());
        assertArrayEquals(new byte[] {0, 5}, run("Relu", 14, in(Tensor.ofInt8(Shape.of(2), (byte) -5, (byte) 5))).bytes());
        assertEquals(Float.NaN, run("Relu", 14, in(v(Float.NaN))).floats()[0]);
    }

    @Test
    void leakyReluScalesNegativesByAlpha() {
        assertArrayEquals(new float[] {-1f, 0, 3}, run("LeakyRelu", 16, in(v(-100, 0, 3))).floats(), 1e-6f);
        assertArrayEquals(new float[] {-0.5f, 3}, run("LeakyRelu", 16, in(v(-5, 3)), Attribute.ofFloat("alpha", 0.1f)).floats(), 1e-6f);
    }

    @Test
    void sigmoidIsStableAtBothEnds() {
        float[] r = run("Sigmoid", 13, in(v(0, 100, -100, -1000))).floats();
        assertEquals(0.5f, r[0]);
        assertEquals(1f, r[1]);
        assertEquals((float) Math.exp(-100), r[2], 0f); // e^-100 / (1 + e^-100), no NaN
        assertEquals(0f, r[3]);
        assertEquals(1 / (1 + Math.exp(-1)), run("Sigmoid", 13, in(v(1))).floats()[0], 1e-7);
    }

    @Test
    void hardSigmoidDefaultsAndAttributes() {
        assertArrayEquals(new float[] {0.5f, 1, 0, 0.7f}, run("HardSigmoid", 22, in(v(0, 5, -5, 1))).floats(), 1e-7f);
        float r = run("HardSigmoid", 22, in(v(0.5f)), Attribute.ofFloat("alpha", 0.5f), Attribute.ofFloat("beta", 0.6f)).floats()[0];
        assertEquals(0.85f, r, 1e-7f);
    }

    @Test
    void hardSwishIsXTimesHardSigmoidOfSixth() {
        assertArrayEquals(new float[] {3, 0, 2f / 3, 0}, run("HardSwish", 22, in(v(3, -3, 1, 0))).floats(), 1e-7f);
    }

    @Test
    void tanhAndExp() {
        assertArrayEquals(new float[] {0, (float) Math.tanh(0.5)}, run("Tanh", 13, in(v(0, 0.5f))).floats());
        assertArrayEquals(new float[] {1, (float) Math.E}, run("Exp", 13, in(v(0, 1))).floats());
    }

    @Test
    void unaryFloat64AndBadTypes() {
        Tensor d = run("Exp", 13, in(Tensor.ofDoubles(Shape.of(1), 1.0)));
        assertEquals(Math.E, d.doubles()[0], 0.0);
        assertThrows(KernelException.class, () -> run("Sigmoid", 13, in(Tensor.ofInts(Shape.of(1), 1))));
    }

    @Test
    void clipWithInputBounds() {
        assertArrayEquals(new float[] {-1, 0, 1}, run("Clip", 13, in(v(-2, 0, 2), Tensor.scalar(-1), Tensor.scalar(1))).floats());
        // only max given: min omitted
        assertArrayEquals(new float[] {-2, 0, 0}, run("Clip", 13, in(v(-2, 0, 2), null, Tensor.scalar(0))).floats());
        // no bounds: identity
        assertArrayEquals(new float[] {-2, 0, 2}, run("Clip", 13, in(v(-2, 0, 2))).floats());
    }

    @Test
    void clipWithMinAboveMaxGivesMaxEverywhere() {
        assertArrayEquals(new float[] {1, 1, 1}, run("Clip", 13, in(v(-2, 0, 2), Tensor.scalar(2), Tensor.scalar(1))).floats());
    }

    @Test
    void clipIntegerTypes() {
        Tensor x = Tensor.ofInt8(Shape.of(3), (byte) -100, (byte) 0, (byte) 100);
        Tensor r = run("Clip", 13, in(x, null, Tensor.ofInt8(Shape.scalar(), (byte) 5)));
        assertArrayEquals(new byte[] {-100, 0, 5}, r.bytes());
        Tensor u = Tensor.ofUint8(Shape.of(3), (byte) 0, (byte) 100, (byte) 255);
        Tensor ru = run("Clip", 13, in(u, Tensor.ofUint8(Shape.scalar(), (byte) 50), Tensor.ofUint8(Shape.scalar(), (byte) 200)));
        assertArrayEquals(new byte[] {50, 100, (byte) 200}, ru.bytes()); // compared unsigned
    }

    @Test
    void clipBeforeOpset11ReadsAttributes() {
        Tensor r = run("Clip", 6, in(v(-2, 0, 2)), Attribute.ofFloat("min", -0.5f), Attribute.ofFloat("max", 0.5f));
        assertArrayEquals(new float[] {-0.5f, 0, 0.5f}, r.floats());
    }

    @Test
    void clipRejectsBoundOfOtherType() {
        assertThrows(KernelException.class, () -> run("Clip", 13, in(v(1), Tensor.ofInts(Shape.scalar(), 0))));
    }

    @Test
    void largeInputsGiveTheSameResultInParallel() {
        float[] x = new float[100_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 200 - 100) / 10f;
        }
        Tensor t = Tensor.ofFloats(Shape.of(x.length), x);
        ExecContext two = ExecContext.withThreads(2);
        for (String op : new String[] {"Relu", "Sigmoid", "Tanh", "HardSwish"}) {
            assertArrayEquals(run(op, 22, in(t)).floats(), run(op, 22, two, in(t)).floats(), op);
        }
        assertEquals(DType.FLOAT32, run("Relu", 14, two, in(t)).dtype());
    }
}
