package org.quantlens.app.histogram;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The small chart under the histogram: the KL divergence (left axis) and the mse (right axis) against the
 * candidate threshold, as the last searches of the shown tensor left them, each with its minimum marked by a
 * dashed line. Undefined (+Inf) points are left out. Shares the histogram's domain range and axis spaces
 * ({@link HistogramChart#alignAxes}) so a threshold sits right under the same value of the histogram.
 */
public final class SearchCurveChart {
    private static final Color KL = new Color(0x8250df);
    private static final Color MSE = new Color(0x1a7f37);

    private final XYPlot plot;
    private final JFreeChart chart;
    private final ValueMarker klMin = minMarker(KL);
    private final ValueMarker mseMin = minMarker(MSE);
    private SearchCurve kl;
    private SearchCurve mse;

    public SearchCurveChart() {
        NumberAxis x = new NumberAxis(null);
        x.setAutoRangeIncludesZero(false);
        NumberAxis yKl = new NumberAxis("KL");
        NumberAxis yMse = new NumberAxis("MSE");
        for (NumberAxis a : new NumberAxis[] {yKl, yMse}) {
            a.setAutoRangeIncludesZero(false);
            a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        }
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        plot = new XYPlot(new XYSeriesCollection(), x, yKl, line(KL));
        plot.setRangeAxis(1, yMse);
        plot.setDataset(1, new XYSeriesCollection());
        plot.setRenderer(1, line(MSE));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.addDomainMarker(klMin);
        plot.addDomainMarker(mseMin);
        chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.PLAIN, 11), plot, false);
        HistogramChart.alignAxes(plot);
        setDark(false);
    }

    public JFreeChart chart() {
        return chart;
    }

    public XYPlot plot() {
        return plot;
    }

    /** Shows these curves (either may be null). */
    public void setCurves(SearchCurve klCurve, SearchCurve mseCurve) {
        chart.setNotify(false);
        try {
            show(klCurve, mseCurve);
        } finally {
            chart.setNotify(true);
        }
    }

    private void show(SearchCurve klCurve, SearchCurve mseCurve) {
        this.kl = klCurve;
        this.mse = mseCurve;
        plot.setDataset(0, dataset(klCurve, "KL"));
        plot.getRangeAxis(0).setLabel(klCurve == null ? "KL" : "KL (" + klCurve.method().cliName() + ")");
        plot.setDataset(1, dataset(mseCurve, "MSE"));
        place(klMin, klCurve);
        place(mseMin, mseCurve);
        plot.getRangeAxis(0).setVisible(klCurve != null);
        plot.getRangeAxis(1).setVisible(mseCurve != null);
    }

    /** Lines the threshold axis up with the histogram's. */
    public void setDomain(double lo, double hi) {
        if (hi > lo) {
            plot.getDomainAxis().setRange(lo, hi);
        }
    }

    /** True when there is any curve to show. */
    public boolean hasCurves() {
        return kl != null || mse != null;
    }

    public ValueMarker klMinimumMarker() {
        return klMin;
    }

    /** Colours for AtlantaFX's light or dark theme. */
    public void setDark(boolean dark) {
        Color bg = dark ? new Color(0x0d1117) : Color.WHITE;
        Color fg = dark ? new Color(0xc9d1d9) : new Color(0x24292f);
        Color grid = dark ? new Color(0x30363d) : new Color(0xd0d7de);
        chart.setBackgroundPaint(bg);
        plot.setBackgroundPaint(bg);
        plot.setDomainGridlinePaint(grid);
        plot.setRangeGridlinePaint(grid);
        plot.setOutlinePaint(grid);
        for (ValueAxis a : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis(0), plot.getRangeAxis(1)}) {
            a.setLabelPaint(fg);
            a.setTickLabelPaint(fg);
            a.setAxisLinePaint(grid);
            a.setTickMarkPaint(grid);
        }
    }

    private static XYSeriesCollection dataset(SearchCurve c, String name) {
        XYSeriesCollection d = new XYSeriesCollection();
        if (c != null) {
            XYSeries s = new XYSeries(name, true, true);
            for (int i = 0; i < c.thresholds().length; i++) {
                double v = c.values()[i];
                if (Double.isFinite(v) && Double.isFinite(c.thresholds()[i])) {
                    s.addOrUpdate(c.thresholds()[i], v);
                }
            }
            d.addSeries(s);
        }
        return d;
    }

    private static void place(ValueMarker m, SearchCurve c) {
        m.setValue(c == null ? 0 : c.bestThreshold());
        m.setAlpha(c == null ? 0f : 1f);
    }

    private static XYLineAndShapeRenderer line(Color c) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, c);
        r.setSeriesStroke(0, new BasicStroke(1.5f));
        return r;
    }

    private static ValueMarker minMarker(Color c) {
        ValueMarker m = new ValueMarker(0, c, new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f));
        m.setAlpha(0f);
        return m;
    }
}
