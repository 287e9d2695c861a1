package org.quantlens.calib.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

class ExactErrorMetricsTest {
    @Test
    void handComputedSamples() {
        // scale 0.5, codes [-2, 2]: representable [-1, 1]. Q(-1) = -1, Q(0) = 0, Q(0.3) = 0.5, Q(2) = 1
        // (saturated: rint(4) = 4 > 2)
        float[] x = {-1f, 0f, 0.3f, 2f};
        ErrorMetrics m = ExactErrorMetrics.evaluate(x, new QuantParams(0.5f, 0, -2, 2));
        assertEquals(0.01, m.roundingMse(), 1e-8);   // 0.2^2 / 4
        assertEquals(0.25, m.clippingMse(), 1e-12);  // 1^2 / 4
        assertEquals(0.26, m.mse(), 1e-8);
        assertEquals(0.25, m.fractionClipped(), 0.0);
        double ex2 = (1 + 0 + 0.09 + 4) / 4.0;
        assertEquals(10 * Math.log10(ex2 / 0.26), m.sqnrDb(), 1e-5);
        assertEquals(((1 + 0.15 + 2) / 4.0) / Math.sqrt(ex2 * ((1 + 0.25 + 1) / 4.0)), m.cosine(), 1e-6);
    }

    @Test
    void errorInsideTheRangeIsAtMostHalfAStep() {
        Random r = new Random(11);
        QuantSpec[] specs = {QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC), QuantSpec.of(QuantScheme.INT8_SYMMETRIC),
            QuantSpec.of(QuantScheme.INT8_ASYMMETRIC, 3)};
        for (int t = 0; t < 30; t++) {
            QuantSpec spec = specs[t % specs.length];
            QuantParams p = QuantParams.onnxRuntime((float) -r.nextDouble(), (float) r.nextDouble() * 4, spec);
            float[] x = Distributions.uniform(2000, t, p.clipMin(), p.clipMax());
            ErrorMetrics m = ExactErrorMetrics.evaluate(x, p);
            assertEquals(0.0, m.fractionClipped());
            assertEquals(0.0, m.clippingMse());
            double half = p.scale() / 2.0 * (1 + 1e-6);
            assertTrue(m.mse() <= half * half, () -> m + " for " + p);
        }
    }

    @Test
    void noSamplesGiveTheEmptyMetricsAndNanIsRejected() {
        assertEquals(ErrorMetrics.EMPTY, ExactErrorMetrics.evaluate(new float[0], -1, 1,
                QuantSpec.activationsDefault()));
        assertThrows(IllegalArgumentException.class, () -> ExactErrorMetrics.evaluate(new float[] {Float.NaN}, -1, 1,
                QuantSpec.activationsDefault()));
    }

    @Test
    void zeroSignalIsLossless() {
        ErrorMetrics m = ExactErrorMetrics.evaluate(new float[10], 0, 0, QuantSpec.activationsDefault());
        assertEquals(0.0, m.mse());
        assertEquals(ErrorMetrics.SQNR_CAP_DB, m.sqnrDb());
        assertEquals(1.0, m.cosine());
    }
}
