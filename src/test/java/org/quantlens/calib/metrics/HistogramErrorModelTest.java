package org.quantlens.calib.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

class HistogramErrorModelTest {
    private static final int N = 100_000;
    private static final int BINS = 2048;
    private static final QuantSpec INT8_SYM = QuantSpec.of(QuantScheme.INT8_SYMMETRIC);
    private static final QuantSpec UINT8 = QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC);
    private static final QuantSpec INT8_ASYM = QuantSpec.of(QuantScheme.INT8_ASYMMETRIC);
    private static final QuantSpec INT4_SYM = QuantSpec.of(QuantScheme.INT8_SYMMETRIC, 4);

    /**
     * The stated bound: with 2048 bins over the data range (bins narrower than a grid step), the histogram
     * model is within 5% of the exact MSE (and of each of its two parts when that part is at least 2% of the
     * total), within 1e-3 on the clipped fraction and 0.25 dB on SQNR; cosine within 1e-4 or, when the step is
     * as coarse as the density's own scale (4 bits on Laplace: E[Q e] = 0 no longer holds), within 10% of
     * 1 - cosine.
     */
    private static void assertAgrees(float[] samples, double lo, double hi, QuantSpec spec) {
        HistogramErrorModel model = HistogramErrorModel.fromSamples(samples, BINS);
        ErrorMetrics approx = model.evaluate(lo, hi, spec);
        ErrorMetrics exact = ExactErrorMetrics.evaluate(samples, lo, hi, spec);
        String what = spec.scheme() + "/" + spec.bits() + " [" + lo + ", " + hi + "]: model " + approx
                + " exact " + exact;
        assertEquals(exact.mse(), approx.mse(), 0.05 * exact.mse(), what);
        if (exact.roundingMse() > 0.02 * exact.mse()) {
            assertEquals(exact.roundingMse(), approx.roundingMse(), 0.05 * exact.roundingMse(), what);
        }
        if (exact.clippingMse() > 0.02 * exact.mse()) {
            assertEquals(exact.clippingMse(), approx.clippingMse(), 0.05 * exact.clippingMse(), what);
        }
        assertEquals(exact.fractionClipped(), approx.fractionClipped(), 1e-3, what);
        assertEquals(exact.sqnrDb(), approx.sqnrDb(), 0.25, what);
        assertEquals(exact.cosine(), approx.cosine(), Math.max(1e-4, 0.1 * (1 - exact.cosine())), what);
        assertEquals(exact.kl(), approx.kl(), 1e-12, what); // same histogram, same definition
    }

    private static void assertAgreesAcrossThresholds(float[] x) {
        float maxAbs = Distributions.maxAbs(x);
        float min = Distributions.min(x);
        float max = Distributions.max(x);
        for (double f : new double[] {0.25, 0.5, 0.75, 1.0}) {
            assertAgrees(x, -f * maxAbs, f * maxAbs, INT8_SYM);
            assertAgrees(x, min, f * max, UINT8);
            assertAgrees(x, f * min, max, INT8_ASYM);
        }
        assertAgrees(x, -0.5 * maxAbs, 0.5 * maxAbs, INT4_SYM);
    }

    @Test
    void agreesWithExactOnGaussianSamples() {
        assertAgreesAcrossThresholds(Distributions.gaussian(N, 1));
    }

    @Test
    void agreesWithExactOnLaplaceSamples() {
        assertAgreesAcrossThresholds(Distributions.laplace(N, 2));
    }

    @Test
    void agreesWithExactOnUniformSamples() {
        assertAgreesAcrossThresholds(Distributions.uniform(N, 3, -1.5, 2.5));
    }

    @Test
    void exactZerosKeepReluOutputsInAgreement() {
        float[] x = Distributions.relu(N, 4);
        float max = Distributions.max(x);
        for (double f : new double[] {0.3, 0.6, 1.0}) {
            assertAgrees(x, 0, f * max, UINT8);
        }
    }

    @Test
    void uniformBinMatchesHandComputedIntegrals() {
        // 12 values uniform on [0, 1); grid scale 0.5, codes [-1, 1]: grid {-0.5, 0, 0.5}, saturation above 0.75.
        // rounding: the 9 values in [0, 0.75] * 0.25/12 = 3/16 ; clipping: 12 * int_0.75^1 (x - 0.5)^2 dx = 7/16
        // mse = (10/16) / 12 = 5/96 ; E[x^2] = 1/3 ; E[x e] = int_0.75^1 x (x - 0.5) dx + 3/16/12 = 8/96 + 1.5/96
        // E[Q^2] = 32/96 - 19/96 + 5/96 = 18/96 ; E[x Q] = 32/96 - 9.5/96 = 22.5/96 (both also exact here:
        // Q = 0 on [0, 0.25), 0.5 above)
        HistogramErrorModel model = new HistogramErrorModel(new double[] {12}, 0.0, 1.0);
        MutableErrorMetrics m = new MutableErrorMetrics();
        model.evaluateInto(0.5, 0, -1, 1, m);
        assertEquals(5.0 / 96, m.mse(), 1e-15);
        assertEquals(1.5 / 96, m.roundingMse(), 1e-15);
        assertEquals(3.5 / 96, m.clippingMse(), 1e-15);
        assertEquals(0.25, m.fractionClipped(), 1e-15);
        assertEquals(10 * Math.log10(6.4), m.sqnrDb(), 1e-12);
        assertEquals((22.5 / 96) / Math.sqrt((1.0 / 3) * (18.0 / 96)), m.cosine(), 1e-12);
        assertEquals(0.0, m.kl(), 1e-15); // one bin, one cell
        assertEquals(1.0 / 3, model.signalPower(), 1e-15);
    }

    @Test
    void klSpreadsEachCellOverItsNonEmptyBins() {
        HistogramErrorModel model = new HistogramErrorModel(new double[] {1, 3, 0}, 0.0, 1.0);
        MutableErrorMetrics m = new MutableErrorMetrics();
        // one coarse cell holds bins 0 and 1: q = (1/2, 1/2, 0); KL = 1/4 ln(1/2) + 3/4 ln(3/2)
        model.evaluateInto(10.0, 0, 0, 1, m);
        assertEquals(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), m.kl(), 1e-12);
        // a fine grid puts every bin in its own cell: no shape lost
        model.evaluateInto(1.0, 0, 0, 255, m);
        assertEquals(0.0, m.kl(), 1e-15);
    }

    @Test
    void klMatchesTheDefinitionBinByBin() {
        java.util.Random r = new java.util.Random(8);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(300);
            double[] counts = new double[n];
            for (int i = 0; i < n; i++) {
                counts[i] = r.nextInt(4) == 0 ? 0 : r.nextInt(1000);
            }
            double e0 = -r.nextDouble() * n / 2;
            HistogramErrorModel model = new HistogramErrorModel(counts, e0, 1.0);
            double scale = Math.exp(r.nextGaussian() * 1.5); // cells narrower and wider than bins
            int qmax = 1 + r.nextInt(255);
            int zp = r.nextInt(qmax + 1);
            MutableErrorMetrics m = new MutableErrorMetrics();
            model.evaluateInto(scale, zp, 0, qmax, m);
            assertEquals(bruteForceKl(counts, e0, scale, zp, qmax), m.kl(), 1e-9,
                    "trial " + trial + " scale " + scale);
        }
    }

    /** The class-doc definition, literally: cell of each midpoint, q uniform on the cell's non-empty bins. */
    private static double bruteForceKl(double[] counts, double e0, double scale, int zp, int qmax) {
        double a = -scale * zp;
        long[] cell = new long[counts.length];
        java.util.Map<Long, double[]> cells = new java.util.HashMap<>(); // cell -> {count, non-empty bins}
        double total = 0;
        for (int i = 0; i < counts.length; i++) {
            double mid = e0 + i + 0.5;
            cell[i] = (long) Math.max(0, Math.min(qmax, Math.floor((mid - a) / scale + 0.5)));
            double[] acc = cells.computeIfAbsent(cell[i], k -> new double[2]);
            acc[0] += counts[i];
            acc[1] += counts[i] > 0 ? 1 : 0;
            total += counts[i];
        }
        if (total == 0) {
            return 0;
        }
        double kl = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                double[] acc = cells.get(cell[i]);
                double p = counts[i] / total;
                double q = acc[0] / acc[1] / total;
                kl += p * Math.log(p / q);
            }
        }
        return kl;
    }

    @Test
    void degenerateInputsGiveFiniteNumbers() {
        HistogramErrorModel[] models = {
            new HistogramErrorModel(new double[8], -1.0, 0.25),                  // no values at all
            HistogramErrorModel.fromSamples(new float[1000], BINS),              // all zeros
            HistogramErrorModel.fromSamples(new float[] {3f, 3f, 3f}, BINS),     // constant
            HistogramErrorModel.fromSamples(new float[] {-2.5f}, BINS),          // one element
            new HistogramErrorModel(new double[] {5}, 1e30, 1e-30),              // far from zero
        };
        double[][] ranges = {{0, 0}, {2.5, 2.5}, {-1, 1}, {-3, 0}, {1e-30, 1e-30}, {-1e30, 1e30}};
        QuantSpec[] specs = {INT8_SYM, UINT8, INT8_ASYM, INT4_SYM, UINT8.withPowerOfTwoScale(true)};
        for (HistogramErrorModel model : models) {
            for (double[] r : ranges) {
                for (QuantSpec spec : specs) {
                    ErrorMetrics m = model.evaluate(r[0], r[1], spec);
                    for (double v : new double[] {m.mse(), m.sqnrDb(), m.cosine(), m.kl(), m.fractionClipped(),
                        m.roundingMse(), m.clippingMse()}) {
                        assertTrue(Double.isFinite(v), () -> "non-finite metric " + m);
                    }
                }
            }
        }
    }

    @Test
    void zeroSignalHasNoErrorSqnrAtTheCapAndCosineOne() {
        ErrorMetrics m = HistogramErrorModel.fromSamples(new float[100], 16).evaluate(-1, 1, INT8_SYM);
        assertEquals(0.0, m.mse());
        assertEquals(ErrorMetrics.SQNR_CAP_DB, m.sqnrDb());
        assertEquals(1.0, m.cosine());
        assertEquals(ErrorMetrics.EMPTY, new HistogramErrorModel(new double[4], 0, 1).evaluate(0, 1, UINT8));
    }

    @Test
    void badHistogramsAndRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new HistogramErrorModel(new double[0], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new HistogramErrorModel(new double[] {-1}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new HistogramErrorModel(new double[] {1}, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new HistogramErrorModel(new double[] {Double.NaN}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new HistogramErrorModel(new double[] {1}, -0.5, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new HistogramErrorModel(new double[] {1}, 1, 1, 1));
        HistogramErrorModel ok = new HistogramErrorModel(new double[] {1}, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> ok.evaluate(1, 0, UINT8));
        assertThrows(IllegalArgumentException.class, () -> ok.evaluate(Double.NaN, 0, UINT8));
        assertThrows(IllegalArgumentException.class, () -> HistogramErrorModel.fromSamples(new float[] {Float.NaN}, 4));
    }

    @Test
    void evaluateIntoAllocatesNothing() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HistogramErrorModel model = HistogramErrorModel.fromSamples(Distributions.gaussian(20_000, 5), BINS);
        MutableErrorMetrics out = new MutableErrorMetrics();
        double sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm up
            model.evaluateInto(-1 - (i % 100) * 0.02, 1 + (i % 100) * 0.02, INT8_SYM, out);
            sink += out.mse();
        }
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            model.evaluateInto(-1 - (i % 100) * 0.02, 1 + (i % 100) * 0.02, INT8_SYM, out);
            sink += out.mse();
        }
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertTrue(sink > 0);
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes over 100000 calls");
    }
}
