package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.FloatReference;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class QGemmKernelTest {

    @Test
    void handComputedProductWithBiasAndZeroPoints() {
        QuantParams a = new QuantParams(1f, 1, 0, 255);
        QuantParams y = new QuantParams(1f, 0, -128, 127);
        // a - za = [[1, 2], [3, 4]], B = [[1, 0], [0, 1]] with zb = 0, bias [10, -10]
        QGemmKernel k = new QGemmKernel(new int[] {1, 0, 0, 1}, 2, 2, new int[] {0, 0}, new int[] {10, -10}, false,
                false, a, y, Requantizer.single(RequantMode.FIXED_POINT, 1.0, 0, -128, 127));
        Tensor out = k.compute(new Tensor[] {QuantTensors.fromCodes(new int[] {2, 3, 4, 5}, Shape.of(2, 2), a)},
                ExecContext.singleThreaded())[0];
        assertArrayEquals(new int[] {11, -8, 13, -6}, QuantTensors.codes(out));
    }

    @Test
    void mismatchedInnerDimensionIsAKernelError() {
        QuantParams a = new QuantParams(1f, 0, 0, 255);
        QGemmKernel k = new QGemmKernel(new int[6], 3, 2, new int[2], null, false, false, a, a,
                Requantizer.single(RequantMode.FLOAT, 1, 0, 0, 255));
        Tensor x = QuantTensors.fromCodes(new int[4], Shape.of(2, 2), a);
        assertThrows(KernelException.class, () -> k.compute(new Tensor[] {x}, ExecContext.singleThreaded()));
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void gemmAndBatchedMatMulMatchDequantizedFloatWithinOneStep(RequantMode mode) {
        Random rnd = new Random(3);
        check(rnd, mode, false, false, Shape.of(5, 17), 9);
        check(rnd, mode, true, false, Shape.of(17, 5), 9);
        check(rnd, mode, false, true, Shape.of(2, 3, 17), 6);
    }

    private static void check(Random rnd, RequantMode mode, boolean transA, boolean matMul, Shape as, int n) {
        int k = transA ? as.dim(0) : as.dim(as.rank() - 1);
        QuantParams a = new QuantParams(0.03f, 90, 0, 255);
        Tensor aq = KernelCheck.randomCodes(rnd, as, a);
        int[] b = new int[k * n];
        float[] bReal = new float[k * n];
        float[] scale = new float[n];
        int[] bias = new int[n];
        float[] biasReal = new float[n];
        for (int j = 0; j < n; j++) {
            scale[j] = 0.001f + 0.01f * rnd.nextFloat();
            bias[j] = rnd.nextInt(4001) - 2000;
            biasReal[j] = bias[j] * (a.scale() * scale[j]);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextInt(255) - 127;
            bReal[i] = b[i] * scale[i % n];
        }
        Tensor af = QuantTensors.dequantize(aq, a);
        Tensor ref;
        if (matMul) {
            ref = FloatReference.matMul(af, Tensor.ofFloats(Shape.of(k, n), bReal));
            float[] r = ref.floats();
            for (int i = 0; i < r.length; i++) {
                r[i] += biasReal[i % n];
            }
        } else {
            Node node = Node.of("g", "Gemm", List.of("a", "b", "c"), List.of("y"), Attribute.ofInt("transA", transA ? 1 : 0));
            ref = FloatReference.gemm(node, af, Tensor.ofFloats(Shape.of(k, n), bReal), Tensor.ofFloats(Shape.of(n), biasReal));
        }
        QuantParams y = KernelCheck.paramsFor(ref);
        double[] mult = new double[n];
        for (int j = 0; j < n; j++) {
            mult[j] = (double) a.scale() * scale[j] / y.scale();
        }
        QGemmKernel kern = new QGemmKernel(b, k, n, new int[n], bias, transA, matMul, a, y,
                new Requantizer(mode, mult, y.zeroPoint(), y.qmin(), y.qmax()));
        KernelCheck.assertWithin(ref, y, kern.compute(new Tensor[] {aq}, ExecContext.singleThreaded())[0], 1);
    }
}
