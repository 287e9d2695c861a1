package org.quantlens.calib.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

class ErrorCurveTest {
    private static final QuantSpec INT4_SYM = QuantSpec.of(QuantScheme.INT8_SYMMETRIC, 4);

    @Test
    void symmetricCurveSweepsPositiveAbsoluteEdgesAndMatchesSingleEvaluations() {
        HistogramErrorModel model = new HistogramErrorModel(new double[] {1, 2, 3, 4, 5, 6}, -2.0, 1.0);
        ErrorCurve curve = ErrorCurve.symmetric(model, QuantSpec.weightsDefault());
        // edges -2..4: |edges| > 0 distinct = 1, 2, 3, 4
        assertEquals(4, curve.size());
        for (int i = 0; i < curve.size(); i++) {
            double t = curve.threshold(i);
            assertEquals(i + 1.0, t);
            assertEquals(model.evaluate(-t, t, QuantSpec.weightsDefault()).mse(), curve.mseAt(i), 0.0);
        }
    }

    @Test
    void minimumOfTheModelCurveIsNearTheExactOptimumForGaussian4Bit() {
        float[] x = Distributions.gaussian(100_000, 9);
        HistogramErrorModel model = HistogramErrorModel.fromSamples(x, 2048);
        ErrorCurve curve = ErrorCurve.symmetric(model, INT4_SYM);
        double best = curve.threshold(curve.argMinMse());
        double exactAtBest = ExactErrorMetrics.evaluate(x, -best, best, INT4_SYM).mse();
        double exactMin = Double.POSITIVE_INFINITY;
        for (double t = 1.5; t <= 4.0; t += 0.01) {
            exactMin = Math.min(exactMin, ExactErrorMetrics.evaluate(x, -t, t, INT4_SYM).mse());
        }
        assertTrue(best > 2.0 && best < 3.2, "4-bit Gaussian clip at " + best + " sigma");
        assertTrue(exactAtBest <= exactMin * 1.02, "exact MSE at the model's optimum " + exactAtBest
                + " vs best exact " + exactMin);
    }

    @Test
    void upperThresholdCurveKeepsLoAndSweepsEdgesAboveZero() {
        HistogramErrorModel model = HistogramErrorModel.fromSamples(Distributions.relu(10_000, 3), 64);
        ErrorCurve curve = ErrorCurve.upperThreshold(model, 0.0, QuantSpec.activationsDefault());
        assertEquals(64, curve.size()); // edges 1..64 of a histogram starting at 0
        for (int i = 1; i < curve.size(); i++) {
            assertTrue(curve.threshold(i) > curve.threshold(i - 1));
        }
        int last = curve.size() - 1;
        assertEquals(model.evaluate(0.0, curve.threshold(last), QuantSpec.activationsDefault()).mse(),
                curve.mseAt(last), 0.0);
        assertTrue(curve.mseAt(0) > curve.mseAt(last), "clipping at the first edge must hurt more");
    }
}
