package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.FloatReference;
import org.quantlens.runtime.RequantMode;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class QConvKernelTest {
    private static final QuantParams X = new QuantParams(0.5f, 2, 0, 255);
    private static final QuantParams Y = new QuantParams(0.25f, 10, 0, 255);

    /** x - zx = [0..8] on 3x3, w = [[4, 0], [0, -4]] at scale 0.25, bias 2 at scale 0.5 * 0.25; M = 0.5. */
    private static Tensor handCase(Attribute... attrs) {
        Node n = Node.of("c", "Conv", List.of("x", "w", "b"), List.of("y"), attrs);
        Requantizer rq = Requantizer.single(RequantMode.FIXED_POINT, 0.5 * 0.25 / 0.25, Y.zeroPoint(), 0, 255);
        QConvKernel k = new QConvKernel(n, new int[] {4, 0, 0, -4}, new int[] {1, 1, 2, 2}, new int[] {0},
                new int[] {2}, X, Y, rq);
        Tensor x = QuantTensors.fromCodes(new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10}, Shape.of(1, 1, 3, 3), X);
        return k.compute(new Tensor[] {x}, ExecContext.singleThreaded())[0];
    }

    @Test
    void handComputedValidConvolution() {
        // every window: 4 * (x[i][j] - x[i+1][j+1]) + 2 = 4 * -4 + 2 = -14, * 0.5 = -7, + 10 = 3
        Tensor y = handCase();
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape().dims());
        assertArrayEquals(new int[] {3, 3, 3, 3}, QuantTensors.codes(y));
    }

    @Test
    void paddingReadsAsTheInputZeroPoint() {
        Tensor y = handCase(Attribute.ofInts("pads", 1, 1, 1, 1));
        int[] q = QuantTensors.codes(y);
        assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape().dims());
        // (0,0): only x[0][0]-zx = 0 under w=-4 -> acc 2 -> 1 -> 11; (3,3): only x[2][2]-zx = 8 under w=4 -> 34 -> 17 -> 27
        assertArrayEquals(new int[] {11, 27}, new int[] {q[0], q[15]});
        // (0,1): x[0][0] under w=0... window rows -1..0, cols 0..1: w[1][0]=0 * 0, w[1][1]=-4 * 1 -> -2 -> -1 -> 9
        assertArrayEquals(new int[] {9}, new int[] {q[1]});
    }

    @Test
    void inputChannelsMustMatchTheWeight() {
        Node n = Node.of("c", "Conv", List.of("x", "w"), List.of("y"));
        QConvKernel k = new QConvKernel(n, new int[8], new int[] {1, 2, 2, 2}, new int[] {0}, null, X, Y,
                Requantizer.single(RequantMode.FLOAT, 1, 0, 0, 255));
        Tensor x = QuantTensors.fromCodes(new int[9], Shape.of(1, 1, 3, 3), X);
        assertThrows(KernelException.class, () -> k.compute(new Tensor[] {x}, ExecContext.singleThreaded()));
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void matchesDequantizedFloatConvolutionWithinOneStep(RequantMode mode) {
        Random rnd = new Random(11);
        int[][] cases = { // N, C, H, W, M, kH, kW, group, stride, dilation, pad
            {1, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1}, {2, 4, 8, 8, 4, 3, 3, 4, 2, 1, 1}, {1, 4, 9, 9, 6, 3, 2, 2, 1, 2, 2},
            {1, 2, 5, 5, 3, 1, 1, 1, 2, 1, 0}, {1, 8, 6, 6, 8, 5, 5, 8, 1, 1, 2}};
        for (int[] c : cases) {
            checkRandomConv(rnd, c, mode);
        }
    }

    private static void checkRandomConv(Random rnd, int[] c, RequantMode mode) {
        Node n = Node.of("c", "Conv", List.of("x", "w", "b"), List.of("y"), Attribute.ofInt("group", c[7]),
                Attribute.ofInts("strides", c[8], c[8]), Attribute.ofInts("dilations", c[9], c[9]),
                Attribute.ofInts("pads", c[10], c[10], c[10], c[10]));
        QuantParams x = new QuantParams(0.04f, 100 + rnd.nextInt(50), 0, 255);
        Tensor xq = KernelCheck.randomCodes(rnd, Shape.of(c[0], c[1], c[2], c[3]), x);
        Shape ws = Shape.of(c[4], c[1] / c[7], c[5], c[6]);
        int[] w = new int[ws.numElements()];
        float[] wScale = new float[c[4]];
        int[] wZero = new int[c[4]];
        int[] bias = new int[c[4]];
        float[] wReal = new float[w.length];
        float[] bReal = new float[c[4]];
        int per = w.length / c[4];
        for (int m = 0; m < c[4]; m++) {
            wScale[m] = 0.002f + 0.01f * rnd.nextFloat();
            wZero[m] = rnd.nextInt(5) - 2; // exercises per-channel weight zero points (ConvInteger allows them)
            bias[m] = rnd.nextInt(2001) - 1000;
            bReal[m] = bias[m] * (x.scale() * wScale[m]);
            for (int i = 0; i < per; i++) {
                w[m * per + i] = rnd.nextInt(255) - 127;
                wReal[m * per + i] = (w[m * per + i] - wZero[m]) * wScale[m];
            }
        }
        Tensor ref = FloatReference.conv(n, QuantTensors.dequantize(xq, x), Tensor.ofFloats(ws, wReal),
                Tensor.ofFloats(Shape.of(c[4]), bReal));
        QuantParams y = KernelCheck.paramsFor(ref);
        double[] mult = new double[c[4]];
        for (int m = 0; m < c[4]; m++) {
            mult[m] = (double) x.scale() * wScale[m] / y.scale();
        }
        QConvKernel k = new QConvKernel(n, w, ws.dims(), wZero, bias, x, y,
                new Requantizer(mode, mult, y.zeroPoint(), y.qmin(), y.qmax()));
        Tensor out = k.compute(new Tensor[] {xq}, ExecContext.withThreads(2))[0];
        KernelCheck.assertWithin(ref, y, out, 1);
    }
}
