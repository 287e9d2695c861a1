package org.quantlens.app.layers;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.quant.QuantSpec;

/**
 * The layer browser's state: one {@link TensorRow} per quantizable tensor, a text filter (case-insensitive
 * substring of name, op, kind or warnings), the quantization spec the clip states are computed with, and the
 * selected row, which the histogram and every later view follow. FX thread only.
 */
public final class LayerBrowserViewModel {
    private final ObservableList<TensorRow> rows = FXCollections.observableArrayList();
    private final ObservableList<TensorRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final FilteredList<TensorRow> visible = new FilteredList<>(rows, r -> true);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<TensorRow> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<QuantSpec> spec = new SimpleObjectProperty<>(this, "spec",
            QuantSpec.activationsDefault());
    private final ReadOnlyLongWrapper edits = new ReadOnlyLongWrapper(this, "edits");

    public LayerBrowserViewModel() {
        filter.addListener((o, a, text) -> visible.setPredicate(r -> matches(r, text)));
        spec.addListener((o, a, b) -> rows.forEach(r -> {
            if (r.clip() != null) {
                setClip(r, r.clip().lo(), r.clip().hi(), r.clip().method());
            }
        }));
    }

    /** All rows in execution order. */
    public ObservableList<TensorRow> rows() {
        return rowsView; // one wrapper: listeners on a fresh one would vanish with it
    }

    /** The rows passing the filter (the table sorts a view of this). */
    public ObservableList<TensorRow> visibleRows() {
        return visible;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<TensorRow> selectedProperty() {
        return selected;
    }

    public ObjectProperty<QuantSpec> specProperty() {
        return spec;
    }

    /** Replaces every row (a new model); each tensor with statistics starts clipped at its observed min/max. */
    public void setEntries(List<TensorEntry> entries) {
        selected.set(null);
        rows.setAll(entries.stream().map(TensorRow::new).toList());
        rows.forEach(this::resetToMinMax);
    }

    /** Attaches activation statistics by name and clips those tensors at their observed min/max. */
    public void applyStats(Map<String, TensorStats> stats) {
        for (TensorRow r : rows) {
            TensorStats s = stats.get(r.name());
            if (s != null) {
                r.setStats(s);
                resetToMinMax(r);
            }
        }
    }

    /**
     * Takes a calibration run's result: every activation the run observed gets the run's histogram (with the
     * warnings it implies plus {@code warnings} that name it, "tensor NAME: ..." as {@link
     * org.quantlens.calib.CalibrationTables} words them) and is clipped to its table entry, which is remembered as
     * the calibrated choice. Weights keep their statistics. {@code pictures} are the histograms' pictures and error
     * models, built in the background by {@link ActivationPicture#of} (on the FX thread, 37 of them took over
     * 100 ms in a cold JVM); an activation missing from it gets them built here.
     */
    public void applyCalibration(Map<String, ActivationStatistics> statistics, CalibrationTable table,
                                 List<String> warnings, Map<String, ActivationPicture> pictures) {
        Map<String, ActivationEntry> entries = table.activationEntries();
        for (TensorRow r : rows) {
            ActivationStatistics a = statistics.get(r.name());
            ActivationEntry e = entries.get(r.name());
            if (a == null || e == null) {
                continue;
            }
            String prefix = "tensor " + r.name() + ": ";
            List<String> mine = warnings.stream().filter(w -> w.startsWith(prefix))
                    .map(w -> shortWarning(w.substring(prefix.length()))).distinct().toList();
            ActivationPicture picture = pictures.get(r.name());
            if (picture == null) {
                picture = ActivationPicture.of(a);
            }
            r.setStats(TensorStats.of(picture.histogram(), mine), picture.errorModel());
            r.setCalibration(a, e);
            setClip(r, e.min(), e.max(), e.method());
        }
    }

    /** A table warning cut to a few words for the table's column (the tooltip and the log keep it whole). */
    static String shortWarning(String w) {
        String lower = w.toLowerCase(Locale.ROOT);
        if (lower.contains("single candidate") || lower.contains("only one candidate")) {
            return "single-candidate KL";
        }
        if (lower.contains("degenerate") || lower.contains("constant data")) {
            return "degenerate range";
        }
        if (lower.contains("nan/inf")) {
            return "NaN/Inf values";
        }
        int cut = w.indexOf(':');
        return cut > 0 && cut < 40 ? w.substring(0, cut) : w.length() > 40 ? w.substring(0, 40) + "…" : w;
    }

    /**
     * The user (a drag, a field, an adopted method, a search) set {@code row}'s clip range: as {@link #setClip},
     * and counted in {@link #editsProperty()} so the project file is saved.
     */
    public void setClipByUser(TensorRow row, double lo, double hi, String method) {
        setClip(row, lo, hi, method);
        edits.set(edits.get() + 1);
    }

    /** Increases by one with every edit made by the user (the autosave listens). */
    public ReadOnlyLongProperty editsProperty() {
        return edits.getReadOnlyProperty();
    }

    /** Names of the activations, the tensors the data run has to observe. */
    public Set<String> activationNames() {
        return rows.stream().filter(r -> r.kind() == TensorKind.ACTIVATION).map(TensorRow::name)
                .collect(Collectors.toSet());
    }

    /** The row named {@code name}, or null. */
    public TensorRow find(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** Sets the row's clip range and recomputes its scale, zero point and error under the current spec. */
    public void setClip(TensorRow row, double lo, double hi, String method) {
        row.setClip(ClipState.of(lo, hi, method, spec.get(), row.errorModel()));
    }

    /** As {@link #setClipByUser} while a marker is being dragged: the row's metrics leave KL out (O(1)). */
    public void dragClip(TensorRow row, double lo, double hi) {
        row.setClip(ClipState.of(lo, hi, ClipState.MANUAL, spec.get(), row.errorModel(), false));
        edits.set(edits.get() + 1);
    }

    private void resetToMinMax(TensorRow r) {
        TensorStats s = r.stats();
        if (s != null && !Double.isNaN(s.min())) {
            setClip(r, s.min(), s.max(), "minmax");
        }
    }

    static boolean matches(TensorRow r, String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        String warnings = r.stats() == null ? "" : String.join(" ", r.stats().warnings());
        return (r.name() + " " + r.op() + " " + r.kind() + " " + warnings).toLowerCase(Locale.ROOT).contains(t);
    }
}
