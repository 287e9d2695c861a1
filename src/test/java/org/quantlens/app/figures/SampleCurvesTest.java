package org.quantlens.app.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;

class SampleCurvesTest {
    @Test
    void samplesOnOneRangeKeepTheirShareOfValuesPerBin() {
        // two samples on [0, 128) with 2048 bins; the display grid has 128 bins of width 1
        Histogram a = Histogram.signed(2048, 0, 128);
        a.add(new float[] {0.5f, 0.6f, 10.5f, 127.5f});
        Histogram b = Histogram.signed(2048, 0, 128);
        b.add(new float[] {64.2f});
        List<Curve> curves = SampleCurves.curves(List.of(a, b));
        assertEquals(2, curves.size());
        double[] ya = curves.get(0).y();
        assertEquals(0.5, ya[0], 1e-12);
        assertEquals(0.25, ya[10], 1e-12);
        assertEquals(0.25, ya[127], 1e-12);
        assertEquals(1.0, curves.get(1).y()[64], 1e-12);
        assertEquals("sample 2", curves.get(1).name());
    }

    @Test
    void histogramCurveCountsEndValuesIntoTheEndBins() {
        Curve c = Curve.histogram("v", new float[] {0f, 1f, 2f, 4f, Float.NaN}, 0, 4, 4);
        // bins [0,1) [1,2) [2,3) [3,4]; 4 is the top edge and belongs to the last bin; NaN is skipped
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, c.y(), 1e-12);
        assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5}, c.x(), 1e-12);
    }
}
