package org.quantlens.app.export;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.quantlens.app.evaluate.TableSource;
import org.quantlens.app.fx.LatestTaskRunner;
import org.quantlens.app.fx.Messages;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.formats.TableFormat;

/**
 * State of the export dialog: the model, the table source (the main window's table, a table file, or minmax on
 * the calibration data), the format (every CONTRACTS.md format) and the output path, which follows the format
 * ({@link ExportJob#defaultOut}) until the user picks one. {@link #export()} writes in the background; the
 * writer's warnings (entries a format cannot carry, zero ranges) are listed afterwards.
 */
public final class ExportViewModel {
    private final ObjectProperty<Path> modelPath = new SimpleObjectProperty<>(this, "modelPath");
    private final ObjectProperty<Path> calibrationData = new SimpleObjectProperty<>(this, "calibrationData");
    private final ObjectProperty<CalibrationTable> table = new SimpleObjectProperty<>(this, "table");
    private final ObjectProperty<Path> tableFile = new SimpleObjectProperty<>(this, "tableFile");
    private final ObjectProperty<TableFormat> format = new SimpleObjectProperty<>(this, "format",
            TableFormat.QUANTLENS_JSON);
    private final ObjectProperty<Path> out = new SimpleObjectProperty<>(this, "out");
    private final ObservableList<String> warnings = FXCollections.observableArrayList();
    /** One read-only view, kept: a fresh wrapper per call would drop its listeners when collected. */
    private final ObservableList<String> warningsView = FXCollections.unmodifiableObservableList(warnings);
    private final ReadOnlyObjectWrapper<Path> written = new ReadOnlyObjectWrapper<>(this, "written");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper tableText = new ReadOnlyStringWrapper(this, "tableText");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final BooleanBinding exportable;
    private final LatestTaskRunner runner;
    private boolean outChosen;

    public ExportViewModel(Executor background, Executor ui) {
        runner = new LatestTaskRunner(background, ui, new LatestTaskRunner.Listener() {
            @Override
            public void running(boolean running) {
                busy.set(running);
            }

            @Override
            public void progress(double fraction, String message) {
                if (!message.isEmpty()) {
                    status.set(Character.toUpperCase(message.charAt(0)) + message.substring(1) + "…");
                }
            }
        });
        exportable = Bindings.createBooleanBinding(() -> modelPath.get() != null && out.get() != null
                        && format.get() != null && source().available() && !busy.get(), modelPath, out, format, table,
                tableFile, calibrationData, busy);
        tableText.bind(Bindings.createStringBinding(() -> "Table: " + source().describe(), table, tableFile,
                calibrationData));
        format.addListener((o, a, b) -> suggestOut());
        modelPath.addListener((o, a, b) -> suggestOut());
    }

    private void suggestOut() {
        if (!outChosen && modelPath.get() != null && format.get() != null) {
            out.set(ExportJob.defaultOut(modelPath.get(), format.get()));
        }
    }

    /** The user picked {@code path}: it no longer follows the format. */
    public void chooseOut(Path path) {
        outChosen = path != null;
        out.set(path);
        if (path == null) {
            suggestOut();
        }
    }

    private TableSource source() {
        return new TableSource(table.get(), tableFile.get(), calibrationData.get());
    }

    /** Writes the table in the background; {@link #writtenProperty()} and the warnings follow on success. */
    public void export() {
        Path m = modelPath.get();
        Path o = out.get();
        TableFormat f = format.get();
        if (m == null || o == null || f == null) {
            status.set("Open a model and choose where to write");
            return;
        }
        TableSource src = source();
        warnings.clear();
        written.set(null);
        status.set("Exporting " + f.cliName() + "…");
        runner.submit((token, progress) -> ExportJob.run(m, src, f, o, token, progress), r -> {
            warnings.setAll(r.warnings());
            written.set(r.out());
            status.set("Wrote " + r.out().getFileName() + " (" + f.cliName() + ", " + r.table() + ")"
                    + (r.warnings().isEmpty() ? "" : "; " + r.warnings().size() + " warning"
                    + (r.warnings().size() > 1 ? "s" : "")));
        }, e -> status.set("Export failed: " + Messages.oneLine(e)));
    }

    public void cancel() {
        runner.cancel();
    }

    public ObjectProperty<Path> modelPathProperty() {
        return modelPath;
    }

    public ObjectProperty<Path> calibrationDataProperty() {
        return calibrationData;
    }

    public ObjectProperty<CalibrationTable> tableProperty() {
        return table;
    }

    public ObjectProperty<Path> tableFileProperty() {
        return tableFile;
    }

    public ObjectProperty<TableFormat> formatProperty() {
        return format;
    }

    /** Where the export goes (read it; set it with {@link #chooseOut}). */
    public ReadOnlyObjectProperty<Path> outProperty() {
        return out;
    }

    public ObservableList<String> warnings() {
        return warningsView;
    }

    /** The file or folder of the last successful export, null before one. */
    public ReadOnlyObjectProperty<Path> writtenProperty() {
        return written.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty tableTextProperty() {
        return tableText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding exportableProperty() {
        return exportable;
    }
}
