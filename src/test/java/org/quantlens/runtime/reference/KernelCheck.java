package org.quantlens.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.quantlens.quant.QuantParams;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Helpers for "integer kernel vs dequantize -> float reference -> quantize" checks. */
final class KernelCheck {
    private KernelCheck() {
    }

    static final QuantParams U8 = new QuantParams(0.05f, 128, 0, 255);

    /** Random codes in [p.qmin, p.qmax]. */
    static Tensor randomCodes(Random rnd, Shape s, QuantParams p) {
        int[] q = new int[s.numElements()];
        for (int i = 0; i < q.length; i++) {
            q[i] = p.qmin() + rnd.nextInt(p.qmax() - p.qmin() + 1);
        }
        return QuantTensors.fromCodes(q, s, p);
    }

    /** Output parameters covering the float result's range (uint8 asymmetric, ORT rule). */
    static QuantParams paramsFor(Tensor ref) {
        float lo = 0;
        float hi = 0;
        for (float f : ref.floats()) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return QuantParams.onnxRuntime(lo * 0.8f, hi * 0.8f, 0, 255, false, false); // some saturation too
    }

    /** Same shape, and every code within {@code lsb} of quantize(reference). */
    static void assertWithin(Tensor ref, QuantParams y, Tensor actual, int lsb) {
        Tensor expected = QuantTensors.quantize(ref, y);
        assertArrayEquals(expected.shape().dims(), actual.shape().dims());
        int[] e = QuantTensors.codes(expected);
        int[] a = QuantTensors.codes(actual);
        int worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= lsb, "max code difference " + worst + " > " + lsb);
    }
}
