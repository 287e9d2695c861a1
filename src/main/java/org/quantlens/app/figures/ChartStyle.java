package org.quantlens.app.figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;

/**
 * Colours of the app's charts for AtlantaFX's Primer light and dark themes (the same as the histogram view's), and
 * a palette for many overlaid series that stays readable on both backgrounds.
 */
public final class ChartStyle {
    /** Twelve distinct hues (Tableau-like), cycled for more series. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0xad494a)};
    public static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 12);

    private ChartStyle() {
    }

    /** The colour of series {@code i}. */
    public static Color series(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** Applies the light or dark colours to {@code chart}'s background, plot, axes, title and legend. */
    public static void apply(JFreeChart chart, boolean dark) {
        Color bg = dark ? new Color(0x0d1117) : Color.WHITE;
        Color fg = dark ? new Color(0xc9d1d9) : new Color(0x24292f);
        Color grid = dark ? new Color(0x30363d) : new Color(0xd0d7de);
        chart.setBackgroundPaint(bg);
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setPaint(fg);
            title.setFont(TITLE);
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof LegendTitle l) {
                l.setBackgroundPaint(bg);
                l.setItemPaint(fg);
                l.setItemFont(SMALL);
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(bg);
        plot.setOutlinePaint(grid);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(grid);
            xy.setRangeGridlinePaint(grid);
            for (int i = 0; i < xy.getDomainAxisCount(); i++) {
                axis(xy.getDomainAxis(i), fg, grid);
            }
            for (int i = 0; i < xy.getRangeAxisCount(); i++) {
                axis(xy.getRangeAxis(i), fg, grid);
            }
        } else if (plot instanceof CategoryPlot cp) {
            cp.setDomainGridlinePaint(grid);
            cp.setRangeGridlinePaint(grid);
            axis(cp.getDomainAxis(), fg, grid);
            axis(cp.getRangeAxis(), fg, grid);
        }
    }

    private static void axis(Axis a, Paint fg, Paint grid) {
        if (a == null) {
            return;
        }
        a.setLabelPaint(fg);
        a.setTickLabelPaint(fg);
        a.setAxisLinePaint(grid);
        a.setTickMarkPaint(grid);
        a.setLabelFont(SMALL);
        a.setTickLabelFont(SMALL);
    }
}
