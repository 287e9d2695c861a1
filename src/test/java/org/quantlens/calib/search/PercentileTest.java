package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;

class PercentileTest {

    @Test
    void symmetricModeTakesTheLeftEdgeOfTheBinWhereTheCdfCrosses() {
        // cdf = [0.90, 0.99, 1.00]; 95% is first reached in bin 1, whose left edge is 1
        Histogram h = Histogram.withEdges(Histogram.Form.ABSOLUTE, new long[] {90, 9, 1}, new double[] {0, 1, 2, 3},
                -2.5f, 2.9f);
        assertEquals(new Range(-1, 1), Percentile.search(h, 95, true).range());
    }

    @Test
    void asymmetricModeCutsHalfTheRestFromEachSideAndClampsToTheObservedRange() {
        // cut = 0.5% per side; cdf = [0.01, 0.99, 1.0] -> left edge of bin 0 (-3, clamped to min -2), right: bin 2 -> 1
        Histogram h = Histogram.withEdges(Histogram.Form.SIGNED, new long[] {1, 98, 1}, new double[] {-3, -1, 1, 3},
                -2f, 2.5f);
        assertEquals(new Range(-2, 1), Percentile.search(h, 99, false).range());
    }

    @Test
    void theHundredthPercentileIsTheLeftEdgeOfTheLastNonEmptyBinAndLoIsClampedToMin() {
        Histogram h = Histogram.withEdges(Histogram.Form.ABSOLUTE, new long[] {5, 5}, new double[] {0, 1, 2}, 0f, 1.5f);
        assertEquals(new Range(0, 1), Percentile.search(h, 100, true).range());
    }
}
