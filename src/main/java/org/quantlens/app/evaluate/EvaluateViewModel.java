package org.quantlens.app.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.quantlens.app.fx.LatestTaskRunner;
import org.quantlens.app.fx.Messages;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.runtime.EvaluationReport;

/**
 * State of the INT8 evaluation panel. Inputs: the model and calibration data (bind them to the main window's), the
 * current table when the main window has one, or a table file; the evaluation batch (.npy) and optional labels.
 * {@link #run()} evaluates in the background with progress; {@link #cancel()} stops it and keeps the previous
 * report. Outputs: the report's figures as text, the per-layer rows for the SQNR chart, the fallback nodes, and
 * {@link #selectedLayerProperty()}, which a click on a layer's bar sets (the main window binds its selection to it).
 */
public final class EvaluateViewModel {
    private final ObjectProperty<Path> modelPath = new SimpleObjectProperty<>(this, "modelPath");
    private final ObjectProperty<Path> calibrationData = new SimpleObjectProperty<>(this, "calibrationData");
    private final ObjectProperty<CalibrationTable> table = new SimpleObjectProperty<>(this, "table");
    private final ObjectProperty<Path> tableFile = new SimpleObjectProperty<>(this, "tableFile");
    private final ObjectProperty<Path> data = new SimpleObjectProperty<>(this, "data");
    private final ObjectProperty<Path> labels = new SimpleObjectProperty<>(this, "labels");
    private final ReadOnlyObjectWrapper<EvaluationReport> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ObservableList<EvaluationReport.Layer> layers = FXCollections.observableArrayList();
    /** One read-only view, kept: a fresh wrapper per call would drop its listeners when collected. */
    private final ObservableList<EvaluationReport.Layer> layersView = FXCollections.unmodifiableObservableList(layers);
    private final ObservableList<String> fallbacks = FXCollections.observableArrayList();
    /** One read-only view, kept: a fresh wrapper per call would drop its listeners when collected. */
    private final ObservableList<String> fallbacksView = FXCollections.unmodifiableObservableList(fallbacks);
    private final ObservableList<String> warnings = FXCollections.observableArrayList();
    /** One read-only view, kept: a fresh wrapper per call would drop its listeners when collected. */
    private final ObservableList<String> warningsView = FXCollections.unmodifiableObservableList(warnings);
    private final StringProperty selectedLayer = new SimpleStringProperty(this, "selectedLayer");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper tableText = new ReadOnlyStringWrapper(this, "tableText");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final BooleanBinding runnable;
    private final LatestTaskRunner runner;

    public EvaluateViewModel(Executor background, Executor ui) {
        runner = new LatestTaskRunner(background, ui, new LatestTaskRunner.Listener() {
            @Override
            public void running(boolean running) {
                busy.set(running);
                progress.set(running ? -1 : 0);
            }

            @Override
            public void progress(double fraction, String message) {
                progress.set(fraction);
                if (!message.isEmpty()) {
                    status.set(Character.toUpperCase(message.charAt(0)) + message.substring(1) + "…");
                }
            }
        });
        runnable = Bindings.createBooleanBinding(() -> modelPath.get() != null && data.get() != null
                && source().available() && !busy.get(), modelPath, data, table, tableFile, calibrationData, busy);
        tableText.bind(Bindings.createStringBinding(() -> "Table: " + source().describe(), table, tableFile,
                calibrationData));
        data.addListener((o, a, d) -> guessLabels(d));
        status.set(hint());
        modelPath.addListener((o, a, b) -> status.set(hint()));
        modelPath.addListener((o, a, m) -> guessData(m));
        data.addListener((o, a, b) -> status.set(hint()));
    }

    private String hint() {
        if (modelPath.get() == null) {
            return "Open a model to evaluate it in INT8";
        }
        return data.get() == null ? "Choose an evaluation set (.npy, labels optional), then Run" : "Ready to run";
    }

    /**
     * A bundled sample keeps its evaluation set beside the model ({@code eval.npy}, {@code eval_labels.npy}): offer
     * it when no set was chosen, so evaluation is one click away.
     */
    private void guessData(Path model) {
        if (model == null || data.get() != null || model.getParent() == null) {
            return;
        }
        Path eval = model.resolveSibling("eval.npy");
        if (Files.isRegularFile(eval)) {
            data.set(eval);
        }
    }

    /** When {@code X.npy} is chosen and {@code X_labels.npy} (or {@code labels.npy}) lies beside it, use it. */
    private void guessLabels(Path d) {
        if (d == null || labels.get() != null) {
            return;
        }
        String n = d.getFileName().toString();
        String stem = n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
        for (String c : List.of(stem + "_labels.npy", "labels.npy")) {
            Path p = d.resolveSibling(c);
            if (Files.isRegularFile(p)) {
                labels.set(p);
                return;
            }
        }
    }

    private TableSource source() {
        return new TableSource(table.get(), tableFile.get(), calibrationData.get());
    }

    /** Evaluates in the background (cancels a running evaluation first). */
    public void run() {
        Path m = modelPath.get();
        Path d = data.get();
        if (m == null || d == null) {
            status.set(hint());
            return;
        }
        TableSource src = source();
        Path l = labels.get();
        status.set("Evaluating " + d.getFileName() + "…");
        runner.submit((token, monitor) -> EvaluationJob.run(m, src, d, l, token, monitor), this::apply,
                e -> status.set("Evaluation failed: " + Messages.oneLine(e)));
    }

    void apply(EvaluationJob.Result r) {
        EvaluationReport rep = r.report();
        report.set(rep);
        layers.setAll(rep.layers());
        fallbacks.setAll(rep.fallbackNodes());
        warnings.setAll(r.warnings());
        status.set(String.format(Locale.ROOT, "%d samples with %s: FP32 %.2f s, INT8 %.2f s", rep.samples(),
                r.table(), rep.fp32Seconds(), rep.int8Seconds()));
    }

    /** Stops a running evaluation; the previous report stays. */
    public void cancel() {
        if (runner.isRunning()) {
            runner.cancel();
            status.set("Evaluation cancelled");
        }
    }

    /** Selects {@code layer} (a tensor name of the report), as a click on its bar does. */
    public void selectLayer(String layer) {
        selectedLayer.set(layer);
    }

    /** "97.50%" or "—" without labels or report. */
    public static String percent(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** "42.1 dB", "∞ dB" for an exact match, "—" for NaN. */
    public static String decibels(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞ dB" : "−∞ dB";
        }
        return String.format(Locale.ROOT, "%.1f dB", v);
    }

    public ObjectProperty<Path> modelPathProperty() {
        return modelPath;
    }

    public ObjectProperty<Path> calibrationDataProperty() {
        return calibrationData;
    }

    /** The main window's current table (null: use the table file or a minmax calibration). */
    public ObjectProperty<CalibrationTable> tableProperty() {
        return table;
    }

    public ObjectProperty<Path> tableFileProperty() {
        return tableFile;
    }

    public ObjectProperty<Path> dataProperty() {
        return data;
    }

    public ObjectProperty<Path> labelsProperty() {
        return labels;
    }

    public ReadOnlyObjectProperty<EvaluationReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    public ObservableList<EvaluationReport.Layer> layers() {
        return layersView;
    }

    public ObservableList<String> fallbackNodes() {
        return fallbacksView;
    }

    public ObservableList<String> warnings() {
        return warningsView;
    }

    /** The layer picked in the SQNR chart (a tensor name), or null. */
    public StringProperty selectedLayerProperty() {
        return selectedLayer;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty tableTextProperty() {
        return tableText.getReadOnlyProperty();
    }

    /** Fraction done, -1 while indeterminate. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** True when a model, an evaluation set and some table source are there and nothing runs. */
    public BooleanBinding runnableProperty() {
        return runnable;
    }
}
