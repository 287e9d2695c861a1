package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.FloatReference;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class QPoolKernelsTest {
    private static final ExecContext ONE = ExecContext.singleThreaded();

    private static Node pool(String op, Attribute... a) {
        return Node.of("p", op, List.of("x"), List.of("y"), a);
    }

    @Test
    void maxPoolIsExactOnCodesAndKeepsTheParameters() {
        Random rnd = new Random(5);
        QuantParams p = new QuantParams(0.1f, 7, -128, 127);
        Node n = pool("MaxPool", Attribute.ofInts("kernel_shape", 3, 3), Attribute.ofInts("strides", 2, 2),
                Attribute.ofInts("pads", 1, 1, 1, 1), Attribute.ofInt("ceil_mode", 1));
        Tensor x = KernelCheck.randomCodes(rnd, Shape.of(2, 3, 8, 7), p);
        Tensor ref = FloatReference.pool(n, QuantTensors.dequantize(x, p), true);
        Tensor y = QPoolKernels.maxPool(n, p).compute(new Tensor[] {x}, ONE)[0];
        KernelCheck.assertWithin(ref, p, y, 0);
    }

    @Test
    void averagePoolHandCaseWithAndWithoutPaddingInTheCount() {
        QuantParams p = new QuantParams(1f, 0, 0, 255);
        Tensor x = QuantTensors.fromCodes(new int[] {4, 8, 12, 16}, Shape.of(1, 1, 2, 2), p);
        Attribute k = Attribute.ofInts("kernel_shape", 2, 2);
        Attribute pads = Attribute.ofInts("pads", 1, 1, 0, 0);
        Tensor excl = QPoolKernels.averagePool(pool("AveragePool", k, pads), p, p, RequantMode.FIXED_POINT)
                .compute(new Tensor[] {x}, ONE)[0];
        // windows: {4}, {4,8}, {4,12}, {4,8,12,16} -> 4, 6, 8, 10
        assertArrayEquals(new int[] {4, 6, 8, 10}, QuantTensors.codes(excl));
        Tensor incl = QPoolKernels.averagePool(pool("AveragePool", k, pads, Attribute.ofInt("count_include_pad", 1)),
                p, p, RequantMode.FLOAT).compute(new Tensor[] {x}, ONE)[0];
        // divided by 4 always: 1, 3, 4, 10
        assertArrayEquals(new int[] {1, 3, 4, 10}, QuantTensors.codes(incl));
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void averagePoolsMatchDequantizedFloatWithinOneStep(RequantMode mode) {
        Random rnd = new Random(9);
        QuantParams x = new QuantParams(0.05f, 120, 0, 255);
        QuantParams y = new QuantParams(0.03f, 100, 0, 255);
        Node n = pool("AveragePool", Attribute.ofInts("kernel_shape", 3, 2), Attribute.ofInts("strides", 2, 1),
                Attribute.ofInts("pads", 1, 0, 1, 1));
        Tensor xq = KernelCheck.randomCodes(rnd, Shape.of(2, 3, 9, 8), x);
        Tensor xf = QuantTensors.dequantize(xq, x);
        KernelCheck.assertWithin(FloatReference.pool(n, xf, false), y,
                QPoolKernels.averagePool(n, x, y, mode).compute(new Tensor[] {xq}, ONE)[0], 1);

        float[] means = new float[6];
        for (int c = 0; c < 6; c++) {
            double s = 0;
            for (int i = 0; i < 72; i++) {
                s += xf.floats()[c * 72 + i];
            }
            means[c] = (float) (s / 72);
        }
        KernelCheck.assertWithin(Tensor.ofFloats(Shape.of(2, 3, 1, 1), means), y,
                QPoolKernels.globalAveragePool(x, y, mode).compute(new Tensor[] {xq}, ONE)[0], 1);
    }
}
