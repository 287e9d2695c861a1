package org.quantlens.app.playground;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * The float axis drawn onto the integer grid: the top line is the real axis over the data's range and the
 * representable range together; every integer code sits below it at the real value it stands for,
 * {@code scale * (q - zeroPoint)}, so one sees which codes are spent on values that never occur (a symmetric grid
 * on ReLU output wastes half), where real 0 lands (the zero point) and what is clipped (shaded red).
 */
public final class MappingDiagram extends Region {
    private final Canvas canvas = new Canvas();
    private Mapping mapping;
    private double dataMin;
    private double dataMax;
    private boolean dark;

    public MappingDiagram() {
        getChildren().add(canvas);
        setMinHeight(84);
        setPrefHeight(96);
        getStyleClass().add("mapping-diagram");
    }

    /** Shows {@code m} over data in [min, max]. */
    public void show(Mapping m, double min, double max) {
        this.mapping = m;
        this.dataMin = min;
        this.dataMax = max;
        draw();
    }

    public void setDark(boolean d) {
        this.dark = d;
        draw();
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        if (mapping == null || w < 40 || h < 40) {
            return;
        }
        Color fg = dark ? Color.web("#c9d1d9") : Color.web("#24292f");
        Color accent = Color.web("#3b82c4");
        Color clip = Color.web("#d9480f");
        double lo = Math.min(Math.min(dataMin, mapping.clipMin()), 0);
        double hi = Math.max(Math.max(dataMax, mapping.clipMax()), 0);
        if (hi <= lo) {
            hi = lo + 1;
        }
        double left = 36;
        double right = w - 36;
        double span = hi - lo;
        double lo2 = lo;
        java.util.function.DoubleUnaryOperator px = v -> left + (v - lo2) / span * (right - left);
        double top = 26;
        double bottom = h - 30;
        g.setFont(Font.font(11));
        g.setTextBaseline(VPos.BOTTOM);
        g.setTextAlign(TextAlignment.CENTER);
        // data range and clipped parts on the real axis
        g.setFill(accent.deriveColor(0, 1, 1, 0.25));
        double dMin = px.applyAsDouble(dataMin);
        double dMax = px.applyAsDouble(dataMax);
        double cMin = px.applyAsDouble(mapping.clipMin());
        double cMax = px.applyAsDouble(mapping.clipMax());
        g.fillRect(dMin, top - 6, Math.max(1, dMax - dMin), 12);
        g.setFill(clip.deriveColor(0, 1, 1, 0.35));
        if (dMin < cMin) {
            g.fillRect(dMin, top - 6, cMin - dMin, 12);
        }
        if (dMax > cMax) {
            g.fillRect(cMax, top - 6, dMax - cMax, 12);
        }
        g.setStroke(fg);
        g.setLineWidth(1);
        g.strokeLine(left, top, right, top);
        g.strokeLine(left, bottom, right, bottom);
        g.setFill(fg);
        g.fillText("real", left - 18, top + 5);
        g.fillText("code", left - 18, bottom + 5);
        for (double v : new double[] {lo, 0, hi}) {
            double x = px.applyAsDouble(v);
            g.strokeLine(x, top - 4, x, top + 4);
            g.fillText(MultiplicationModel.number(round(v)), clampX(x, w), top - 7);
        }
        // one tick per code, thinned out when codes are denser than 3 px
        int codes = mapping.qmax() - mapping.qmin();
        double step = (px.applyAsDouble(mapping.clipMax()) - px.applyAsDouble(mapping.clipMin())) / codes;
        int every = (int) Math.max(1, Math.ceil(3 / Math.max(step, 1e-9)));
        g.setStroke(accent);
        for (int q = mapping.qmin(); q <= mapping.qmax(); q += every) {
            double x = px.applyAsDouble(mapping.real(q));
            g.strokeLine(x, bottom - 5, x, bottom);
        }
        // the three anchors: qmin, the zero point (real 0) and qmax
        g.setTextBaseline(VPos.TOP);
        g.setLineDashes(4, 3);
        int[] anchors = {mapping.qmin(), mapping.zeroPoint(), mapping.qmax()};
        for (int q : anchors) {
            double x = px.applyAsDouble(mapping.real(q));
            g.setStroke(q == mapping.zeroPoint() ? clip : accent);
            g.strokeLine(x, top, x, bottom);
            g.setFill(q == mapping.zeroPoint() ? clip : fg);
            g.fillText(Integer.toString(q), clampX(x, w), bottom + 3);
        }
        g.setLineDashes();
    }

    private static double clampX(double x, double w) {
        return Math.max(18, Math.min(w - 18, x));
    }

    private static double round(double v) {
        return Math.abs(v) < 1e-12 ? 0 : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", v));
    }
}
