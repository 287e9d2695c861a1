package org.quantlens.app.layers;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.quantlens.quant.QuantSpec;

/**
 * The layer browser's state: one {@link TensorRow} per quantizable tensor, a text filter (case-insensitive
 * substring of name, op, kind or warnings), the quantization spec the clip states are computed with, and the
 * selected row, which the histogram and every later view follow. FX thread only.
 */
public final class LayerBrowserViewModel {
    private final ObservableList<TensorRow> rows = FXCollections.observableArrayList();
    private final FilteredList<TensorRow> visible = new FilteredList<>(rows, r -> true);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<TensorRow> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<QuantSpec> spec = new SimpleObjectProperty<>(this, "spec",
            QuantSpec.activationsDefault());

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
        return FXCollections.unmodifiableObservableList(rows);
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
