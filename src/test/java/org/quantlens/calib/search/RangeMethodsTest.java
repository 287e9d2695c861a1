package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;
import org.quantlens.tensor.InvalidInputException;

class RangeMethodsTest {

    private static SearchResult run(RangeMethod m, Histogram h) {
        MovingAverageMinMax ema = new MovingAverageMinMax();
        if (!h.isEmpty()) {
            ema.update(h.min(), h.max());
        }
        return RangeMethods.compute(m, h, ema, RangeOptions.DEFAULT);
    }

    private static void assertFinite(Range r) {
        assertTrue(Double.isFinite(r.lo()) && Double.isFinite(r.hi()) && r.lo() <= r.hi(), r.toString());
    }

    @ParameterizedTest
    @EnumSource(RangeMethod.class)
    void anAllZeroHistogramGivesAFiniteRangeAndAWarning(RangeMethod m) {
        for (Supplier<Histogram> make : new Supplier[] {() -> Histogram.signed(2048), () -> Histogram.absolute(2048)}) {
            Histogram h = make.get();
            h.add(new float[1000]);
            SearchResult r = run(m, h);
            assertFinite(r.range());
            assertTrue(r.range().lo() <= 0 && r.range().hi() >= 0);
            assertFalse(r.warnings().isEmpty(), m + " on all zeros should warn");
        }
    }

    @ParameterizedTest
    @EnumSource(RangeMethod.class)
    void oneElementAndConstantDataGiveFiniteRangesWithWarnings(RangeMethod m) {
        Histogram one = Histogram.signed(2048);
        one.add(new float[] {3.25f});
        Histogram constant = Histogram.signed(2048);
        constant.add(new float[] {-1.5f, -1.5f, -1.5f, -1.5f});
        for (Histogram h : new Histogram[] {one, constant}) {
            SearchResult r = run(m, h);
            assertFinite(r.range());
            assertFalse(r.warnings().isEmpty(), m + " on " + h + " should warn");
        }
    }

    @ParameterizedTest
    @EnumSource(RangeMethod.class)
    void anEmptyHistogramGivesZeroRangeWithAWarning(RangeMethod m) {
        Histogram h = Histogram.signed(2048);
        h.add(new float[] {Float.NaN});
        SearchResult r = RangeMethods.compute(m, h, new MovingAverageMinMax(), RangeOptions.DEFAULT);
        assertEquals(new Range(0, 0), r.range());
        assertFalse(r.warnings().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(RangeMethod.class)
    void gaussianDataGivesARangeInsideTheObservedOneForEveryMethod(RangeMethod m) {
        Random rnd = new Random(11);
        float[] x = new float[100_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Histogram h = Histogram.signed(2048);
        h.add(x);
        Range r = run(m, h).range();
        assertFinite(r);
        double amax = Math.max(-h.min(), h.max());
        assertTrue(r.lo() >= -amax - 1e-3 && r.hi() <= amax + 1e-3, m + ": " + r);
        assertTrue(r.hi() > 1.0, m + " keeps at least one sigma: " + r);
    }

    @ParameterizedTest
    @EnumSource(RangeMethod.class)
    void twoWorkersGiveTheSingleThreadedResult(RangeMethod m) {
        Random rnd = new Random(12);
        float[] x = new float[100_000];
        for (int i = 0; i < x.length; i++) {
            double g = rnd.nextGaussian();
            x[i] = (float) (i % 61 == 0 ? 7 * g : g);
        }
        Histogram h = Histogram.signed(2048);
        h.add(x);
        MovingAverageMinMax ema = new MovingAverageMinMax();
        ema.update(x);
        SearchResult one = RangeMethods.compute(m, h, ema, RangeOptions.DEFAULT);
        SearchResult two = RangeMethods.compute(m, h, ema, RangeOptions.DEFAULT,
                org.quantlens.exec.ExecContext.withThreads(2));
        assertEquals(one.range(), two.range(), m.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.values(), two.values(), m.toString());
    }

    @Test
    void cliNamesRoundTripAndUnknownNamesListTheValidOnes() {
        for (RangeMethod m : RangeMethod.values()) {
            assertEquals(m, RangeMethod.fromCli(m.cliName()));
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RangeMethod.fromCli("kl"));
        assertTrue(e.getMessage().contains("kl-onnxruntime"));
        assertEquals("minmax, ema, percentile, kl-tensorrt, kl-onnxruntime, kl-ncnn, mse, aciq",
                String.join(", ", java.util.Arrays.stream(RangeMethod.values()).map(RangeMethod::cliName).toList()));
    }

    @Test
    void emaWithoutBatchStatisticsIsRefused() {
        Histogram h = Histogram.signed(8);
        h.add(new float[] {1f, 2f});
        assertThrows(IllegalArgumentException.class, () -> RangeMethods.compute(RangeMethod.EMA, h, RangeOptions.DEFAULT));
    }

    @Test
    void klOnnxRuntimeWithEqualBinCountsReturnsTheSingleCandidateWithAWarning() {
        Histogram h = Histogram.signed(128);
        h.add(new float[] {-1f, 0.5f, 2f});
        SearchResult r = KlOnnxRuntime.search(h, 128);
        assertEquals(1, r.values().length);
        assertEquals(-1.0, r.range().lo());
        assertEquals(2.0, r.range().hi());
        assertFalse(r.warnings().isEmpty());
    }
}
