package org.quantlens.app.evaluate;

import java.awt.Color;
import java.awt.Paint;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.quantlens.app.figures.ChartStyle;
import org.quantlens.runtime.EvaluationReport;

/**
 * The per-layer SQNR bar chart: one horizontal bar per compared tensor, in execution order, the selected one
 * highlighted. An exact match (+infinity dB) is drawn at {@link #CAP_DB} so it stays visible; -infinity and NaN as 0.
 */
public final class SqnrChart {
    /** Where infinite SQNR bars end. */
    public static final double CAP_DB = 100;
    /** The dataset's row key; column keys are the tensor names. */
    public static final String SERIES = "SQNR (dB)";
    private static final Color BAR = new Color(0x3b82c4);
    private static final Color SELECTED = new Color(0xd9480f);

    private SqnrChart() {
    }

    /** The value a bar shows for {@code db}. */
    static double barValue(double db) {
        if (Double.isNaN(db) || db == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        return Math.min(db, CAP_DB);
    }

    /** The chart of {@code layers} with {@code selected} (a tensor name or null) highlighted. */
    public static JFreeChart of(List<EvaluationReport.Layer> layers, String selected, boolean dark) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (EvaluationReport.Layer l : layers) {
            data.addValue(barValue(l.sqnrDb()), SERIES, l.tensor());
        }
        BarRenderer r = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                Comparable<?> key = data.getColumnKey(column);
                return key.equals(selected) ? SELECTED : BAR;
            }
        };
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setMaximumBarWidth(0.08);
        r.setItemMargin(0);
        r.setDefaultToolTipGenerator((ds, row, col) -> {
            EvaluationReport.Layer l = layers.get(col);
            return l.tensor() + " (" + l.op() + "): " + EvaluateViewModel.decibels(l.sqnrDb()) + ", cosine "
                    + String.format(java.util.Locale.ROOT, "%.5f", l.cosine());
        });
        CategoryAxis x = new CategoryAxis();
        x.setMaximumCategoryLabelWidthRatio(0.45f);
        NumberAxis y = new NumberAxis("SQNR of INT8 vs FP32 (dB, higher is better)");
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        JFreeChart chart = new JFreeChart("Per-layer SQNR (click a bar to select the layer)", ChartStyle.TITLE, plot,
                false);
        ChartStyle.apply(chart, dark);
        return chart;
    }
}
