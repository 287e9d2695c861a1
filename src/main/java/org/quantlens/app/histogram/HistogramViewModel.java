package org.quantlens.app.histogram;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.quantlens.app.layers.ClipState;
import org.quantlens.app.layers.Format;
import org.quantlens.app.layers.LayerBrowserViewModel;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.calib.metrics.ErrorMetrics;

/**
 * The histogram view's state: the shown tensor (the layer browser's selection), its histogram, the clip range as
 * two properties that the markers, the range slider and the number fields all bind to, and the metrics of that
 * range as text.
 *
 * <p>Moving either clip property writes the range back to the tensor's row as method "manual", which recomputes
 * scale, zero point and the error with the histogram error model in O(bins) at most — cheap enough to do on every
 * drag event on the FX thread. The minimum is kept at or below the maximum (moving one past the other pushes the
 * other along). Selecting a tensor loads its current clip range without marking it manual.
 */
public final class HistogramViewModel {
    private final LayerBrowserViewModel layers;
    private final ObjectProperty<TensorRow> tensor = new SimpleObjectProperty<>(this, "tensor");
    private final ReadOnlyObjectWrapper<TensorHistogram> histogram = new ReadOnlyObjectWrapper<>(this, "histogram");
    private final DoubleProperty clipMin = new SimpleDoubleProperty(this, "clipMin");
    private final DoubleProperty clipMax = new SimpleDoubleProperty(this, "clipMax");
    private final BooleanProperty logY = new SimpleBooleanProperty(this, "logY", true);
    private final ReadOnlyObjectWrapper<ClipState> clip = new ReadOnlyObjectWrapper<>(this, "clip");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "No tensor selected");
    private final ReadOnlyStringWrapper scaleText = new ReadOnlyStringWrapper(this, "scaleText", "");
    private final ReadOnlyStringWrapper zeroPointText = new ReadOnlyStringWrapper(this, "zeroPointText", "");
    private final ReadOnlyStringWrapper mseText = new ReadOnlyStringWrapper(this, "mseText", "");
    private final ReadOnlyStringWrapper sqnrText = new ReadOnlyStringWrapper(this, "sqnrText", "");
    private final ReadOnlyStringWrapper clippedText = new ReadOnlyStringWrapper(this, "clippedText", "");
    private final ReadOnlyStringWrapper cosineText = new ReadOnlyStringWrapper(this, "cosineText", "");
    private boolean loading;
    private final javafx.beans.value.ChangeListener<Object> rowStatsChanged = (o, a, b) -> show(tensor.get());
    private final javafx.beans.value.ChangeListener<ClipState> rowClipChanged = (o, a, c) -> followRowClip(c);

    public HistogramViewModel(LayerBrowserViewModel layers) {
        this.layers = layers;
        tensor.bind(layers.selectedProperty());
        tensor.addListener((o, old, row) -> {
            if (old != null) {
                old.statsProperty().removeListener(rowStatsChanged);
                old.clipProperty().removeListener(rowClipChanged);
            }
            if (row != null) {
                row.statsProperty().addListener(rowStatsChanged);
                row.clipProperty().addListener(rowClipChanged);
            }
            show(row);
        });
        clipMin.addListener((o, a, v) -> onClipMoved(true));
        clipMax.addListener((o, a, v) -> onClipMoved(false));
        layers.specProperty().addListener((o, a, b) -> refreshClip());
    }

    public ReadOnlyObjectProperty<TensorRow> tensorProperty() {
        return tensor;
    }

    public ReadOnlyObjectProperty<TensorHistogram> histogramProperty() {
        return histogram.getReadOnlyProperty();
    }

    public DoubleProperty clipMinProperty() {
        return clipMin;
    }

    public DoubleProperty clipMaxProperty() {
        return clipMax;
    }

    public BooleanProperty logYProperty() {
        return logY;
    }

    public ReadOnlyObjectProperty<ClipState> clipProperty() {
        return clip.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty scaleTextProperty() {
        return scaleText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty zeroPointTextProperty() {
        return zeroPointText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty mseTextProperty() {
        return mseText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sqnrTextProperty() {
        return sqnrText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty clippedTextProperty() {
        return clippedText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty cosineTextProperty() {
        return cosineText.getReadOnlyProperty();
    }

    /** Sets both ends at once (one metrics update), ordering them. */
    public void setClip(double lo, double hi) {
        loading = true;
        clipMin.set(Math.min(lo, hi));
        clipMax.set(Math.max(lo, hi));
        loading = false;
        onClipMoved(false);
    }

    /** Back to the observed [min, max] of the tensor. */
    public void resetToMinMax() {
        TensorRow row = tensor.get();
        if (row != null && row.stats() != null && !Double.isNaN(row.stats().min())) {
            setClip(row.stats().min(), row.stats().max());
        }
    }

    private void show(TensorRow row) {
        TensorHistogram h = row == null || !row.hasHistogram() ? null : row.stats().histogram();
        loading = true;
        try {
            histogram.set(h);
            title.set(row == null ? "No tensor selected" : row.name() + "  (" + row.kind() + ", " + row.op()
                    + (h == null ? ", no data yet: open calibration data" : "") + ")");
            if (row != null && row.clip() != null) {
                clipMin.set(row.clip().lo());
                clipMax.set(row.clip().hi());
            }
        } finally {
            loading = false;
        }
        refreshClip();
    }

    /** The row's clip changed from elsewhere (statistics arrived, scheme changed): follow it. */
    private void followRowClip(ClipState c) {
        if (loading || c == null) {
            refreshClip();
            return;
        }
        loading = true;
        try {
            clipMin.set(c.lo());
            clipMax.set(c.hi());
        } finally {
            loading = false;
        }
        refreshClip();
    }

    private void onClipMoved(boolean minMoved) {
        if (loading) {
            return;
        }
        TensorRow row = tensor.get();
        if (clipMin.get() > clipMax.get()) {
            loading = true;
            if (minMoved) {
                clipMax.set(clipMin.get());
            } else {
                clipMin.set(clipMax.get());
            }
            loading = false;
        }
        if (row != null && row.hasHistogram()) {
            loading = true;
            try {
                layers.setClip(row, clipMin.get(), clipMax.get(), "manual");
            } finally {
                loading = false;
            }
        }
        refreshClip();
    }

    private void refreshClip() {
        TensorRow row = tensor.get();
        ClipState c = row == null ? null : row.clip();
        clip.set(c);
        ErrorMetrics m = c == null ? null : c.metrics();
        scaleText.set(c == null ? "" : Format.number(c.params().scale()));
        zeroPointText.set(c == null ? "" : Integer.toString(c.params().zeroPoint()));
        mseText.set(m == null ? "" : Format.number(m.mse()));
        sqnrText.set(m == null ? "" : Format.decibels(m.sqnrDb()));
        clippedText.set(m == null ? "" : Format.percent(m.fractionClipped()));
        cosineText.set(m == null ? "" : String.format(java.util.Locale.ROOT, "%.6f", m.cosine()));
    }
}
