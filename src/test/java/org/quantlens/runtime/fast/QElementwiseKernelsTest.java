package org.quantlens.runtime.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.OpKernel;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** The table-driven element-wise kernels against the reference ones, byte for byte. */
class QElementwiseKernelsTest {
    private static final ExecContext TWO = ExecContext.withThreads(2);

    private static QuantParams params(RandomCases r) {
        boolean unsigned = r.coin();
        float scale = (float) Math.pow(10, -3 + 2.5 * r.between(0, 1000) / 1000.0);
        return unsigned ? new QuantParams(scale, r.between(0, 255), 0, 255)
                : new QuantParams(scale, r.between(-128, 127), -128, 127);
    }

    private static void assertSame(OpKernel reference, OpKernel fast, Tensor[] inputs, String label) {
        Tensor expected = reference.compute(inputs, ExecContext.singleThreaded())[0];
        for (ExecContext ctx : new ExecContext[] {ExecContext.singleThreaded(), TWO}) {
            Tensor actual = fast.compute(inputs, ctx)[0];
            assertEquals(expected.dtype(), actual.dtype(), label);
            assertArrayEquals(expected.shape().dims(), actual.shape().dims(), label);
            assertTrue(expected.contentEquals(actual), label);
        }
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void addAndMulMatchTheReferenceWithAndWithoutBroadcasting(RequantMode mode) {
        RandomCases r = new RandomCases(21 + mode.ordinal());
        for (int i = 0; i < 60; i++) {
            QuantParams a = params(r);
            QuantParams b = params(r);
            QuantParams y = params(r);
            int lo = r.between(y.qmin(), y.zeroPoint());
            int hi = r.between(y.zeroPoint(), y.qmax());
            Shape sa = Shape.of(2, 3, r.between(1, 40), 17);
            Shape sb = r.between(0, 3) == 0 ? Shape.of(3, 1, 17) : sa;
            Tensor[] in = {r.codes(sa, a), r.codes(sb, b)};
            String label = a + " " + b + " -> " + y + " [" + lo + ", " + hi + "] " + sb;
            assertSame(org.quantlens.runtime.reference.QElementwiseKernels.add(a, b, y, lo, hi, mode),
                    QElementwiseKernels.add(a, b, y, lo, hi, mode), in, "Add " + label);
            assertSame(org.quantlens.runtime.reference.QElementwiseKernels.mul(a, b, y, lo, hi, mode),
                    QElementwiseKernels.mul(a, b, y, lo, hi, mode), in, "Mul " + label);
        }
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void requantizeClampMatchesTheReference(RequantMode mode) {
        RandomCases r = new RandomCases(31 + mode.ordinal());
        for (int i = 0; i < 60; i++) {
            QuantParams x = params(r);
            QuantParams y = r.coin() ? x : params(r);
            int lo = r.between(y.qmin(), y.zeroPoint());
            int hi = r.between(y.zeroPoint(), y.qmax());
            Tensor[] in = {r.codes(Shape.of(3, r.between(1, 5000)), x)};
            assertSame(org.quantlens.runtime.reference.QElementwiseKernels.requantizeClamp(x, y, lo, hi, mode),
                    QElementwiseKernels.requantizeClamp(x, y, lo, hi, mode), in, x + " -> " + y);
        }
    }
}
