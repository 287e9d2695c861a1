package org.quantlens.app.histogram;

import java.awt.geom.Rectangle2D;
import javafx.beans.property.DoubleProperty;
import javafx.scene.Cursor;
import javafx.scene.input.MouseEvent;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.interaction.AbstractMouseHandlerFX;
import org.jfree.chart.plot.XYPlot;

/**
 * Drags the clip markers with the mouse. JFreeChart-FX picks the handler for a press by asking
 * {@link #hasMatchingModifiers}; this one claims the press only when it lands within {@value #GRAB_PIXELS} pixels
 * of a marker, so zooming and panning keep working everywhere else. While dragging it writes the value under the
 * mouse ({@code java2DToValue} of the canvas x in the plot's data area) into the marker's property; the view moves
 * the marker from there, so the slider and number fields follow too.
 */
final class ClipMarkerDragHandler extends AbstractMouseHandlerFX {
    static final double GRAB_PIXELS = 6;

    private final HistogramChart chart;
    private final DoubleProperty min;
    private final DoubleProperty max;
    private final javafx.beans.property.BooleanProperty dragging;
    private DoubleProperty dragged;

    ClipMarkerDragHandler(HistogramChart chart, DoubleProperty min, DoubleProperty max,
                          javafx.beans.property.BooleanProperty dragging) {
        super("clip-markers", false, false, false, false);
        this.chart = chart;
        this.min = min;
        this.max = max;
        this.dragging = dragging;
    }

    /** Installs the handler and the hover cursor on {@code canvas}. */
    void install(ChartCanvas canvas) {
        canvas.addMouseHandler(this);
        // addEventHandler, not setOnMouseMoved: the canvas dispatches its own handlers through the latter
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e ->
                canvas.setCursor(markerNear(canvas, e.getX()) != null ? Cursor.H_RESIZE : Cursor.DEFAULT));
    }

    @Override
    public boolean hasMatchingModifiers(MouseEvent e) {
        if (!(e.getSource() instanceof ChartCanvas canvas) || !e.isPrimaryButtonDown()) {
            return false;
        }
        dragged = markerNear(canvas, e.getX());
        if (dragged != null) {
            dragging.set(true);
        }
        return dragged != null;
    }

    @Override
    public void handleMouseDragged(ChartCanvas canvas, MouseEvent e) {
        if (dragged != null) {
            double v = valueAt(canvas, e.getX());
            if (!Double.isNaN(v)) {
                dragged.set(v);
            }
        }
    }

    @Override
    public void handleMouseReleased(ChartCanvas canvas, MouseEvent e) {
        dragged = null;
        canvas.clearLiveHandler();
        dragging.set(false);
    }

    /** The property of the marker within GRAB_PIXELS of canvas x, the nearer one if both are; else null. */
    private DoubleProperty markerNear(ChartCanvas canvas, double x) {
        Rectangle2D area = dataArea(canvas);
        if (area == null || chart.plot().getDataset().getSeriesCount() == 0) {
            return null;
        }
        double dMin = Math.abs(toX(area, min.get()) - x);
        double dMax = Math.abs(toX(area, max.get()) - x);
        if (Math.min(dMin, dMax) > GRAB_PIXELS) {
            return null;
        }
        return dMax <= dMin ? max : min;
    }

    private double toX(Rectangle2D area, double value) {
        XYPlot plot = chart.plot();
        return plot.getDomainAxis().valueToJava2D(value, area, plot.getDomainAxisEdge());
    }

    private double valueAt(ChartCanvas canvas, double x) {
        Rectangle2D area = dataArea(canvas);
        if (area == null) {
            return Double.NaN;
        }
        double clampedX = Math.max(area.getMinX(), Math.min(area.getMaxX(), x));
        XYPlot plot = chart.plot();
        return plot.getDomainAxis().java2DToValue(clampedX, area, plot.getDomainAxisEdge());
    }

    private static Rectangle2D dataArea(ChartCanvas canvas) {
        if (canvas.getRenderingInfo() == null || canvas.getRenderingInfo().getPlotInfo() == null) {
            return null;
        }
        Rectangle2D a = canvas.getRenderingInfo().getPlotInfo().getDataArea();
        return a == null || a.isEmpty() ? null : a;
    }
}
