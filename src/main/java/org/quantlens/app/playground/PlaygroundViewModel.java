package org.quantlens.app.playground;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.quantlens.app.histogram.TensorHistogram;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

/**
 * The teaching playground's state. Values come from a synthetic {@link Distribution} (fixed seed, adjustable
 * outliers) or from the tensor selected in the main window; their range [rangeMin, rangeMax] (reset to the values'
 * min/max whenever the values change, editable afterwards) is mapped side by side onto int8 symmetric and uint8
 * asymmetric grids ({@link Mapping}), at {@link #bitsProperty()} bits. A second panel works one int8 dot product
 * through accumulation and requantization ({@link MultiplicationModel}). Everything here is cheap and recomputed
 * synchronously on every change.
 */
public final class PlaygroundViewModel {
    /** Values drawn from a synthetic distribution. */
    public static final int SYNTHETIC_VALUES = 20_000;
    /** At most this many values are rebuilt from a selected tensor's histogram. */
    public static final int TENSOR_VALUES = 50_000;

    private final ObjectProperty<Distribution> distribution = new SimpleObjectProperty<>(this, "distribution",
            Distribution.GAUSSIAN);
    private final BooleanProperty fromSelected = new SimpleBooleanProperty(this, "fromSelected");
    private final DoubleProperty outlierFraction = new SimpleDoubleProperty(this, "outlierFraction", 0);
    private final DoubleProperty outlierMagnitude = new SimpleDoubleProperty(this, "outlierMagnitude", 8);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 1);
    private final IntegerProperty bits = new SimpleIntegerProperty(this, "bits", 8);
    private final StringProperty selectedName = new SimpleStringProperty(this, "selectedName");
    private final ObjectProperty<TensorHistogram> selectedHistogram = new SimpleObjectProperty<>(this,
            "selectedHistogram");
    private final DoubleProperty rangeMin = new SimpleDoubleProperty(this, "rangeMin", -1);
    private final DoubleProperty rangeMax = new SimpleDoubleProperty(this, "rangeMax", 1);
    private final ReadOnlyObjectWrapper<float[]> values = new ReadOnlyObjectWrapper<>(this, "values", new float[0]);
    private final ReadOnlyObjectWrapper<Mapping> symmetric = new ReadOnlyObjectWrapper<>(this, "symmetric");
    private final ReadOnlyObjectWrapper<Mapping> asymmetric = new ReadOnlyObjectWrapper<>(this, "asymmetric");
    private final ReadOnlyStringWrapper sourceText = new ReadOnlyStringWrapper(this, "sourceText", "");
    private final MultiplicationModel multiplication = new MultiplicationModel();
    private boolean updating;

    public PlaygroundViewModel() {
        Runnable regenerate = this::regenerate;
        distribution.addListener((o, a, b) -> regenerate.run());
        fromSelected.addListener((o, a, b) -> regenerate.run());
        outlierFraction.addListener((o, a, b) -> regenerate.run());
        outlierMagnitude.addListener((o, a, b) -> regenerate.run());
        seed.addListener((o, a, b) -> regenerate.run());
        selectedHistogram.addListener((o, a, b) -> {
            if (fromSelected.get()) {
                regenerate.run();
            }
        });
        rangeMin.addListener((o, a, b) -> remap());
        rangeMax.addListener((o, a, b) -> remap());
        bits.addListener((o, a, b) -> remap());
        regenerate();
    }

    /** Draws the values again and resets the range to their min and max. */
    void regenerate() {
        float[] v;
        TensorHistogram h = selectedHistogram.get();
        if (fromSelected.get() && h != null) {
            v = fromHistogram(h, TENSOR_VALUES);
            sourceText.set((selectedName.get() == null ? "selected tensor" : selectedName.get())
                    + ": values rebuilt from its histogram");
        } else {
            v = distribution.get().sample(SYNTHETIC_VALUES, outlierFraction.get(), outlierMagnitude.get(),
                    seed.get());
            sourceText.set(SYNTHETIC_VALUES + " values, " + distribution.get() + ", seed " + seed.get()
                    + (fromSelected.get() ? " (no tensor with a histogram selected)" : ""));
        }
        values.set(v);
        double lo = h != null && fromSelected.get() ? h.min() : ValueRange.min(v);
        double hi = h != null && fromSelected.get() ? h.max() : ValueRange.max(v);
        updating = true;
        try {
            rangeMin.set(lo);
            rangeMax.set(hi);
        } finally {
            updating = false;
        }
        remap();
    }

    /** Recomputes both mappings for the current range and bits. */
    void remap() {
        if (updating) {
            return;
        }
        double lo = rangeMin.get();
        double hi = rangeMax.get();
        if (!(Double.isFinite(lo) && Double.isFinite(hi)) || lo > hi) {
            return;
        }
        int b = bits.get();
        symmetric.set(Mapping.of(values.get(), lo, hi, QuantSpec.of(QuantScheme.INT8_SYMMETRIC, b)));
        asymmetric.set(Mapping.of(values.get(), lo, hi, QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC, b)));
    }

    /**
     * About {@code max} values distributed as {@code h}: each bin's count, scaled so the total is at most max,
     * rounded, placed evenly across the bin (a bin with a count keeps at least one value).
     */
    static float[] fromHistogram(TensorHistogram h, int max) {
        double total = h.total();
        double k = total <= max ? 1 : max / total;
        int n = 0;
        int[] per = new int[h.bins()];
        for (int i = 0; i < h.bins(); i++) {
            double c = h.counts()[i];
            per[i] = c <= 0 ? 0 : Math.max(1, (int) Math.round(c * k));
            n += per[i];
        }
        float[] v = new float[n];
        int j = 0;
        for (int i = 0; i < h.bins(); i++) {
            for (int m = 0; m < per[i]; m++) {
                v[j++] = (float) (h.edge(i) + h.binWidth() * (m + 0.5) / per[i]);
            }
        }
        return v;
    }


    /** Picks another seed (the next one), drawing new synthetic values. */
    public void nextSeed() {
        seed.set(seed.get() + 1);
    }

    /** Resets the range to the values' min and max. */
    public void resetRange() {
        regenerate();
    }

    public ObjectProperty<Distribution> distributionProperty() {
        return distribution;
    }

    public BooleanProperty fromSelectedProperty() {
        return fromSelected;
    }

    public DoubleProperty outlierFractionProperty() {
        return outlierFraction;
    }

    public DoubleProperty outlierMagnitudeProperty() {
        return outlierMagnitude;
    }

    public IntegerProperty seedProperty() {
        return seed;
    }

    public IntegerProperty bitsProperty() {
        return bits;
    }

    /** The selected tensor's name (bind to the main window's selection). */
    public StringProperty selectedNameProperty() {
        return selectedName;
    }

    /** The selected tensor's histogram, null when it has none. */
    public ObjectProperty<TensorHistogram> selectedHistogramProperty() {
        return selectedHistogram;
    }

    public DoubleProperty rangeMinProperty() {
        return rangeMin;
    }

    public DoubleProperty rangeMaxProperty() {
        return rangeMax;
    }

    public ReadOnlyObjectProperty<float[]> valuesProperty() {
        return values.getReadOnlyProperty();
    }

    /** The int8 symmetric mapping of the range ([-127, 127], zero point 0). */
    public ReadOnlyObjectProperty<Mapping> symmetricProperty() {
        return symmetric.getReadOnlyProperty();
    }

    /** The uint8 asymmetric mapping of the range ([0, 255], zero point from the range). */
    public ReadOnlyObjectProperty<Mapping> asymmetricProperty() {
        return asymmetric.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sourceTextProperty() {
        return sourceText.getReadOnlyProperty();
    }

    public MultiplicationModel multiplication() {
        return multiplication;
    }
}
