package org.quantlens.app.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.search.RangeMethod;

/** The chart draws the integer grid only when zoomed in, and a thin marker per method end. */
class HistogramChartTest {
    private static int draw(HistogramChart c) {
        BufferedImage img = new BufferedImage(800, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        c.chart().draw(g, new Rectangle2D.Double(0, 0, 800, 300));
        g.dispose();
        return c.gridLevelsDrawn();
    }

    private static HistogramChart uniformOnZeroToTwoFiftyFive() {
        float[] v = new float[10000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 255f * i / (v.length - 1);
        }
        HistogramChart c = new HistogramChart();
        c.setHistogram(TensorHistogram.of(v, 256), false);
        c.setClip(0, 255);
        c.setGrid(1.0, 0, 0, 255); // uint8 over [0, 255]: scale 1, zero point 0
        return c;
    }

    @Test
    void theIntegerGridIsLeftOutAtFullViewAndDrawnOneLinePerLevelWhenZoomedIn() {
        HistogramChart c = uniformOnZeroToTwoFiftyFive();
        assertEquals(0, draw(c), "256 levels over ~700 px are under 6 px apart: no grid");
        c.plot().getDomainAxis().setRange(10.5, 30.5); // levels 11..30 visible, ~35 px apart
        assertEquals(20, draw(c));
        c.plot().getDomainAxis().setRange(250.5, 300); // only up to qmax = 255
        assertEquals(5, draw(c));
    }

    @Test
    void eachMethodGetsAThinMarkerAtItsUpperEndAndAtANegativeLowerEnd() {
        HistogramChart c = uniformOnZeroToTwoFiftyFive();
        c.setMethodRanges(List.of(new MethodRange(RangeMethod.MINMAX, 0, 255, ""),
                new MethodRange(RangeMethod.ACIQ, -3, 200, "")));
        assertEquals(3, c.methodMarkers().size());
        assertTrue(c.methodMarkers().stream().anyMatch(m -> m.getValue() == -3));
        c.setMethodRanges(List.of());
        assertEquals(0, c.methodMarkers().size(), "old markers are removed");
    }
}
