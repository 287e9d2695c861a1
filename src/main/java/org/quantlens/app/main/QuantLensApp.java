package org.quantlens.app.main;

import java.io.IOException;
import java.util.Objects;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.quantlens.app.fx.BackgroundWork;

/**
 * The JavaFX application. Started by {@link AppLauncher} (never as the jar's main class, see
 * {@code org.quantlens.cli.Launcher}); what to open comes from {@link #configure}. With a snapshot folder it
 * opens the model and data, writes the PNGs and exits.
 */
public final class QuantLensApp extends Application {
    private static volatile AppOptions options;
    private static volatile int exitStatus;

    /** What the next launch opens; must be called before {@code Application.launch}. */
    static void configure(AppOptions o) {
        options = Objects.requireNonNull(o);
        exitStatus = 0;
    }

    /** 0, or 1 when snapshot mode failed. */
    static int exitStatus() {
        return exitStatus;
    }

    @Override
    public void start(Stage stage) throws IOException {
        AppPreferences prefs = AppPreferences.user();
        MainViewModel vm = new MainViewModel(prefs, BackgroundWork.shared(), Platform::runLater);
        MainView view = loadMainView(vm);
        Scene scene = new Scene(view.root());
        stage.setScene(scene);
        stage.titleProperty().bind(vm.titleProperty());
        AppOptions o = options;
        boolean snapshot = o != null && o.snapshotDir() != null;
        placeWindow(stage, prefs, snapshot);
        stage.setOnCloseRequest(e -> {
            saveWindow(stage, prefs);
            vm.flushProject();
        });
        stage.show();
        if (o == null) {
            return;
        }
        if (snapshot) {
            view.setShowDialogs(false);
            vm.setAutosave(false);
            vm.failureProperty().addListener((obs, a, f) -> {
                if (f != null) {
                    System.err.println("quantlens: " + f.what() + ": " + f.message());
                    exitStatus = 1;
                }
            });
        }
        Runnable then = snapshot ? () -> Snapshots.writeAndExit(stage, view, vm, o.snapshotDir(),
                status -> exitStatus = status) : null;
        vm.open(o.model(), o.data(), o.preprocess(), then);
    }

    /** Loads {@code MainView.fxml} with the app stylesheet and binds it to {@code vm}. */
    public static MainView loadMainView(MainViewModel vm) throws IOException {
        FXMLLoader loader = new FXMLLoader(QuantLensApp.class.getResource("MainView.fxml"));
        Parent root = loader.load();
        root.getStylesheets().add(Objects.requireNonNull(
                QuantLensApp.class.getResource("/org/quantlens/app/app.css")).toExternalForm());
        MainView view = loader.getController();
        view.bind(vm);
        return view;
    }

    private static void placeWindow(Stage stage, AppPreferences prefs, boolean snapshot) {
        double[] b = snapshot ? new double[] {Double.NaN, Double.NaN, 1280, 800} : prefs.windowBounds();
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setWidth(Math.min(b[2], screen.getWidth()));
        stage.setHeight(Math.min(b[3], screen.getHeight()));
        boolean onScreen = !Double.isNaN(b[0]) && !Screen.getScreensForRectangle(b[0], b[1], b[2], b[3]).isEmpty();
        if (onScreen) {
            stage.setX(b[0]);
            stage.setY(b[1]);
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(!snapshot && prefs.maximized());
    }

    private static void saveWindow(Stage stage, AppPreferences prefs) {
        if (!stage.isMaximized()) {
            prefs.setWindow(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        } else {
            double[] b = prefs.windowBounds();
            prefs.setWindow(b[0], b[1], b[2], b[3], true);
        }
        prefs.flush();
    }
}
