package org.quantlens.app.export;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.svg.SVGGraphics2D;
import org.quantlens.tensor.AtomicFiles;

/**
 * PNG, SVG and CSV export of any JFreeChart, and the context menu that offers them on a {@link ChartViewer}.
 * Pictures are drawn by JFreeChart itself at the requested size (not a screen grab), so they look the same on a
 * headless machine. SVG is drawn onto {@code new SVGGraphics2D(w, h)} here: JFreeChart 1.5's own SVG export calls
 * a constructor org.jfree.svg 5 no longer has (STACK.md). Every file is written atomically: a failed export leaves
 * the old file, never half of a new one. Failures are {@link org.quantlens.tensor.InvalidInputException}s naming
 * the file.
 */
public final class ChartExport {
    /** The picture size when the viewer's own size is unknown (not yet laid out). */
    public static final int DEFAULT_WIDTH = 1000;
    public static final int DEFAULT_HEIGHT = 600;

    private ChartExport() {
    }

    /** Writes {@code chart} as a {@code width} x {@code height} PNG. */
    public static void writePng(JFreeChart chart, int width, int height, Path file) {
        BufferedImage img = chart.createBufferedImage(width, height);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }

    /** Writes {@code chart} as a {@code width} x {@code height} SVG document (UTF-8). */
    public static void writeSvg(JFreeChart chart, int width, int height, Path file) {
        AtomicFiles.write(file, svgDocument(chart, width, height).getBytes(StandardCharsets.UTF_8));
    }

    /** The SVG document of {@code chart} drawn at {@code width} x {@code height}. */
    public static String svgDocument(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        return g.getSVGDocument();
    }

    /** Writes the chart's plotted series as CSV ({@link ChartCsv}). */
    public static void writeCsv(JFreeChart chart, Path file) {
        AtomicFiles.write(file, ChartCsv.of(chart).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds "Save as PNG / SVG / CSV…" to {@code viewer}'s context menu, replacing JFreeChart's "Export As" entry
     * (its SVG item fails against org.jfree.svg 5). {@code name} is the suggested file name without extension;
     * {@code onError} gets any failure (e.g. shows a dialog).
     */
    public static void install(ChartViewer viewer, String name, Consumer<Throwable> onError) {
        ContextMenu menu = viewer.getContextMenu();
        menu.getItems().removeIf(i -> i instanceof Menu m && m.getText() != null
                && m.getText().toLowerCase(Locale.ROOT).startsWith("export"));
        Menu save = new Menu("Save chart as");
        save.getItems().addAll(item(viewer, name, "PNG image", "png", onError),
                item(viewer, name, "SVG drawing", "svg", onError),
                item(viewer, name, "CSV data", "csv", onError));
        if (!menu.getItems().isEmpty()) {
            menu.getItems().add(new SeparatorMenuItem());
        }
        menu.getItems().add(save);
    }

    private static MenuItem item(ChartViewer viewer, String name, String label, String ext,
                                 Consumer<Throwable> onError) {
        MenuItem item = new MenuItem(label + "…");
        item.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Save chart as " + ext.toUpperCase(Locale.ROOT));
            fc.setInitialFileName(name + "." + ext);
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(label, "*." + ext));
            Window owner = viewer.getScene() == null ? null : viewer.getScene().getWindow();
            File f = fc.showSaveDialog(owner);
            if (f != null) {
                try {
                    write(viewer, ext, f.toPath());
                } catch (RuntimeException ex) {
                    onError.accept(ex);
                }
            }
        });
        return item;
    }

    /** Writes the viewer's chart in format {@code ext} ("png", "svg" or "csv") at the viewer's current size. */
    public static void write(ChartViewer viewer, String ext, Path file) {
        int w = viewer.getWidth() >= 50 ? (int) Math.round(viewer.getWidth()) : DEFAULT_WIDTH;
        int h = viewer.getHeight() >= 50 ? (int) Math.round(viewer.getHeight()) : DEFAULT_HEIGHT;
        switch (ext) {
            case "png" -> writePng(viewer.getChart(), w, h, file);
            case "svg" -> writeSvg(viewer.getChart(), w, h, file);
            case "csv" -> writeCsv(viewer.getChart(), file);
            default -> throw new IllegalArgumentException("unknown chart format " + ext);
        }
    }
}
