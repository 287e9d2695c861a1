package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger on hand-computed cases (ONNX operator definitions). */
class QLinearOpKernelsTest {
    private static final ExecContext CTX = ExecContext.singleThreaded();

    private static Tensor u8(Shape s, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return Tensor.ofUint8(s, b);
    }

    private static Tensor i8(Shape s, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return Tensor.ofInt8(s, b);
    }

    private static Node node(String op, Attribute... attrs) {
        return Node.of("n", op, List.of(), List.of("y"), attrs);
    }

    @Test
    void convIntegerSubtractsOneWeightZeroPointPerOutputChannel() {
        // x - 1 = [0, 1, 2, 3]; channel 0: w - 1 = 2; channel 1: w - 5 = 0
        Tensor x = u8(Shape.of(1, 1, 2, 2), 1, 2, 3, 4);
        Tensor w = u8(Shape.of(2, 1, 1, 1), 3, 5);
        Tensor y = QLinearOpKernels.convInteger(node("ConvInteger")).compute(new Tensor[] {x, w,
                u8(Shape.of(), 1), u8(Shape.of(2), 1, 5)}, CTX)[0];

        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(new int[] {1, 2, 2, 2}, y.shape().dims());
        assertArrayEquals(new int[] {0, 2, 4, 6, 0, 0, 0, 0}, y.ints());
    }

    @Test
    void convIntegerPadsWithTheInputZeroPoint() {
        // 1x1 input 7 with zero point 3, 2x2 kernel of ones, pads 1 all round: each output sees only the real pixel
        Tensor y = QLinearOpKernels.convInteger(node("ConvInteger", Attribute.ofInts("pads", 1, 1, 1, 1)))
                .compute(new Tensor[] {u8(Shape.of(1, 1, 1, 1), 7), u8(Shape.of(1, 1, 2, 2), 1, 1, 1, 1),
                        u8(Shape.of(), 3)}, CTX)[0];

        assertArrayEquals(new int[] {4, 4, 4, 4}, y.ints());
    }

    @Test
    void matMulIntegerBroadcastsATwoDimensionalAOverBatchesOfB() {
        // A [1, 2] = [1, 2]; B [2, 2, 1]: batch 0 [[3], [4]], batch 1 [[5], [6]]; zero points 0
        Tensor y = QLinearOpKernels.matMulInteger().compute(new Tensor[] {u8(Shape.of(1, 2), 1, 2),
                u8(Shape.of(2, 2, 1), 3, 4, 5, 6)}, CTX)[0];

        assertArrayEquals(new int[] {2, 1, 1}, y.shape().dims());
        assertArrayEquals(new int[] {1 * 3 + 2 * 4, 1 * 5 + 2 * 6}, y.ints());
    }

    @Test
    void qLinearMatMulRoundsHalfToEvenWithFloatRequantization() {
        // acc = a * 1 with real multiplier 1 * 0.25 / 1: 2 -> 0.5 -> 0, 6 -> 1.5 -> 2, 10 -> 2.5 -> 2; zy = 10
        Tensor y = QLinearOpKernels.qLinearMatMul(RequantMode.FLOAT).compute(new Tensor[] {
                u8(Shape.of(3, 1), 2, 6, 10), Tensor.scalar(1f), u8(Shape.of(), 0),
                u8(Shape.of(1, 1), 1), Tensor.scalar(0.25f), u8(Shape.of(), 0),
                Tensor.scalar(1f), u8(Shape.of(), 10)}, CTX)[0];

        assertEquals(DType.UINT8, y.dtype());
        assertArrayEquals(new int[] {10, 12, 12}, QuantTensors.codes(y));
    }

    @Test
    void qLinearConvSaturatesToTheOutputTypeAndAddsTheBias() {
        // int8: (x - 0) * (w - 0) = 100 * 100 = 10000, bias -9950 -> 50 with multiplier 1; and 127 * 127 saturates
        Tensor x = i8(Shape.of(1, 1, 1, 2), 100, 127);
        Tensor w = i8(Shape.of(1, 1, 1, 1), 100);
        Tensor[] in = {x, Tensor.scalar(1f), i8(Shape.of(), 0), w, Tensor.ofFloats(Shape.of(1), 1f),
            i8(Shape.of(1), 0), Tensor.scalar(1f), i8(Shape.of(), 0), Tensor.ofInts(Shape.of(1), -9950)};
        for (RequantMode mode : RequantMode.values()) {
            Tensor y = QLinearOpKernels.qLinearConv(node("QLinearConv"), mode).compute(in, CTX)[0];

            assertEquals(DType.INT8, y.dtype());
            assertArrayEquals(new int[] {50, 127}, QuantTensors.codes(y), mode.name());
        }
    }

    @Test
    void perRowAZeroPointIsRejected() {
        KernelException e = assertThrows(KernelException.class, () -> QLinearOpKernels.matMulInteger().compute(
                new Tensor[] {u8(Shape.of(2, 1), 1, 2), u8(Shape.of(1, 1), 1), u8(Shape.of(2), 0, 1)}, CTX));
        assertTrue(e.getMessage().contains("single value"), e.getMessage());
    }

    @Test
    void weightZeroPointsOfTheWrongCountAreRejected() {
        KernelException e = assertThrows(KernelException.class, () -> QLinearOpKernels.convInteger(node("ConvInteger"))
                .compute(new Tensor[] {u8(Shape.of(1, 1, 1, 1), 1), u8(Shape.of(2, 1, 1, 1), 1, 1), u8(Shape.of(), 0),
                    u8(Shape.of(3), 0, 0, 0)}, CTX));
        assertTrue(e.getMessage().contains("3 values for 2 channels"), e.getMessage());
    }
}
