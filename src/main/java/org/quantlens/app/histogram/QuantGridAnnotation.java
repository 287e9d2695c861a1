package org.quantlens.app.histogram;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;

/**
 * The integer grid: one thin vertical line at every representable value {@code scale (q - zeroPoint)},
 * {@code q in [qmin, qmax]}, inside the visible domain — drawn only when zoomed in far enough that neighbouring
 * levels lie at least {@value #MIN_SPACING_PX} pixels apart (at full view an 8-bit grid would just grey the plot).
 * Level {@code zeroPoint} (the value 0) is drawn a little stronger.
 */
final class QuantGridAnnotation extends AbstractXYAnnotation {
    static final double MIN_SPACING_PX = 6;

    private double scale = Double.NaN;
    private int zeroPoint;
    private int qmin;
    private int qmax;
    private Color paint = new Color(0x6e7781);
    private int drawnLevels;

    /** The grid to draw; a scale that is not positive and finite draws nothing. */
    void setGrid(double scale, int zeroPoint, int qmin, int qmax) {
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.qmin = qmin;
        this.qmax = qmax;
    }

    void setPaint(Color c) {
        paint = c;
    }

    /** How many levels the last repaint drew (0 when zoomed out too far); for tests. */
    int drawnLevels() {
        return drawnLevels;
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range,
                     int rendererIndex, PlotRenderingInfo info) {
        drawnLevels = 0;
        if (!(scale > 0) || Double.isInfinite(scale)) {
            return;
        }
        double lo = domain.getLowerBound();
        double hi = domain.getUpperBound();
        double pxPerLevel = area.getWidth() * scale / (hi - lo);
        if (!(pxPerLevel >= MIN_SPACING_PX)) {
            return;
        }
        long first = Math.max(qmin, (long) Math.ceil(lo / scale + zeroPoint));
        long last = Math.min(qmax, (long) Math.floor(hi / scale + zeroPoint));
        var edge = plot.getDomainAxisEdge();
        BasicStroke thin = new BasicStroke(0.6f);
        BasicStroke zero = new BasicStroke(1.2f);
        Color faint = new Color(paint.getRed(), paint.getGreen(), paint.getBlue(), 110);
        for (long q = first; q <= last; q++) {
            double x = domain.valueToJava2D(scale * (q - zeroPoint), area, edge);
            g2.setPaint(q == zeroPoint ? paint : faint);
            g2.setStroke(q == zeroPoint ? zero : thin);
            g2.draw(new Line2D.Double(x, area.getMinY(), x, area.getMaxY()));
            drawnLevels++;
        }
    }
}
