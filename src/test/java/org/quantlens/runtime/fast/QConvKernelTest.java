package org.quantlens.runtime.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.RequantMode;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.runtime.reference.Requantizer;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** The fast convolution against the reference one, byte for byte. */
class QConvKernelTest {
    private static final ExecContext TWO = ExecContext.withThreads(2);

    /** One random convolution: the reference and fast kernels on the same operands. */
    private record Case(String label, org.quantlens.runtime.reference.QConvKernel reference, QConvKernel fast,
                        Tensor x) {
    }

    private static Case randomCase(RandomCases r, boolean large) {
        int kh = r.between(1, 3);
        int kw = r.between(1, 3);
        int kind = r.between(0, 2); // 0 dense, 1 grouped, 2 depthwise
        int group = kind == 0 ? 1 : r.between(2, 4);
        int cPerGroup = kind == 2 ? 1 : r.between(1, large ? 24 : 5);
        int mPerGroup = kind == 2 ? r.between(1, 2) : r.between(1, large ? 40 : 9);
        int h = r.between(kh * 2, large ? 30 : 9);
        int w = r.between(kw * 2, large ? 30 : 9);
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(Attribute.ofInt("group", group));
        attrs.add(Attribute.ofInts("strides", r.between(1, 3), r.between(1, 3)));
        attrs.add(Attribute.ofInts("dilations", r.between(1, 2), r.between(1, 2)));
        if (r.between(0, 3) == 0) {
            attrs.add(Attribute.ofString("auto_pad", r.coin() ? "SAME_UPPER" : "SAME_LOWER"));
        } else {
            attrs.add(Attribute.ofInts("pads", r.between(0, 2), r.between(0, 2), r.between(0, 2), r.between(0, 2)));
        }
        Node node = Node.of("c", "Conv", List.of("x", "w"), List.of("y"), attrs.toArray(new Attribute[0]));
        int outC = group * mPerGroup;
        int[] wShape = {outC, cPerGroup, kh, kw};
        int[][] wz = r.weights(outC * cPerGroup * kh * kw, outC);
        int[] bias = r.biasOrNull(outC);
        QuantParams x = r.activation(r.coin());
        QuantParams y = r.activation(r.coin());
        Requantizer rq = r.requantizerOrNull(outC, y);
        QuantParams yOrNull = rq == null ? null : y;
        Tensor in = r.codes(Shape.of(r.between(1, 2), group * cPerGroup, h, w), x);
        String label = "group " + group + " weight " + Arrays.toString(wShape) + " input " + in.shape() + " " + attrs
                + " " + x + (rq == null ? " int32" : " requant " + rq.channels());
        return new Case(label,
                new org.quantlens.runtime.reference.QConvKernel(node, wz[0], wShape, wz[1], bias, x, yOrNull, rq),
                new QConvKernel(node, wz[0], wShape, wz[1], bias, x, yOrNull, rq), in);
    }

    private static void assertSameBytes(Case c) {
        Tensor expected = c.reference.compute(new Tensor[] {c.x}, ExecContext.singleThreaded())[0];
        for (ExecContext ctx : new ExecContext[] {ExecContext.singleThreaded(), TWO}) {
            Tensor actual = c.fast.compute(new Tensor[] {c.x}, ctx)[0];
            assertEquals(expected.dtype(), actual.dtype(), c.label);
            assertArrayEquals(expected.shape().dims(), actual.shape().dims(), c.label);
            assertTrue(expected.contentEquals(actual), c.label);
        }
    }

    @Test
    void smallRandomConvolutionsMatchTheReferenceByteForByte() {
        RandomCases r = new RandomCases(1);
        for (int i = 0; i < 400; i++) {
            assertSameBytes(randomCase(r, false));
        }
    }

    @Test
    void largerRandomConvolutionsCrossingPixelAndChannelBlocksMatchTheReference() {
        RandomCases r = new RandomCases(2);
        for (int i = 0; i < 40; i++) {
            assertSameBytes(randomCase(r, true));
        }
    }

    @Test
    void pointwiseAndDepthwiseLayersOfMobileNetSizeMatchTheReference() {
        RandomCases r = new RandomCases(3);
        QuantParams x = new QuantParams(0.1f, 0, 0, 255);
        QuantParams y = new QuantParams(0.1f, 0, 0, 255);
        for (int depthwise = 0; depthwise < 2; depthwise++) {
            int c = 32;
            int outC = depthwise == 1 ? 32 : 96;
            int k = depthwise == 1 ? 3 : 1;
            Node node = Node.of("c", "Conv", List.of("x", "w"), List.of("y"), Attribute.ofInt("group",
                    depthwise == 1 ? c : 1), Attribute.ofInts("pads", k / 2, k / 2, k / 2, k / 2));
            int[] wShape = {outC, depthwise == 1 ? 1 : c, k, k};
            int[] w = new int[outC * wShape[1] * k * k];
            Arrays.setAll(w, i -> r.between(-127, 127));
            double[] m = new double[outC];
            Arrays.fill(m, 0.002);
            Requantizer rq = new Requantizer(RequantMode.FIXED_POINT, m, 0, 0, 255);
            Tensor in = r.codes(Shape.of(1, c, 56, 56), x);
            int[] bias = new int[outC];
            Arrays.setAll(bias, i -> r.between(-5000, 5000));
            assertSameBytes(new Case("mobilenet " + Arrays.toString(wShape),
                    new org.quantlens.runtime.reference.QConvKernel(node, w, wShape, new int[outC], bias, x, y, rq),
                    new QConvKernel(node, w, wShape, new int[outC], bias, x, y, rq), in));
        }
    }

    @Test
    void longReductionsWithExtremeCodesMatchTheReference() {
        // 150 x 3 x 3 = 1350 taps of up to 255 * 255: sums of tens of millions, still inside int32
        RandomCases r = new RandomCases(4);
        Node node = Node.of("c", "Conv", List.of("x", "w"), List.of("y"), Attribute.ofInts("pads", 1, 1, 1, 1));
        int[] wShape = {5, 150, 3, 3};
        for (boolean extreme : new boolean[] {true, false}) {
            int[] w = new int[5 * 150 * 9];
            Arrays.setAll(w, i -> extreme ? 255 : r.between(0, 255));
            QuantParams x = new QuantParams(1f, 255, 0, 255);
            int[] codes = new int[150 * 6 * 6];
            Arrays.setAll(codes, i -> extreme ? 0 : r.between(0, 255));
            Tensor in = QuantTensors.fromCodes(codes, Shape.of(1, 150, 6, 6), x);
            int[] wZero = new int[5];
            Tensor expected = new org.quantlens.runtime.reference.QConvKernel(node, w, wShape, wZero, null, x, null,
                    null).compute(new Tensor[] {in}, ExecContext.singleThreaded())[0];
            Tensor actual = new QConvKernel(node, w, wShape, wZero, null, x, null, null)
                    .compute(new Tensor[] {in}, TWO)[0];
            assertArrayEquals(expected.ints(), actual.ints());
            if (extreme) {
                // centre pixel: all 1350 taps inside, each (0 - 255) * 255
                assertEquals(-1350 * 255 * 255, actual.ints()[2 * 6 + 2]);
            }
        }
    }

    @Test
    void accumulatorsBeyondInt32SaturateAsInTheReference() {
        // 140 channels x 16 x 16 taps of (255 - 0) * (255 - 0) = 35840 * 65025 > 2^31 - 1: saturates to 2^31 - 1
        int taps = 140 * 16 * 16;
        int[] w = new int[taps];
        Arrays.fill(w, 255);
        QuantParams x = new QuantParams(1f, 0, 0, 255);
        Node node = Node.of("c", "Conv", List.of("x", "w"), List.of("y"));
        QConvKernel fast = new QConvKernel(node, w, new int[] {1, 140, 16, 16}, new int[1], null, x, null, null);
        int[] ones = new int[taps];
        Arrays.fill(ones, 255);
        Tensor in = QuantTensors.fromCodes(ones, Shape.of(1, 140, 16, 16), x);
        Tensor y = fast.compute(new Tensor[] {in}, TWO)[0];
        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(new int[] {Integer.MAX_VALUE}, y.ints());
    }

    @Test
    void anInputThatDoesNotFitTheWeightIsRejected() {
        Node node = Node.of("c", "Conv", List.of("x", "w"), List.of("y"));
        QuantParams x = new QuantParams(1f, 0, 0, 255);
        QConvKernel k = new QConvKernel(node, new int[8], new int[] {1, 2, 2, 2}, new int[1], null, x, null, null);
        Tensor in = QuantTensors.fromCodes(new int[9], Shape.of(1, 1, 3, 3), x);
        assertThrows(KernelException.class, () -> k.compute(new Tensor[] {in}, ExecContext.singleThreaded()));
    }
}
