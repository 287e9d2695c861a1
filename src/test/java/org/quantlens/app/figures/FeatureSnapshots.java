package org.quantlens.app.figures;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.prefs.Preferences;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;
import org.quantlens.app.fx.BackgroundWork;
import org.quantlens.app.main.AppPreferences;
import org.quantlens.app.main.MainView;
import org.quantlens.app.main.MainViewModel;
import org.quantlens.app.main.QuantLensApp;
import org.quantlens.app.main.Theme;

/**
 * A developer's tool, not a test: opens the real main window at 1280x800 on MODEL and DATA (and EVAL.npy for the
 * evaluation tab), and writes every feature tab in both themes to DIR as PNG, for a look under Xvfb:
 * {@code xvfb-run -a java -cp ... org.quantlens.app.figures.FeatureSnapshots MODEL DATA EVAL DIR}.
 */
public final class FeatureSnapshots {
    private static String[] args;

    public static void main(String[] a) {
        args = a;
        Application.launch(App.class);
    }

    /** The JavaFX application (a nested class: a main class extending Application needs the module path). */
    public static final class App extends Application {

    @Override
    public void start(Stage stage) throws Exception {
        Path model = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path eval = Path.of(args[2]);
        Path dir = Path.of(args[3]);
        Files.createDirectories(dir);
        MainViewModel vm = new MainViewModel(new AppPreferences(Preferences.userRoot().node("org/quantlens/snap"
                + System.nanoTime())), BackgroundWork.shared(), Platform::runLater);
        MainView view = QuantLensApp.loadMainView(vm);
        stage.setScene(new Scene(view.root(), 1280, 800));
        stage.show();
        FeatureTabs f = view.features();
        TabPane tabs = (TabPane) view.root().lookup("TabPane");
        vm.open(model, data, null, () -> {
            f.evaluateModel().dataProperty().set(eval);
            f.evaluateModel().run();
            Deque<Runnable> steps = new ArrayDeque<>();
            for (Theme t : Theme.values()) {
                String th = t.name().toLowerCase();
                steps.add(() -> vm.themeProperty().set(t));
                steps.add(() -> tabs.getSelectionModel().select(1));
                steps.add(() -> shoot(view, dir.resolve("figures-weights-" + th + ".png")));
                steps.add(() -> f.figures().tabs().getSelectionModel().select(1));
                steps.add(() -> shoot(view, dir.resolve("figures-activations-" + th + ".png")));
                steps.add(() -> f.figures().tabs().getSelectionModel().select(0));
                steps.add(() -> tabs.getSelectionModel().select(2));
                steps.add(() -> shoot(view, dir.resolve("playground-" + th + ".png")));
                steps.add(() -> tabs.getSelectionModel().select(3));
                steps.add(() -> shoot(view, dir.resolve("evaluate-" + th + ".png")));
                steps.add(() -> f.showExportDialog(stage));
                steps.add(() -> {
                    for (javafx.stage.Window w : java.util.List.copyOf(javafx.stage.Window.getWindows())) {
                        if (w != stage && w.getScene() != null) {
                            shoot(w.getScene().getRoot(), dir.resolve("export-" + th + ".png"));
                            ((Stage) w).close();
                        }
                    }
                });
            }
            steps.add(() -> {
                stage.close();
                Platform.runLater(Platform::exit);
            });
            next(steps, f);
        });
    }

    }

    private static void next(Deque<Runnable> steps, FeatureTabs f) {
        if (steps.isEmpty()) {
            return;
        }
        PauseTransition p = new PauseTransition(Duration.millis(800));
        p.setOnFinished(e -> {
            if (!f.figuresModel().busyProperty().get() && !f.evaluateModel().busyProperty().get()) {
                steps.poll().run();
            }
            next(steps, f);
        });
        p.play();
    }

    private static void shoot(MainView view, Path file) {
        shoot(view.root(), file);
    }

    private static void shoot(javafx.scene.Node node, Path file) {
        try {
            BufferedImage img = SwingFXUtils.fromFXImage(node.snapshot(null, null), null);
            ImageIO.write(img, "png", file.toFile());
            System.out.println(file);
        } catch (Exception e) {
            System.err.println(file + ": " + e);
        }
    }
}
