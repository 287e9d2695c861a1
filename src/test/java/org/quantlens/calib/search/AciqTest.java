package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;

class AciqTest {

    @Test
    void tablesHoldThePaperConstants() {
        assertEquals(2.83, Aciq.multiplier(Aciq.Prior.LAPLACE, 2, false));
        assertEquals(3.89, Aciq.multiplier(Aciq.Prior.LAPLACE, 3, false));
        assertEquals(5.03, Aciq.multiplier(Aciq.Prior.LAPLACE, 4, false));
        assertEquals(9.89, Aciq.multiplier(Aciq.Prior.LAPLACE, 8, false));
        assertEquals(3.92, Aciq.multiplier(Aciq.Prior.GAUSSIAN, 8, false));
    }

    @Test
    void laplaceDataWithScaleOneIsClippedNearTheTableValue() {
        Random r = new Random(7);
        float[] x = new float[400_000];
        for (int i = 0; i < x.length; i++) {
            double u = r.nextDouble() - 0.5;
            x[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u))); // Laplace(0, 1)
        }
        Histogram h = Histogram.signed(2048);
        h.add(x);
        Range range = Aciq.search(h, 4, Aciq.Prior.LAPLACE).range();
        assertEquals(5.03, range.hi(), 0.15);
        assertEquals(-5.03, range.lo(), 0.15);
    }

    @Test
    void gaussianDataUsesSigma() {
        Random r = new Random(8);
        float[] x = new float[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        Histogram h = Histogram.signed(2048);
        h.add(x);
        Range range = Aciq.search(h, 2, Aciq.Prior.GAUSSIAN).range();
        assertEquals(2 * 1.71, range.hi(), 0.05);
    }
}
