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
    private final QuantGridAnnotation grid = new QuantGridAnnotation();
    private final java.util.List<ValueMarker> methodMarkers = new java.util.ArrayList<>();
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
        plot.addAnnotation(grid, false);
        chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.PLAIN, 12), plot, false);
        alignAxes(plot);
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
        batch(() -> showHistogram(h, log));
    }

    /**
     * Runs {@code changes} with the chart's change events held back, then redraws once: the canvas redraws
     * synchronously on every event, and a histogram swap or a marker move fires several.
     */
    private void batch(Runnable changes) {
        boolean was = chart.isNotify();
        chart.setNotify(false);
        try {
            changes.run();
        } finally {
            chart.setNotify(was);
        }
    }

    private void showHistogram(TensorHistogram h, boolean log) {
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
        batch(() -> {
            minMarker.setValue(lo);
            maxMarker.setValue(hi);
            updateShades();
        });
    }

    /**
     * Fixed room for the axes left and right of the data area, the same in the histogram and in the search-curve
     * chart under it, so both data areas span the same pixels and a threshold lines up with its value above.
     */
    static void alignAxes(XYPlot p) {
        org.jfree.chart.axis.AxisSpace s = new org.jfree.chart.axis.AxisSpace();
        s.setLeft(62);
        s.setRight(52);
        p.setFixedRangeAxisSpace(s);
    }

    /** The integer grid of the current clip range (drawn when zoomed in far enough). */
    public void setGrid(double scale, int zeroPoint, int qmin, int qmax) {
        grid.setGrid(scale, zeroPoint, qmin, qmax);
    }

    /** Levels the grid drew at the last repaint (0 when zoomed out too far). */
    public int gridLevelsDrawn() {
        return grid.drawnLevels();
    }

    /**
     * Thin dashed markers where each method would clip: its upper end, and its lower end when that is below 0
     * (a lower end of 0 is where every ReLU output starts and would only pile lines on the axis).
     */
    public void setMethodRanges(java.util.List<MethodRange> ranges) {
        batch(() -> placeMethodMarkers(ranges));
    }

    private void placeMethodMarkers(java.util.List<MethodRange> ranges) {
        methodMarkers.forEach(m -> plot.removeDomainMarker(m, Layer.FOREGROUND));
        methodMarkers.clear();
        for (MethodRange r : ranges) {
            Color c = methodColour(r.method());
            methodMarkers.add(thin(r.hi(), c));
            if (r.lo() < 0) {
                methodMarkers.add(thin(r.lo(), c));
            }
        }
        methodMarkers.forEach(m -> plot.addDomainMarker(m, Layer.FOREGROUND));
    }

    /** The markers {@link #setMethodRanges} placed, for tests. */
    public java.util.List<ValueMarker> methodMarkers() {
        return java.util.List.copyOf(methodMarkers);
    }

    /** One colour per method, the same in the chart and in the legend beside it. */
    public static Color methodColour(org.quantlens.calib.search.RangeMethod m) {
        return switch (m) {
            case MINMAX -> new Color(0x57606a);
            case EMA -> new Color(0x9a6700);
            case PERCENTILE -> new Color(0x0969da);
            case KL_TENSORRT -> new Color(0x8250df);
            case KL_ONNXRUNTIME -> new Color(0xbf3989);
            case KL_NCNN -> new Color(0xcf222e);
            case MSE -> new Color(0x1a7f37);
            case ACIQ -> new Color(0x1b7c83);
        };
    }

    private static ValueMarker thin(double v, Color c) {
        return new ValueMarker(v, c, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                new float[] {3f, 3f}, 0f));
    }

    /** Chart colours for AtlantaFX's light or dark theme. */
    public void setDark(boolean dark) {
        Color bg = dark ? new Color(0x0d1117) : Color.WHITE;
        Color fg = dark ? new Color(0xc9d1d9) : new Color(0x24292f);
        Color grid = dark ? new Color(0x30363d) : new Color(0xd0d7de);
        chart.setBackgroundPaint(bg);
        plot.setBackgroundPaint(bg);
        this.grid.setPaint(fg);
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
