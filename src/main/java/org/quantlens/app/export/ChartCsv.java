package org.quantlens.app.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The plotted series of a chart as CSV (RFC 4180: comma separated, fields with a comma, quote or line break quoted,
 * quotes doubled; lines end with \n). Long format, one row per plotted point, so charts with series of different
 * lengths fit one table:
 * <ul>
 *   <li>XY plots: {@code series,x,y} plus {@code x_start,x_end} for interval (bar) data such as histograms and
 *       {@code y_low,y_high} for y-interval (whisker) data;</li>
 *   <li>category plots: {@code series,category,value}.</li>
 * </ul>
 * Every dataset of the plot is written, in dataset order. Numbers are written with {@link Double#toString} (full
 * precision, "NaN" for a missing value).
 */
public final class ChartCsv {
    private ChartCsv() {
    }

    /** The CSV text of {@code chart}'s data; a plot of another kind gives only the header "series,x,y". */
    public static String of(JFreeChart chart) {
        Plot plot = chart.getPlot();
        if (plot instanceof CategoryPlot cp) {
            return category(cp);
        }
        if (plot instanceof XYPlot xp) {
            return xy(xp);
        }
        return "series,x,y\n";
    }

    private static String category(CategoryPlot plot) {
        StringBuilder sb = new StringBuilder("series,category,value\n");
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            CategoryDataset ds = plot.getDataset(d);
            if (ds == null) {
                continue;
            }
            for (int r = 0; r < ds.getRowCount(); r++) {
                for (int c = 0; c < ds.getColumnCount(); c++) {
                    Number v = ds.getValue(r, c);
                    row(sb, ds.getRowKey(r).toString(), ds.getColumnKey(c).toString(), num(v));
                }
            }
        }
        return sb.toString();
    }

    private static String xy(XYPlot plot) {
        boolean intervals = false;
        boolean yIntervals = false;
        List<XYDataset> sets = new ArrayList<>();
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            XYDataset ds = plot.getDataset(d);
            if (ds != null) {
                sets.add(ds);
                yIntervals |= ds instanceof YIntervalSeriesCollection;
                intervals |= hasXIntervals(ds);
            }
        }
        StringBuilder sb = new StringBuilder("series,x,y");
        sb.append(intervals ? ",x_start,x_end" : "").append(yIntervals ? ",y_low,y_high" : "").append('\n');
        for (XYDataset ds : sets) {
            for (int s = 0; s < ds.getSeriesCount(); s++) {
                for (int i = 0; i < ds.getItemCount(s); i++) {
                    List<String> f = new ArrayList<>(List.of(ds.getSeriesKey(s).toString(), num(ds.getXValue(s, i)),
                            num(ds.getYValue(s, i))));
                    if (intervals) {
                        boolean has = hasXIntervals(ds);
                        f.add(has ? num(((IntervalXYDataset) ds).getStartXValue(s, i)) : "");
                        f.add(has ? num(((IntervalXYDataset) ds).getEndXValue(s, i)) : "");
                    }
                    if (yIntervals) {
                        boolean has = ds instanceof YIntervalSeriesCollection;
                        f.add(has ? num(((YIntervalSeriesCollection) ds).getStartYValue(s, i)) : "");
                        f.add(has ? num(((YIntervalSeriesCollection) ds).getEndYValue(s, i)) : "");
                    }
                    row(sb, f.toArray(String[]::new));
                }
            }
        }
        return sb.toString();
    }

    /**
     * True for data whose x intervals mean something (histogram bars); XYSeriesCollection and the y-interval
     * collection also implement IntervalXYDataset but only with made-up widths.
     */
    private static boolean hasXIntervals(XYDataset ds) {
        return ds instanceof IntervalXYDataset && !(ds instanceof YIntervalSeriesCollection)
                && !(ds instanceof XYSeriesCollection);
    }

    private static void row(StringBuilder sb, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields[i]));
        }
        sb.append('\n');
    }

    /** RFC 4180 quoting: only when the field holds a comma, a quote or a line break. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String num(Number v) {
        return v == null ? "NaN" : num(v.doubleValue());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%s", Double.toString(v));
    }
}
