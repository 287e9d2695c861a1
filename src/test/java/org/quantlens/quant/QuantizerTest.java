package org.quantlens.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quantlens.tensor.Shape;

class QuantizerTest {
    private static final Quantizer UNIT_INT8 = Quantizer.of(new QuantParams(1f, 0, -128, 127));

    @Test
    void quantizeRoundsHalfToEvenLikeQuantizeLinear() {
        assertArrayEquals(new int[] {0, 2, 2, 0, -2, -2, 4},
                UNIT_INT8.quantize(new float[] {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.5f}));
    }

    @Test
    void quantizeDividesInFloat32() {
        // 0.7f = 0.699999988..., 1.75f / 0.7f = 2.50000004 exactly, which float32 rounds to 2.5 -> even 2
        // (a double division would round up to 3)
        assertEquals(2, Quantizer.quantize(1.75f, 0.7f, 0, -128, 127));
    }

    @Test
    void quantizeSaturatesAndMapsNanToTheZeroPoint() {
        Quantizer q = Quantizer.of(new QuantParams(0.1f, 10, 0, 255));
        assertEquals(255, q.quantize(1e6f));
        assertEquals(0, q.quantize(-1e6f));
        assertEquals(255, q.quantize(Float.POSITIVE_INFINITY));
        assertEquals(0, q.quantize(Float.NEGATIVE_INFINITY));
        assertEquals(10, q.quantize(Float.NaN));
        assertEquals(0f, q.fakeQuant(Float.NaN));
    }

    @Test
    void dequantizeIsCodeMinusZeroPointTimesScale() {
        Quantizer q = Quantizer.of(new QuantParams(0.5f, 10, 0, 255));
        assertArrayEquals(new float[] {-5f, 0f, 0.5f, 122.5f}, q.dequantize(new int[] {0, 10, 11, 255}));
        assertEquals(1.5f, q.fakeQuant(1.4f)); // 2.8 -> 3 -> 13 -> 1.5
    }

    @Test
    void fakeQuantErrorIsAtMostHalfAStepInsideTheRange() {
        SplittableRandom rnd = new SplittableRandom(7);
        QuantSpec[] specs = {QuantSpec.activationsDefault(), QuantSpec.weightsDefault(),
            QuantSpec.of(QuantScheme.INT8_ASYMMETRIC, 4), QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC, 16)};
        for (int trial = 0; trial < 200; trial++) {
            float lo = (float) (-rnd.nextDouble() * 10);
            float hi = (float) (rnd.nextDouble() * 10);
            QuantParams p = QuantParams.onnxRuntime(lo, hi, specs[trial % specs.length]);
            Quantizer q = Quantizer.of(p);
            for (int i = 0; i < 200; i++) {
                float x = (float) (p.clipMin() + rnd.nextDouble() * (p.clipMax() - p.clipMin()));
                float err = Math.abs(q.fakeQuant(x) - x);
                // half a step, plus float32 rounding of the dequantized value
                assertTrue(err <= p.scale() / 2 + Math.ulp(Math.abs(x)) * 2,
                        () -> "x=" + x + " err=" + err + " params " + p);
            }
        }
    }

    @Test
    void perChannelUsesTheChannelOfEachElement() {
        Shape shape = Shape.of(2, 3, 2); // axis 1 has 3 channels, inner size 2
        PerChannelQuantParams p = new PerChannelQuantParams(1, new float[] {1f, 0.5f, 0.25f},
                new int[] {0, 1, 2}, -128, 127);
        float[] x = {1f, 1f, 1f, 1f, 1f, 1f, -1f, -1f, -1f, -1f, -1f, -1f};
        int[] q = Quantizer.quantize(p, x, shape);
        assertArrayEquals(new int[] {1, 1, 3, 3, 6, 6, -1, -1, -1, -1, -2, -2}, q);
        assertArrayEquals(x, Quantizer.dequantize(p, q, shape));
        assertArrayEquals(x, Quantizer.fakeQuant(p, x, shape));
    }

    @Test
    void perChannelRejectsShapesThatDoNotMatch() {
        PerChannelQuantParams p = new PerChannelQuantParams(0, new float[] {1f, 1f}, new int[] {0, 0}, -128, 127);
        assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(p, new float[6], Shape.of(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(p, new float[5], Shape.of(2, 3)));
    }
}
