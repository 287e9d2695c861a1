package org.quantlens.app.main;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.quantlens.app.layers.ClipState;
import org.quantlens.app.layers.Format;
import org.quantlens.app.layers.LayerBrowserViewModel;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.calib.search.SearchBatch;
import org.quantlens.calib.search.SearchResult;
import org.quantlens.exec.ExecContext;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.ir.Model;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

/**
 * The main window's state and commands: the open model and data, the calibration (run on open when data is
 * given, again with the Calibrate button), progress of the background job (one at a time, the latest wins),
 * threshold searches, the calibration settings of the toolbar, the theme and recent files (remembered), the
 * current calibration table (what export writes and the project file keeps), and the child view models. Failures
 * become a {@link Failure} the view shows as a one-line dialog. FX thread only.
 */
public final class MainViewModel {
    /** Calibration methods the toolbar offers (CONTRACTS.md names). */
    public static final List<RangeMethod> METHODS = List.of(RangeMethod.values());
    /** Bit widths the toolbar offers. */
    public static final List<Integer> BITS = List.of(8, 7, 6, 5, 4);
    /** Debounce of the project autosave. */
    static final long AUTOSAVE_DELAY_MILLIS = 400;

    /** A failure to show: what was being done, and the one-line reason. */
    public record Failure(String what, String message) {
    }

    private final AppPreferences prefs;
    private final LatestTaskRunner runner;
    /** Workers for searching all tensors at once (idle daemon threads end on their own). */
    private final ExecContext searchWorkers = ExecContext.defaultContext();
    private final LayerBrowserViewModel layers = new LayerBrowserViewModel();
    private final HistogramViewModel histogram;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "QuantLens");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Ready");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyObjectWrapper<Path> modelPath = new ReadOnlyObjectWrapper<>(this, "modelPath");
    private final ReadOnlyObjectWrapper<Path> dataPath = new ReadOnlyObjectWrapper<>(this, "dataPath");
    private final ReadOnlyObjectWrapper<Failure> failure = new ReadOnlyObjectWrapper<>(this, "failure");
    private final ObservableList<Path> recentFiles = FXCollections.observableArrayList();
    private final ObservableList<Path> recentFilesView = FXCollections.unmodifiableObservableList(recentFiles);
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    // minmax, as the CLI: a safe first table; on the ReLU6 sample kl-tensorrt's zero spike drives INT8 accuracy
    // from 98.6% to 15%, which the user should see by choosing it, not be greeted with
    private final ObjectProperty<RangeMethod> method = new SimpleObjectProperty<>(this, "method",
            RangeMethod.MINMAX);
    private final ObjectProperty<QuantScheme> scheme = new SimpleObjectProperty<>(this, "scheme",
            QuantScheme.UINT8_ASYMMETRIC);
    private final ObjectProperty<Integer> bits = new SimpleObjectProperty<>(this, "bits", 8);
    private final BooleanProperty perChannel = new SimpleBooleanProperty(this, "perChannel", true);
    private final ReadOnlyBooleanWrapper calibrateAvailable = new ReadOnlyBooleanWrapper(this, "calibrateAvailable");
    private final ReadOnlyObjectWrapper<Calibrator.Result> calibration = new ReadOnlyObjectWrapper<>(this,
            "calibration");
    private final ProjectFile project;
    private boolean autosave = true;
    private Model model;
    private CalibrationTable weightsTable;
    private Path preprocess;

    /**
     * @param prefs      where theme and recent files are kept
     * @param background runs core work (the shared executor in the app, the calling thread in tests)
     * @param ui         delivers results ({@code Platform::runLater} in the app, the calling thread in tests)
     */
    public MainViewModel(AppPreferences prefs, Executor background, Executor ui) {
        this.prefs = prefs;
        this.histogram = new HistogramViewModel(layers, background, ui);
        this.project = new ProjectFile(AUTOSAVE_DELAY_MILLIS, msg -> ui.execute(() -> status.set(msg)));
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
        calibrateAvailable.bind(modelPath.isNotNull().and(dataPath.isNotNull()));
        layers.editsProperty().addListener((o, a, b) -> autosave());
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
     * Opens {@code modelFile} and, when {@code data} is not null, calibrates it on that data with the toolbar's
     * settings; thresholds saved in its project file come back. Then runs {@code then} on the ui thread (also after
     * a failure, not after a cancel).
     */
    public void open(Path modelFile, Path data, Path preprocessSpec, Runnable then) {
        status.set("Opening " + modelFile.getFileName() + "…");
        Calibrator.Settings s = settings();
        project.flush();
        runner.submit((token, monitor) -> ModelLoader.load(modelFile, data, preprocessSpec, s, token, monitor),
                result -> {
                    apply(result, preprocessSpec);
                    runAfter(then);
                },
                error -> {
                    fail("Could not open " + modelFile.getFileName(), error);
                    runAfter(then);
                });
    }

    /** Calibrates the open model on {@code data} (an .npy/.npz/.pb file or a folder). */
    public void openData(Path data) {
        calibrate(data, null);
    }

    /** Calibrates the open model again on its data with the toolbar's settings (the Calibrate button). */
    public void calibrate() {
        Path data = dataPath.get();
        if (data == null) {
            failure.set(new Failure("Nothing to calibrate with", "open calibration data first"));
            return;
        }
        calibrate(data, null);
    }

    /**
     * Runs the calibration on {@code data} in the background, with progress; the result replaces every range that
     * was not set by hand. Cancelling leaves everything as it was and writes nothing. {@code then} runs after
     * success or failure.
     */
    public void calibrate(Path data, Runnable then) {
        Model current = model;
        Path file = modelPath.get();
        if (current == null) {
            failure.set(new Failure("No model open", "open a model before its calibration data"));
            return;
        }
        Calibrator.Settings s = settings();
        Path pre = preprocess;
        status.set("Calibrating on " + data.getFileName() + "…");
        runner.submit((token, monitor) -> Calibrator.run(current, file, data, pre, s, token, monitor),
                r -> {
                    applyCalibration(r, true);
                    dataPath.set(data);
                    remember(data);
                    status.set(statusText());
                    runAfter(then);
                },
                error -> {
                    fail("Could not use " + data.getFileName(), error);
                    runAfter(then);
                });
    }

    /**
     * Searches the selected tensor's threshold with {@code m} (a KL variant or mse) in the background, shows the
     * curve and moves the markers to its minimum.
     */
    public void searchSelected(RangeMethod m) {
        TensorRow row = layers.selectedProperty().get();
        if (row == null || row.calibration() == null) {
            failure.set(new Failure("Nothing to search", "select an activation of a calibrated model"));
            return;
        }
        ActivationStatistics a = row.calibration();
        RangeOptions o = HistogramViewModel.optionsFor(layers.specProperty().get());
        status.set(m.cliName() + " search on " + row.name() + "…");
        runner.submit((token, monitor) -> {
            monitor.progress(0, 1, m.cliName() + " search on " + row.name());
            return a.range(m, o);
        }, r -> {
            histogram.searchFinished(row, m, r, true);
            status.set(m.cliName() + " search on " + row.name() + ": clip at " + Format.number(r.range().lo())
                    + " … " + Format.number(r.range().hi()));
        }, error -> fail(m.cliName() + " search failed", error));
    }

    /**
     * Searches every calibrated activation with {@code m} in the background (progress per tensor, cancellable) and
     * clips each at its minimum, except ranges set by hand, which are kept.
     */
    public void searchAll(RangeMethod m) {
        List<TensorRow> rows = layers.rows().stream().filter(r -> r.calibration() != null).toList();
        if (rows.isEmpty()) {
            failure.set(new Failure("Nothing to search", "calibrate the model on data first"));
            return;
        }
        RangeOptions o = HistogramViewModel.optionsFor(layers.specProperty().get());
        runner.submit((token, monitor) -> {
            // Progress goes out from the submitting thread only (it searches too): a view-model test's UI executor
            // runs listeners on whichever thread reports.
            Thread reporter = Thread.currentThread();
            AtomicInteger done = new AtomicInteger();
            SearchResult[] found = SearchBatch.run(rows.size(), searchWorkers, i -> {
                token.throwIfCancelled();
                SearchResult r = rows.get(i).calibration().range(m, o);
                int n = done.incrementAndGet();
                if (Thread.currentThread() == reporter) {
                    monitor.progress(n, rows.size(), m.cliName() + " search, " + n + " of " + rows.size() + " tensors");
                }
                return r;
            });
            Map<TensorRow, SearchResult> out = new LinkedHashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                out.put(rows.get(i), found[i]);
            }
            return out;
        }, results -> {
            int kept = 0;
            for (Map.Entry<TensorRow, SearchResult> e : results.entrySet()) {
                boolean manual = e.getKey().clip() != null && e.getKey().clip().manual();
                kept += manual ? 1 : 0;
                histogram.searchFinished(e.getKey(), m, e.getValue(), !manual);
            }
            status.set(m.cliName() + " search on " + results.size() + " tensors"
                    + (kept > 0 ? "; " + kept + " ranges set by hand were kept" : ""));
        }, error -> fail(m.cliName() + " search failed", error));
    }

    /** Cancels the running job; what it was doing is left as before. */
    public void cancel() {
        if (runner.isRunning()) {
            runner.cancel();
            status.set("Cancelled");
        }
    }

    /**
     * The calibration table as the app holds it now: the last calibration's entries for ranges left as calibrated
     * (bit for bit what {@code calibrate} writes for the same settings), new entries for ranges that were dragged,
     * typed, adopted or searched (manual flag set for those set by hand), and the weights. Null without a model.
     */
    public CalibrationTable currentTable() {
        if (model == null) {
            return null;
        }
        Calibrator.Result c = calibration.get();
        return CurrentTable.of(c != null ? c.table().table() : weightsTable, layers);
    }

    /**
     * Writes the current table to {@code out} in format {@code f} (atomically: no half-written file) and returns
     * the format's warnings.
     */
    public List<String> exportTable(TableFormat f, Path out) {
        CalibrationTable t = currentTable();
        if (t == null) {
            throw new IllegalStateException("no model open");
        }
        return TableFormats.write(t, f, model, out);
    }

    /** Off in snapshot mode and for read-only models: no project file is written. */
    public void setAutosave(boolean on) {
        autosave = on;
        if (!on) {
            project.discardPending();
        }
    }

    /** Writes a pending project save now (on quit). */
    public void flushProject() {
        project.flush();
    }

    private void autosave() {
        Path file = modelPath.get();
        if (autosave && file != null && model != null) {
            project.schedule(file, currentTable());
        }
    }

    private void apply(LoadResult r, Path preprocessSpec) {
        model = r.model();
        weightsTable = r.weightsTable();
        preprocess = preprocessSpec;
        histogram.clearCaches();
        calibration.set(null);
        layers.setEntries(r.entries());
        modelPath.set(r.modelPath());
        dataPath.set(r.calibration() != null ? r.dataPath() : null);
        if (r.calibration() != null) {
            applyCalibration(r.calibration(), false);
        }
        int restored = r.project() == null ? 0 : CurrentTable.restore(r.project().table(), layers);
        title.set("QuantLens — " + r.modelPath().getFileName());
        remember(r.modelPath());
        status.set(statusText() + (restored > 0 ? "; " + restored + " thresholds restored from "
                + ProjectFile.pathFor(r.modelPath()).getFileName() : ""));
        if (r.dataError() != null) {
            boolean dataFailed = r.dataPath() != null && r.calibration() == null;
            Path what = dataFailed ? r.dataPath() : ProjectFile.pathFor(r.modelPath());
            failure.set(new Failure("Could not use " + what.getFileName(), r.dataError()));
        }
        selectFirstWithHistogram();
    }

    /** Applies a calibration; with {@code keepManual} ranges set by hand stay as they are. */
    private void applyCalibration(Calibrator.Result r, boolean keepManual) {
        Map<String, ClipState> manual = new LinkedHashMap<>();
        if (keepManual) {
            layers.rows().stream().filter(x -> x.clip() != null && x.clip().manual())
                    .forEach(x -> manual.put(x.name(), x.clip()));
        }
        histogram.clearCaches();
        calibration.set(r);
        layers.applyCalibration(r.statistics().activations(), r.table().table(), r.table().warnings(), r.pictures());
        manual.forEach((name, c) -> layers.setClip(layers.find(name), c.lo(), c.hi(), ClipState.MANUAL));
        TensorRow sel = layers.selectedProperty().get();
        if (sel == null || !sel.hasHistogram()) {
            selectFirstWithHistogram();
        }
    }

    /** Selects the first activation with a histogram (else the first weight), so the views show something. */
    void selectFirstWithHistogram() {
        TensorRow pick = layers.rows().stream().filter(x -> x.kind() == TensorKind.ACTIVATION && x.hasHistogram()
                && !"input".equals(x.op())).findFirst()
                .orElse(layers.rows().stream().filter(TensorRow::hasHistogram).findFirst().orElse(null));
        layers.selectedProperty().set(pick);
    }

    private Calibrator.Settings settings() {
        return new Calibrator.Settings(method.get(), scheme.get(), bits.get(), perChannel.get());
    }

    private String statusText() {
        long weights = layers.rows().stream().filter(r -> r.kind() == TensorKind.WEIGHT).count();
        long acts = layers.rows().size() - weights;
        Calibrator.Result c = calibration.get();
        String data = dataPath.get() == null || c == null ? "no calibration data"
                : "calibrated with " + c.settings().method().cliName() + " on " + dataPath.get().getFileName()
                + " (" + c.statistics().samples() + " samples)";
        return weights + " weights, " + acts + " activations; " + data;
    }
    private void remember(Path file) {
        recentFiles.setAll(prefs.addRecent(file));
        // java.util.prefs syncs to disk: hundreds of ms on a busy machine, never on the FX thread
        java.util.concurrent.CompletableFuture.runAsync(prefs::flush);
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
        return recentFilesView;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public ObjectProperty<RangeMethod> methodProperty() {
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

    /** True when a model and its calibration data are open. */
    public ReadOnlyBooleanProperty calibrateAvailableProperty() {
        return calibrateAvailable.getReadOnlyProperty();
    }

    /** The last calibration, or null. */
    public ReadOnlyObjectProperty<Calibrator.Result> calibrationProperty() {
        return calibration.getReadOnlyProperty();
    }
}
