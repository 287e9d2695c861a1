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

class QuantizeKernelsTest {

    private static Tensor v(float... x) {
        return Tensor.ofFloats(Shape.of(x.length), x);
    }

    private static int[] unsigned(byte[] b) {
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] & 0xff;
        }
        return r;
    }

    @Test
    void roundsHalfToEven() {
        Tensor r = run("QuantizeLinear", 13, in(v(2.5f, 3.5f, -2.5f, 0.5f, 1.5f, -3.5f), Tensor.scalar(1),
                Tensor.ofInt8(Shape.scalar(), (byte) 0)));
        assertEquals(DType.INT8, r.dtype());
        assertArrayEquals(new byte[] {2, 4, -2, 0, 2, -4}, r.bytes());
    }

    @Test
    void saturatesToTheOutputType() {
        Tensor u = run("QuantizeLinear", 13, in(v(-10, 300, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY), Tensor.scalar(1)));
        assertEquals(DType.UINT8, u.dtype()); // no zero point: uint8
        assertArrayEquals(new int[] {0, 255, 255, 0}, unsigned(u.bytes()));
        Tensor s = run("QuantizeLinear", 13, in(v(200, -200), Tensor.scalar(1), Tensor.ofInt8(Shape.scalar(), (byte) 0)));
        assertArrayEquals(new byte[] {127, -128}, s.bytes());
    }

    @Test
    void addsZeroPointAfterRounding() {
        // scale 0.5, zp 128: 0 -> 128, 1 -> 130, -1 -> 126, 63.75 -> rint(127.5) = 128 -> 256 -> 255
        Tensor r = run("QuantizeLinear", 13, in(v(0, 1, -1, 63.75f), Tensor.scalar(0.5f), Tensor.ofUint8(Shape.scalar(), (byte) 128)));
        assertArrayEquals(new int[] {128, 130, 126, 255}, unsigned(r.bytes()));
    }

    @Test
    void divisionIsInFloat32() {
        // 0.3f / 0.1f is exactly 3.0 in float32 but 2.9999999 in double arithmetic of the same floats
        assertEquals(3.0f, 0.3f / 0.1f);
        Tensor r = run("QuantizeLinear", 13, in(v(0.3f), Tensor.scalar(0.1f)));
        assertEquals(3, r.bytes()[0]);
    }

    @Test
    void nanQuantizesToTheTypeMinimum() {
        assertEquals(0, run("QuantizeLinear", 13, in(v(Float.NaN), Tensor.scalar(1))).bytes()[0]);
    }

    @Test
    void perAxisUsesOneScaleAndZeroPointPerChannel() {
        Tensor x = Tensor.ofFloats(Shape.of(2, 3), 4, 4, 4, -4, -4, -4);
        Tensor scale = Tensor.ofFloats(Shape.of(3), 1, 2, 4);
        Tensor zp = Tensor.ofUint8(Shape.of(3), (byte) 10, (byte) 20, (byte) 30);
        Tensor r = run("QuantizeLinear", 13, ExecContext.withThreads(2), in(x, scale, zp));
        assertArrayEquals(new int[] {14, 22, 31, 6, 18, 29}, unsigned(r.bytes()));
        Tensor back = run("DequantizeLinear", 13, in(r, scale, zp));
        assertArrayEquals(new float[] {4, 4, 4, -4, -4, -4}, back.floats());
    }

    @Test
    void perAxisOnAnotherAxis() {
        Tensor x = Tensor.ofFloats(Shape.of(2, 2), 10, 10, 10, 10);
        Tensor r = run("QuantizeLinear", 13, in(x, v(1, 10)), Attribute.ofInt("axis", 0));
        assertArrayEquals(new int[] {10, 10, 1, 1}, unsigned(r.bytes()));
    }

    @Test
    void outputDtypeAttributeChoosesTheTypeWithoutZeroPoint() {
        Tensor r = run("QuantizeLinear", 21, in(v(-3), Tensor.scalar(1)), Attribute.ofInt("output_dtype", DType.INT8.onnxCode()));
        assertEquals(DType.INT8, r.dtype());
        assertEquals(-3, r.bytes()[0]);
        assertThrows(KernelException.class, () -> run("QuantizeLinear", 21,
                in(v(1), Tensor.scalar(1), Tensor.ofUint8(Shape.scalar(), (byte) 0)),
                Attribute.ofInt("output_dtype", DType.INT8.onnxCode())));
    }

    @Test
    void unsupportedFeaturesAreKernelExceptions() {
        assertThrows(KernelException.class, () -> run("QuantizeLinear", 21, in(v(1), Tensor.scalar(1)), Attribute.ofInt("block_size", 2)));
        assertThrows(KernelException.class, () -> run("DequantizeLinear", 21, in(Tensor.ofUint8(Shape.of(1), (byte) 1), Tensor.scalar(1)), Attribute.ofInt("block_size", 2)));
        assertThrows(KernelException.class, () -> run("QuantizeLinear", 13, in(Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4), v(1, 2, 3))));
    }

    @Test
    void dequantizeSubtractsZeroPointThenScales() {
        Tensor r = run("DequantizeLinear", 13, in(Tensor.ofUint8(Shape.of(3), (byte) 0, (byte) 128, (byte) 255),
                Tensor.scalar(2), Tensor.ofUint8(Shape.scalar(), (byte) 128)));
        assertArrayEquals(new float[] {-256, 0, 254}, r.floats());
        Tensor s = run("DequantizeLinear", 13, in(Tensor.ofInt8(Shape.of(2), (byte) -128, (byte) 127), Tensor.scalar(0.5f)));
        assertArrayEquals(new float[] {-64, 63.5f}, s.floats());
    }

    @Test
    void dequantizeInt32FollowsTheReferencePrecision() {
        // Without a zero point x is first rounded to float32: 2^24 + 1 -> 2^24.
        Tensor x = Tensor.ofInts(Shape.of(1), 16_777_217);
        assertEquals(16_777_216f, run("DequantizeLinear", 13, in(x, Tensor.scalar(1))).floats()[0]);
        // With an int32 zero point numpy subtracts in float64: 2^24 - 1 is exact.
        Tensor y = run("DequantizeLinear", 13, in(x, Tensor.scalar(1), Tensor.ofInts(Shape.scalar(), 1)));
        assertEquals(16_777_215f, y.floats()[0]);
    }

    @Test
    void dequantizeRejectsZeroPointOfAnotherType() {
        assertThrows(KernelException.class, () -> run("DequantizeLinear", 13,
                in(Tensor.ofUint8(Shape.of(1), (byte) 1), Tensor.scalar(1), Tensor.ofInt8(Shape.scalar(), (byte) 0))));
    }

    @Test
    void oneElementScaleAndZeroPointOfDifferentShapesArePerTensor() {
        // ONNX Runtime's quantizer writes bias scales of shape [1] next to scalar zero points
        Tensor x = Tensor.ofInts(Shape.of(3), -4, 0, 6);
        Tensor r = run("DequantizeLinear", 13, in(x, Tensor.ofFloats(Shape.of(1), 0.5f), Tensor.ofInts(Shape.scalar(), 2)));
        assertArrayEquals(new float[] {-3, -1, 2}, r.floats());
        Tensor q = run("QuantizeLinear", 13, in(v(-3, -1, 2), Tensor.ofFloats(Shape.of(1), 0.5f),
                Tensor.ofInt8(Shape.scalar(), (byte) 2)));
        assertArrayEquals(new byte[] {-4, 0, 6}, q.bytes());
    }

    @Test
    void zeroPointOfAnotherShapeThanAPerAxisScaleIsRejected() {
        Tensor x = Tensor.ofInt8(Shape.of(2, 2), (byte) 1, (byte) 2, (byte) 3, (byte) 4);
        assertThrows(KernelException.class, () -> run("DequantizeLinear", 13,
                in(x, v(1, 2), Tensor.ofInt8(Shape.scalar(), (byte) 0))));
    }
}
