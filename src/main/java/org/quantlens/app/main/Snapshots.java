package org.quantlens.app.main;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;

/**
 * {@code quantlens app --snapshot DIR}: once the model and data are loaded, renders the main window in the light
 * and the dark theme and the histogram view alone to {@code main-light.png}, {@code main-dark.png} and
 * {@code histogram.png}, then each feature tab in the light theme ({@code tab-figures.png},
 * {@code tab-playground.png}, ...), prints their paths, and exits. Each picture waits for CSS, layout, the chart
 * canvas and the tab's own background work to settle.
 */
final class Snapshots {
    private static final Duration SETTLE = Duration.millis(600);

    private Snapshots() {
    }

    static void writeAndExit(Stage stage, MainView view, MainViewModel vm, Path dir, IntConsumer status) {
        Theme original = vm.themeProperty().get();
        List<Path> written = new ArrayList<>();
        Runnable finish = () -> {
            written.forEach(p -> System.out.println(p));
            // close the window first and exit on the next pulse: exiting with a live window can crash GTK's glass
            stage.close();
            Platform.runLater(Platform::exit);
        };
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            System.err.println("quantlens: " + dir + ": cannot create the snapshot folder (" + e.getMessage() + ")");
            status.accept(1);
            finish.run();
            return;
        }
        // show the KL curve of the selected tensor too (a no-op without calibration)
        if (vm.layers().selectedProperty().get() != null
                && vm.layers().selectedProperty().get().calibration() != null) {
            vm.searchSelected(org.quantlens.calib.search.RangeMethod.KL_TENSORRT);
        }
        view.applyTheme(Theme.LIGHT);
        whenIdle(vm, 100, () -> later(() -> {
            shoot(view.root(), dir.resolve("main-light.png"), written, status);
            shoot(view.histogram().root(), dir.resolve("histogram.png"), written, status);
            view.applyTheme(Theme.DARK);
            later(() -> {
                shoot(view.root(), dir.resolve("main-dark.png"), written, status);
                view.applyTheme(Theme.LIGHT);
                shootTabs(view, 1, dir, written, status, () -> {
                    view.centerTabs().getSelectionModel().select(0);
                    view.applyTheme(original);
                    finish.run();
                });
            });
        }));
    }

    /** Selects feature tab {@code i} and the ones after it in turn, shooting each, then runs {@code done}. */
    private static void shootTabs(MainView view, int i, Path dir, List<Path> written, IntConsumer status,
                                  Runnable done) {
        var tabs = view.centerTabs().getTabs();
        if (i >= tabs.size()) {
            done.run();
            return;
        }
        view.centerTabs().getSelectionModel().select(i);
        String name = tabs.get(i).getText().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        var evaluation = view.features().evaluateModel();
        boolean evaluate = "evaluateTab".equals(tabs.get(i).getId()) && evaluation.dataProperty().get() != null;
        if (evaluate) {
            evaluation.run(); // show a finished evaluation of the current table, not an empty panel
        }
        // feature views compute in the background when first shown (the figures run the model per sample)
        PauseTransition p = new PauseTransition(Duration.millis(2500));
        p.setOnFinished(e -> waitUntil(() -> !evaluation.busyProperty().get(), 300, () -> {
            shoot(view.root(), dir.resolve("tab-" + name + ".png"), written, status);
            shootTabs(view, i + 1, dir, written, status, done);
        }));
        p.play();
    }

    /** Runs {@code r} once {@code ready} holds (polling every 100 ms, at most {@code tries} times). */
    private static void waitUntil(java.util.function.BooleanSupplier ready, int tries, Runnable r) {
        if (ready.getAsBoolean() || tries <= 0) {
            r.run();
            return;
        }
        PauseTransition p = new PauseTransition(Duration.millis(100));
        p.setOnFinished(e -> waitUntil(ready, tries - 1, r));
        p.play();
    }

    /** Runs {@code r} once the view model's background job is done (polling, at most {@code tries} times). */
    private static void whenIdle(MainViewModel vm, int tries, Runnable r) {
        if (!vm.busyProperty().get() || tries <= 0) {
            r.run();
            return;
        }
        PauseTransition p = new PauseTransition(Duration.millis(100));
        p.setOnFinished(e -> whenIdle(vm, tries - 1, r));
        p.play();
    }

    private static void later(Runnable r) {
        PauseTransition p = new PauseTransition(SETTLE);
        p.setOnFinished(e -> r.run());
        p.play();
    }

    private static void shoot(Node node, Path file, List<Path> written, IntConsumer status) {
        try {
            WritableImage img = node.snapshot(null, null);
            BufferedImage buf = SwingFXUtils.fromFXImage(img, null);
            ImageIO.write(buf, "png", file.toFile());
            written.add(file);
        } catch (IOException | RuntimeException e) {
            System.err.println("quantlens: " + file + ": snapshot failed (" + e.getMessage() + ")");
            status.accept(1);
        }
    }
}
