package org.quantlens.runtime.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.runtime.reference.Requantizer;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** The fast matrix product against the reference one, byte for byte. */
class QGemmKernelTest {
    private static final ExecContext TWO = ExecContext.withThreads(2);

    private static void randomCaseMatches(RandomCases r, int maxRows, int maxK, int maxN) {
        int k = r.between(0, maxK);
        int n = r.between(1, maxN);
        boolean matMul = r.coin();
        boolean transA = !matMul && r.coin();
        int rows = r.between(1, maxRows);
        int[][] bz = r.weights(k * n, n);
        int[] bias = r.biasOrNull(n);
        QuantParams a = r.activation(r.coin());
        QuantParams y = r.activation(r.coin());
        Requantizer rq = r.requantizerOrNull(n, y);
        QuantParams yOrNull = rq == null ? null : y;
        Shape shape = transA ? Shape.of(k, rows) : matMul && r.coin() ? Shape.of(2, rows, k) : Shape.of(rows, k);
        Tensor in = r.codes(shape, a);
        String label = "A " + shape + " B [" + k + ", " + n + "] transA " + transA + " matMul " + matMul + " " + a
                + (rq == null ? " int32" : " requant " + rq.channels());
        Tensor expected = new org.quantlens.runtime.reference.QGemmKernel(bz[0], k, n, bz[1], bias, transA, matMul,
                a, yOrNull, rq).compute(new Tensor[] {in}, ExecContext.singleThreaded())[0];
        QGemmKernel fast = new QGemmKernel(bz[0], k, n, bz[1], bias, transA, matMul, a, yOrNull, rq);
        for (ExecContext ctx : new ExecContext[] {ExecContext.singleThreaded(), TWO}) {
            Tensor actual = fast.compute(new Tensor[] {in}, ctx)[0];
            assertEquals(expected.dtype(), actual.dtype(), label);
            assertArrayEquals(expected.shape().dims(), actual.shape().dims(), label);
            assertTrue(expected.contentEquals(actual), label);
        }
    }

    @Test
    void smallRandomProductsMatchTheReferenceByteForByte() {
        RandomCases r = new RandomCases(11);
        for (int i = 0; i < 500; i++) {
            randomCaseMatches(r, 7, 40, 40);
        }
    }

    @Test
    void largerRandomProductsCrossingRowAndColumnBlocksMatchTheReference() {
        RandomCases r = new RandomCases(12);
        for (int i = 0; i < 30; i++) {
            randomCaseMatches(r, 70, 300, 600);
        }
    }

    @Test
    void accumulatorsBeyondInt32SaturateAsInTheReference() {
        // K = 40000 products of (-128 - 127) * (127 - (-128)) = -65025 each: far below -2^31, saturates to -2^31
        int k = 40000;
        int[] b = new int[k];
        Arrays.fill(b, 127);
        QuantParams a = new QuantParams(1f, 127, -128, 127);
        QGemmKernel fast = new QGemmKernel(b, k, 1, new int[] {-128}, null, false, false, a, null, null);
        int[] codes = new int[k];
        Arrays.fill(codes, -128);
        Tensor y = fast.compute(new Tensor[] {QuantTensors.fromCodes(codes, Shape.of(1, k), a)}, TWO)[0];
        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(new int[] {Integer.MIN_VALUE}, y.ints());
    }

    @Test
    void aMismatchedInnerDimensionIsRejected() {
        QuantParams a = new QuantParams(1f, 0, 0, 255);
        QGemmKernel k = new QGemmKernel(new int[6], 3, 2, new int[2], null, false, false, a, null, null);
        Tensor in = QuantTensors.fromCodes(new int[4], Shape.of(2, 2), a);
        assertThrows(KernelException.class, () -> k.compute(new Tensor[] {in}, ExecContext.singleThreaded()));
    }
}
