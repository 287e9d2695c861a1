package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class QElementwiseKernelsTest {
    private static final ExecContext ONE = ExecContext.singleThreaded();

    @Test
    void broadcastIndexRepeatsSizeOneAxes() {
        assertArrayEquals(new int[] {2, 3}, QElementwiseKernels.broadcastDims(new int[] {2, 1}, new int[] {3}));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, QElementwiseKernels.broadcastIndex(new int[] {2, 1}, new int[] {2, 3}));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, QElementwiseKernels.broadcastIndex(new int[] {3}, new int[] {2, 3}));
        assertThrows(KernelException.class, () -> QElementwiseKernels.broadcastDims(new int[] {2}, new int[] {3}));
    }

    @Test
    void addHandCase() {
        QuantParams a = new QuantParams(0.5f, 10, 0, 255);
        QuantParams b = new QuantParams(0.25f, 0, -128, 127);
        QuantParams y = new QuantParams(1f, 5, 0, 255);
        // (20 - 10) * 0.5 + 8 * 0.25 = 7 -> 12; (10 - 10) * 0.5 + (-40) * 0.25 = -10 -> clamped to 0
        Tensor out = QElementwiseKernels.add(a, b, y, 0, 255, RequantMode.FIXED_POINT).compute(new Tensor[] {
            QuantTensors.fromCodes(new int[] {20, 10}, Shape.of(2), a),
            QuantTensors.fromCodes(new int[] {8, -40}, Shape.of(2), b)}, ONE)[0];
        assertArrayEquals(new int[] {12, 0}, QuantTensors.codes(out));
    }

    @Test
    void reluClampIsAPureClampWhenParametersAreShared() {
        QuantParams p = new QuantParams(0.1f, 100, 0, 255);
        Tensor out = QElementwiseKernels.requantizeClamp(p, p, 100, 255, RequantMode.FIXED_POINT).compute(
                new Tensor[] {QuantTensors.fromCodes(new int[] {0, 99, 100, 101, 255}, Shape.of(5), p)}, ONE)[0];
        assertArrayEquals(new int[] {100, 100, 100, 101, 255}, QuantTensors.codes(out));
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void addMulAndRequantizeMatchDequantizedFloatWithinOneStep(RequantMode mode) {
        Random rnd = new Random(13);
        QuantParams a = new QuantParams(0.07f, 130, 0, 255);
        QuantParams b = new QuantParams(0.02f, -5, -128, 127);
        Tensor aq = KernelCheck.randomCodes(rnd, Shape.of(2, 3, 4), a);
        Tensor bq = KernelCheck.randomCodes(rnd, Shape.of(3, 1), b);
        float[] fa = QuantTensors.dequantize(aq, a).floats();
        float[] fb = QuantTensors.dequantize(bq, b).floats();
        int[] ib = QElementwiseKernels.broadcastIndex(new int[] {3, 1}, new int[] {2, 3, 4});
        float[] sum = new float[24];
        float[] prod = new float[24];
        for (int i = 0; i < 24; i++) {
            sum[i] = fa[i] + fb[ib[i]];
            prod[i] = fa[i] * fb[ib[i]];
        }
        Tensor sumRef = Tensor.ofFloats(Shape.of(2, 3, 4), sum);
        Tensor prodRef = Tensor.ofFloats(Shape.of(2, 3, 4), prod);
        QuantParams ys = KernelCheck.paramsFor(sumRef);
        QuantParams yp = KernelCheck.paramsFor(prodRef);
        Tensor[] in = {aq, bq};
        KernelCheck.assertWithin(sumRef, ys, QElementwiseKernels.add(a, b, ys, 0, 255, mode).compute(in, ONE)[0], 1);
        KernelCheck.assertWithin(prodRef, yp, QElementwiseKernels.mul(a, b, yp, 0, 255, mode).compute(in, ONE)[0], 1);
        KernelCheck.assertWithin(QuantTensors.dequantize(aq, a), ys,
                QElementwiseKernels.requantize(aq, a, ys, 0, 255, mode), 1);
    }
}
