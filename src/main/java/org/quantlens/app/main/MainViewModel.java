package org.quantlens.app.main;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.quantlens.app.fx.LatestTaskRunner;
import org.quantlens.app.fx.Messages;
import org.quantlens.app.histogram.HistogramViewModel;
import org.quantlens.app.layers.LayerBrowserViewModel;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.ir.Model;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

/**
 * The main window's state and commands: the open model and data, progress of the background job (one at a time,
 * the latest wins), the calibration settings of the toolbar, the theme and recent files (remembered), and the
 * child view models. Failures become a {@link Failure} the view shows as a one-line dialog.
 */
public final class MainViewModel {
    /** Calibration methods the toolbar offers (CONTRACTS.md names). */
    public static final List<String> METHODS = List.of("minmax", "entropy", "percentile", "mse", "aciq");
    /** Bit widths the toolbar offers. */
    public static final List<Integer> BITS = List.of(8, 7, 6, 5, 4);
    /** Why the Calibrate action is disabled in this build. */
    public static final String CALIBRATE_PENDING = "calibration engine coming";

    /** A failure to show: what was being done, and the one-line reason. */
    public record Failure(String what, String message) {
    }

    private final AppPreferences prefs;
    private final LatestTaskRunner runner;
    private final LayerBrowserViewModel layers = new LayerBrowserViewModel();
    private final HistogramViewModel histogram = new HistogramViewModel(layers);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "QuantLens");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Ready");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyObjectWrapper<Path> modelPath = new ReadOnlyObjectWrapper<>(this, "modelPath");
    private final ReadOnlyObjectWrapper<Path> dataPath = new ReadOnlyObjectWrapper<>(this, "dataPath");
    private final ReadOnlyObjectWrapper<Failure> failure = new ReadOnlyObjectWrapper<>(this, "failure");
    private final ObservableList<Path> recentFiles = FXCollections.observableArrayList();
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    private final ObjectProperty<String> method = new SimpleObjectProperty<>(this, "method", "entropy");
    private final ObjectProperty<QuantScheme> scheme = new SimpleObjectProperty<>(this, "scheme",
            QuantScheme.UINT8_ASYMMETRIC);
    private final ObjectProperty<Integer> bits = new SimpleObjectProperty<>(this, "bits", 8);
    private final BooleanProperty perChannel = new SimpleBooleanProperty(this, "perChannel", true);
    private final ReadOnlyBooleanWrapper calibrateAvailable = new ReadOnlyBooleanWrapper(this, "calibrateAvailable");
    private Model model;
    private Path preprocess;

    /**
     * @param prefs      where theme and recent files are kept
     * @param background runs core work (the shared executor in the app, the calling thread in tests)
     * @param ui         delivers results ({@code Platform::runLater} in the app, the calling thread in tests)
     */
    public MainViewModel(AppPreferences prefs, Executor background, Executor ui) {
        this.prefs = prefs;
        this.runner = new LatestTaskRunner(background, ui, new LatestTaskRunner.Listener() {
            @Override
            public void running(boolean running) {
                busy.set(running);
                if (!running) {
                    progress.set(0);
                }
            }

            @Override
            public void progress(double fraction, String message) {
                progress.set(fraction);
                if (!message.isEmpty()) {
                    status.set(capitalize(message) + "…");
                }
            }
        });
        theme.set(prefs.theme());
        theme.addListener((o, a, t) -> {
            prefs.setTheme(t);
            prefs.flush();
        });
        recentFiles.setAll(prefs.recentFiles());
        scheme.addListener((o, a, b) -> updateSpec());
        bits.addListener((o, a, b) -> updateSpec());
    }

    public LayerBrowserViewModel layers() {
        return layers;
    }

    public HistogramViewModel histogram() {
        return histogram;
    }

    /** Opens {@code file} as the model, dropping the current data (its activations belong to the old model). */
    public void openModel(Path file) {
        open(file, null, null, null);
    }

    /**
     * Opens {@code modelFile} and, when {@code data} is not null, profiles its activations on it; then runs
     * {@code then} on the ui thread (also after a failure, not after a cancel).
     */
    public void open(Path modelFile, Path data, Path preprocessSpec, Runnable then) {
        status.set("Opening " + modelFile.getFileName() + "…");
        runner.submit((token, monitor) -> ModelLoader.load(modelFile, data, preprocessSpec, token, monitor),
                result -> {
                    apply(result, preprocessSpec);
                    runAfter(then);
                },
                error -> {
                    fail("Could not open " + modelFile.getFileName(), error);
                    runAfter(then);
                });
    }

    /** Profiles the open model's activations on {@code data} (an .npy/.npz/.pb file or a folder). */
    public void openData(Path data) {
        Model current = model;
        if (current == null) {
            failure.set(new Failure("No model open", "open a model before its calibration data"));
            return;
        }
        List<org.quantlens.app.layers.TensorEntry> entries = layers.rows().stream()
                .filter(r -> r.kind() == TensorKind.ACTIVATION)
                .map(r -> new org.quantlens.app.layers.TensorEntry(r.name(), r.kind(), r.op(), r.shape(), null))
                .toList();
        Path pre = preprocess;
        status.set("Running " + data.getFileName() + " through the model…");
        runner.submit((token, monitor) -> ModelLoader.profile(current, entries, data, pre, token, monitor),
                stats -> {
                    layers.applyStats(stats);
                    dataPath.set(data);
                    remember(data);
                    status.set(statusText());
                },
                error -> fail("Could not use " + data.getFileName(), error));
    }

    /** Cancels the running job; what it was doing is left as before. */
    public void cancel() {
        if (runner.isRunning()) {
            runner.cancel();
            status.set("Cancelled");
        }
    }

    private void apply(LoadResult r, Path preprocessSpec) {
        model = r.model();
        preprocess = preprocessSpec;
        layers.setEntries(r.entries());
        layers.applyStats(r.stats());
        modelPath.set(r.modelPath());
        dataPath.set(r.dataError() == null ? r.dataPath() : null);
        title.set("QuantLens — " + r.modelPath().getFileName());
        remember(r.modelPath());
        status.set(statusText());
        if (r.dataError() != null) {
            failure.set(new Failure("Could not use " + r.dataPath().getFileName(), r.dataError()));
        }
        selectFirstWithHistogram();
    }

    /** Selects the first activation with a histogram (else the first weight), so the views show something. */
    void selectFirstWithHistogram() {
        TensorRow pick = layers.rows().stream().filter(x -> x.kind() == TensorKind.ACTIVATION && x.hasHistogram()
                && !"input".equals(x.op())).findFirst()
                .orElse(layers.rows().stream().filter(TensorRow::hasHistogram).findFirst().orElse(null));
        layers.selectedProperty().set(pick);
    }

    private String statusText() {
        long weights = layers.rows().stream().filter(r -> r.kind() == TensorKind.WEIGHT).count();
        long acts = layers.rows().size() - weights;
        long observed = layers.rows().stream().filter(r -> r.kind() == TensorKind.ACTIVATION && r.hasHistogram())
                .count();
        String data = dataPath.get() == null ? "no calibration data"
                : "activations observed on " + dataPath.get().getFileName() + " (" + observed + ")";
        return weights + " weights, " + acts + " activations; " + data;
    }

    private void remember(Path file) {
        recentFiles.setAll(prefs.addRecent(file));
        prefs.flush();
    }

    private void fail(String what, Throwable error) {
        status.set(what + ": " + Messages.oneLine(error));
        failure.set(new Failure(what, Messages.oneLine(error)));
    }

    private static void runAfter(Runnable then) {
        if (then != null) {
            then.run();
        }
    }

    private void updateSpec() {
        layers.specProperty().set(QuantSpec.of(scheme.get(), bits.get()));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> modelPathProperty() {
        return modelPath.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> dataPathProperty() {
        return dataPath.getReadOnlyProperty();
    }

    /** The latest failure (the view shows it and may clear it with {@link #clearFailure()}). */
    public ReadOnlyObjectProperty<Failure> failureProperty() {
        return failure.getReadOnlyProperty();
    }

    public void clearFailure() {
        failure.set(null);
    }

    public ObservableList<Path> recentFiles() {
        return FXCollections.unmodifiableObservableList(recentFiles);
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public ObjectProperty<String> methodProperty() {
        return method;
    }

    public ObjectProperty<QuantScheme> schemeProperty() {
        return scheme;
    }

    public ObjectProperty<Integer> bitsProperty() {
        return bits;
    }

    public BooleanProperty perChannelProperty() {
        return perChannel;
    }

    /** False until the calibration engine lands; the view shows {@link #CALIBRATE_PENDING} as the reason. */
    public ReadOnlyBooleanProperty calibrateAvailableProperty() {
        return calibrateAvailable.getReadOnlyProperty();
    }
}
