package org.quantlens.app.histogram;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.DefaultIntervalXYDataset;

/**
 * The JFreeChart side of the histogram view: one bar per bin, two clip markers and the shaded clipped regions
 * outside them. Log-y uses a {@link LogAxis} with the bars' base at 0.5 and empty bins as NaN (a log axis cannot
 * draw 0). Knows nothing of JavaFX; the view moves the markers.
 */
public final class HistogramChart {
    private static final double LOG_BASE = 0.5;
    /** Room left and right of the data so markers at min and max stay clear of the plot's edges. */
    private static final double MARGIN = 0.03;
    private static final Color BAR = new Color(0x3b82c4);
    private static final Color MARKER = new Color(0xd9480f);
    private static final Color SHADE = new Color(0xd9480f);

    private final XYPlot plot;
    private final JFreeChart chart;
    private final XYBarRenderer renderer = new XYBarRenderer(0.0);
    private final ValueMarker minMarker = marker();
    private final ValueMarker maxMarker = marker();
    private final IntervalMarker belowShade = shade();
    private final IntervalMarker aboveShade = shade();
    private TensorHistogram histogram;
    private boolean logY;

    public HistogramChart() {
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setSeriesPaint(0, BAR);
        NumberAxis x = new NumberAxis("value");
        x.setAutoRangeIncludesZero(false);
        plot = new XYPlot(new DefaultIntervalXYDataset(), x, linearAxis(), renderer);
        plot.setDomainPannable(true);
        plot.addDomainMarker(belowShade, Layer.BACKGROUND);
        plot.addDomainMarker(aboveShade, Layer.BACKGROUND);
        plot.addDomainMarker(minMarker, Layer.FOREGROUND);
        plot.addDomainMarker(maxMarker, Layer.FOREGROUND);
        chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.PLAIN, 12), plot, false);
        setDark(false);
    }

    public JFreeChart chart() {
        return chart;
    }

    public XYPlot plot() {
        return plot;
    }

    public ValueMarker minMarker() {
        return minMarker;
    }

    public ValueMarker maxMarker() {
        return maxMarker;
    }

    /** Shows {@code h} (null clears the plot) on a linear or log count axis. */
    public void setHistogram(TensorHistogram h, boolean log) {
        this.histogram = h;
        this.logY = log;
        plot.setRangeAxis(log ? logAxis() : linearAxis());
        renderer.setBase(log ? LOG_BASE : 0.0);
        DefaultIntervalXYDataset data = new DefaultIntervalXYDataset();
        if (h != null) {
            data.addSeries("counts", bars(h, log));
            double pad = MARGIN * (h.edge(h.bins()) - h.edge(0));
            plot.getDomainAxis().setRange(h.edge(0) - pad, h.edge(h.bins()) + pad);
        }
        plot.setDataset(data);
        updateShades();
    }

    public void setLogY(boolean log) {
        if (log != logY) {
            setHistogram(histogram, log);
        }
    }

    /** Moves the clip markers and the shading. */
    public void setClip(double lo, double hi) {
        minMarker.setValue(lo);
        maxMarker.setValue(hi);
        updateShades();
    }

    /** Chart colours for AtlantaFX's light or dark theme. */
    public void setDark(boolean dark) {
        Color bg = dark ? new Color(0x0d1117) : Color.WHITE;
        Color fg = dark ? new Color(0xc9d1d9) : new Color(0x24292f);
        Color grid = dark ? new Color(0x30363d) : new Color(0xd0d7de);
        chart.setBackgroundPaint(bg);
        plot.setBackgroundPaint(bg);
        plot.setDomainGridlinePaint(grid);
        plot.setRangeGridlinePaint(grid);
        plot.setOutlinePaint(grid);
        for (ValueAxis a : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            a.setLabelPaint(fg);
            a.setTickLabelPaint(fg);
            a.setAxisLinePaint(grid);
            a.setTickMarkPaint(grid);
        }
    }

    private void updateShades() {
        if (histogram == null) {
            belowShade.setStartValue(0);
            belowShade.setEndValue(0);
            aboveShade.setStartValue(0);
            aboveShade.setEndValue(0);
            return;
        }
        double left = Math.min(histogram.edge(0), minMarker.getValue()) - histogram.binWidth() * histogram.bins();
        double right = Math.max(histogram.edge(histogram.bins()), maxMarker.getValue())
                + histogram.binWidth() * histogram.bins();
        belowShade.setStartValue(left);
        belowShade.setEndValue(minMarker.getValue());
        aboveShade.setStartValue(maxMarker.getValue());
        aboveShade.setEndValue(right);
    }

    private static double[][] bars(TensorHistogram h, boolean log) {
        int n = h.bins();
        double[][] s = new double[6][n];
        for (int i = 0; i < n; i++) {
            double c = h.counts()[i];
            s[1][i] = h.edge(i);
            s[2][i] = h.edge(i + 1);
            s[0][i] = 0.5 * (s[1][i] + s[2][i]);
            double y = log && c == 0 ? Double.NaN : c;
            s[3][i] = y;
            s[4][i] = y;
            s[5][i] = y;
        }
        return s;
    }

    private NumberAxis linearAxis() {
        NumberAxis y = new NumberAxis("count");
        copyColours(y);
        return y;
    }

    private LogAxis logAxis() {
        LogAxis y = new LogAxis("count (log)");
        y.setSmallestValue(LOG_BASE);
        y.setBase(10);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        copyColours(y);
        return y;
    }

    private void copyColours(ValueAxis a) {
        if (plot != null) {
            ValueAxis old = plot.getRangeAxis();
            a.setLabelPaint(old.getLabelPaint());
            a.setTickLabelPaint(old.getTickLabelPaint());
            a.setAxisLinePaint(old.getAxisLinePaint());
            a.setTickMarkPaint(old.getTickMarkPaint());
        }
    }

    private static ValueMarker marker() {
        ValueMarker m = new ValueMarker(0, MARKER, new BasicStroke(2f));
        return m;
    }

    private static IntervalMarker shade() {
        IntervalMarker m = new IntervalMarker(0, 0);
        m.setPaint(SHADE);
        m.setAlpha(0.15f);
        return m;
    }
}
