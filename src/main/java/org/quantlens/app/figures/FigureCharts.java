package org.quantlens.app.figures;

import java.awt.BasicStroke;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.YIntervalRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Builds the figures' JFreeCharts from their data (no JavaFX): overlaid curves on a linear or log y axis, and the
 * per-channel range plot (one vertical whisker from min to max per output channel). On a log axis a fraction of 0
 * cannot be drawn, so it is left out of the series (the curve ends where the data does, as in the TensorRT figure).
 */
public final class FigureCharts {
    /** The smallest fraction shown on a log axis. */
    static final double LOG_FLOOR = 1e-7;

    private FigureCharts() {
    }

    /** Curves overlaid with thin lines; a legend when there are at most {@code legendLimit} of them. */
    public static JFreeChart curves(String title, String xLabel, List<Curve> curves, boolean logY, int legendLimit,
                                    boolean dark) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve c : curves) {
            XYSeries s = new XYSeries(c.name(), false, true);
            for (int i = 0; i < c.x().length; i++) {
                if (!logY || c.y()[i] > 0) {
                    s.add(c.x()[i], c.y()[i]);
                }
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < curves.size(); i++) {
            r.setSeriesPaint(i, ChartStyle.series(i));
            r.setSeriesStroke(i, new BasicStroke(1.3f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, yAxis(logY), r);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
        if (!curves.isEmpty() && curves.size() <= legendLimit) {
            LegendTitle legend = new LegendTitle(plot);
            legend.setPosition(RectangleEdge.RIGHT);
            chart.addSubtitle(legend);
        }
        ChartStyle.apply(chart, dark);
        return chart;
    }

    private static ValueAxis yAxis(boolean logY) {
        if (logY) {
            LogAxis y = new LogAxis("fraction of values (log)");
            y.setSmallestValue(LOG_FLOOR);
            y.setBase(10);
            y.setNumberFormatOverride(new java.text.DecimalFormat("0.#E0"));
            return y;
        }
        NumberAxis y = new NumberAxis("fraction of values");
        y.setAutoRangeIncludesZero(true);
        return y;
    }

    /** One whisker per channel from its min to its max (a dot at the midpoint), channel index on x. */
    public static JFreeChart channelRanges(WeightFigures.ChannelRanges ranges, boolean dark) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        String title = "Per-channel weight ranges";
        if (ranges != null) {
            YIntervalSeries s = new YIntervalSeries(ranges.name());
            for (int c = 0; c < ranges.min().length; c++) {
                double lo = ranges.min()[c];
                double hi = ranges.max()[c];
                s.add(c, 0.5 * (lo + hi), lo, hi);
            }
            data.addSeries(s);
            title += ": " + ranges.name() + " (" + ranges.op() + ", " + ranges.min().length + " channel"
                    + (ranges.min().length == 1 ? "" : "s") + (ranges.axis() >= 0 ? " along axis " + ranges.axis() : "")
                    + ")";
        }
        YIntervalRenderer r = new YIntervalRenderer();
        r.setSeriesPaint(0, ChartStyle.series(0));
        r.setSeriesStroke(0, new BasicStroke(2f));
        NumberAxis x = new NumberAxis("output channel");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("weight value (min to max)");
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, x, y, r);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
        ChartStyle.apply(chart, dark);
        return chart;
    }
}
