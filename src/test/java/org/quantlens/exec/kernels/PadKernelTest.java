package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.ShapeKernelHarness.in;
import static org.quantlens.exec.kernels.ShapeKernelHarness.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class PadKernelTest {
    // The ONNX spec's Pad examples use this 3x2 matrix.
    private static final Tensor SPEC = Tensor.ofFloats(Shape.of(3, 2), 1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f);
    private static final Tensor ONE_TWO_THREE = Tensor.ofLongs(Shape.of(3), 1, 2, 3);

    private static Tensor pads(long... v) {
        return Tensor.ofLongs(Shape.of(v.length), v);
    }

    private static Attribute mode(String m) {
        return Attribute.ofString("mode", m);
    }

    @Test
    void constantModeMatchesTheSpecExample() {
        Tensor out = run("Pad", 11, in(SPEC, pads(0, 2, 0, 0), Tensor.scalar(0f)), mode("constant"));
        assertEquals(Shape.of(3, 4), out.shape());
        assertArrayEquals(new float[] {0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f}, out.floats());
    }

    @Test
    void reflectAndEdgeModesMatchTheSpecExamples() {
        Tensor reflect = run("Pad", 11, in(SPEC, pads(0, 2, 0, 0)), mode("reflect"));
        assertArrayEquals(new float[] {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f},
                reflect.floats());
        Tensor edge = run("Pad", 11, in(SPEC, pads(0, 2, 0, 0)), mode("edge"));
        assertArrayEquals(new float[] {1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f},
                edge.floats());
    }

    @Test
    void wrapModeMatchesTheSpecExample() {
        Tensor out = run("Pad", 19, in(SPEC, pads(2, 1, 1, 1)), mode("wrap"));
        assertEquals(Shape.of(6, 4), out.shape());
        assertArrayEquals(new float[] {
            3.4f, 2.3f, 3.4f, 2.3f,
            5.7f, 4.5f, 5.7f, 4.5f,
            1.2f, 1.0f, 1.2f, 1.0f,
            3.4f, 2.3f, 3.4f, 2.3f,
            5.7f, 4.5f, 5.7f, 4.5f,
            1.2f, 1.0f, 1.2f, 1.0f}, out.floats());
    }

    @Test
    void reflectRepeatsWhenThePadIsLongerThanTheAxis() {
        // Mirror images of [1,2,3] continue ... 1 2 3 2 | 1 2 3 | 2 1 ...
        Tensor out = run("Pad", 11, in(ONE_TWO_THREE, pads(4, 2)), mode("reflect"));
        assertArrayEquals(new long[] {1, 2, 3, 2, 1, 2, 3, 2, 1}, out.longs());
    }

    @Test
    void negativePadsCropBeforeTheModePads() {
        Tensor x = Tensor.ofLongs(Shape.of(4), 1, 2, 3, 4);
        assertArrayEquals(new long[] {2, 3}, run("Pad", 11, in(x, pads(-1, -1))).longs());
        assertArrayEquals(new long[] {2, 3, 4, 3, 2}, run("Pad", 11, in(x, pads(-1, 2)), mode("reflect")).longs());
        assertArrayEquals(new long[] {2, 3, 4, 2}, run("Pad", 11, in(x, pads(-1, 1)), mode("wrap")).longs());
        assertArrayEquals(new long[] {9, 1, 2}, run("Pad", 11, in(x, pads(1, -2), Tensor.ofLongs(Shape.scalar(), 9))).longs());
    }

    @Test
    void attributesBeforeOpset11CarryPadsAndValue() {
        Tensor bools = Tensor.ofBools(Shape.of(2), false, false);
        Tensor out = run("Pad", 2, in(bools), Attribute.ofInts("pads", 1, 0), Attribute.ofFloat("value", 1f));
        assertArrayEquals(new boolean[] {true, false, false}, out.bools());
        Tensor ints = Tensor.ofInts(Shape.of(1), 5);
        assertArrayEquals(new int[] {5, -2}, run("Pad", 2, in(ints), Attribute.ofInts("pads", 0, 1),
                Attribute.ofFloat("value", -2f)).ints());
    }

    @Test
    void axesInputSelectsWhichAxesThePadsCover() {
        Tensor out = run("Pad", 18, in(SPEC, pads(1, 0), Tensor.scalar(7f), pads(-2)));
        assertEquals(Shape.of(4, 2), out.shape());
        assertArrayEquals(new float[] {7, 7, 1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, out.floats());
    }

    @Test
    void omittedConstantValueMeansZero() {
        Tensor x = Tensor.ofUint8(Shape.of(1), (byte) 255);
        Tensor out = run("Pad", 18, in(x, pads(1, 1), null, null));
        assertArrayEquals(new byte[] {0, (byte) 255, 0}, out.bytes());
    }

    @Test
    void rejectsBadPadsModesAndEmptyAxesToRepeat() {
        assertThrows(KernelException.class, () -> run("Pad", 11, in(ONE_TWO_THREE, pads(1))));
        assertThrows(KernelException.class, () -> run("Pad", 11, in(ONE_TWO_THREE, pads(-2, -2))));
        assertThrows(KernelException.class, () -> ShapeKernelHarness.kernel("Pad", 11, in(), mode("mirror")));
        Tensor empty = Tensor.ofLongs(Shape.of(0));
        assertThrows(KernelException.class, () -> run("Pad", 11, in(empty, pads(1, 1)), mode("edge")));
        assertArrayEquals(new long[] {0, 0}, run("Pad", 11, in(empty, pads(1, 1))).longs());
    }
}
