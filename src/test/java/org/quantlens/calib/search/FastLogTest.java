package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastLogTest {

    @Test
    void agreesWithMathLogToAFewUlpsOfTheMagnitudeOverManyDecades() {
        Random r = new Random(7);
        double worst = 0;
        for (int k = 0; k < 1_000_000; k++) {
            double x = (0.5 + r.nextDouble()) * Math.pow(10, r.nextInt(40) - 20);
            double want = Math.log(x);
            worst = Math.max(worst, Math.abs(FastLog.log(x) - want) / Math.max(1, Math.abs(want)));
        }
        assertTrue(worst <= 4e-16, "worst scaled error " + worst);
    }

    @Test
    void integerCountsAndExactPowersOfTwo() {
        for (long c = 1; c <= 100_000; c++) {
            double want = Math.log(c);
            assertEquals(want, FastLog.log(c), 4e-16 * Math.max(1, want), "count " + c);
        }
        assertEquals(0.0, FastLog.log(1.0), 1e-18);
        assertEquals(10 * Math.log(2), FastLog.log(1024.0), 4e-15);
    }

    @Test
    void specialArgumentsBehaveLikeMathLog() {
        assertEquals(Double.NEGATIVE_INFINITY, FastLog.log(0.0));
        assertTrue(Double.isNaN(FastLog.log(-1.0)));
        assertTrue(Double.isNaN(FastLog.log(Double.NaN)));
        assertEquals(Double.POSITIVE_INFINITY, FastLog.log(Double.POSITIVE_INFINITY));
        assertEquals(Math.log(Double.MIN_VALUE), FastLog.log(Double.MIN_VALUE));
    }
}
