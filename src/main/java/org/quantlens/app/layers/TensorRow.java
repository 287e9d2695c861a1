package org.quantlens.app.layers;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.metrics.HistogramErrorModel;

/**
 * A row of the layer browser: the fixed facts of a tensor plus two observable parts, its statistics (activations
 * get them after the data has run) and its clip state (changes whenever a threshold moves). Lives on the FX
 * thread.
 */
public final class TensorRow {
    private final String name;
    private final TensorKind kind;
    private final String op;
    private final String shape;
    private final ObjectProperty<TensorStats> stats = new SimpleObjectProperty<>(this, "stats");
    private final ObjectProperty<ClipState> clip = new SimpleObjectProperty<>(this, "clip");
    private HistogramErrorModel errorModel;
    private ActivationStatistics calibration;
    private ActivationEntry calibrated;

    public TensorRow(TensorEntry e) {
        this.name = e.name();
        this.kind = e.kind();
        this.op = e.op();
        this.shape = e.shape();
        stats.set(e.stats());
        stats.addListener((o, a, b) -> errorModel = null);
    }

    public String name() {
        return name;
    }

    public TensorKind kind() {
        return kind;
    }

    public String op() {
        return op;
    }

    public String shape() {
        return shape;
    }

    public ReadOnlyObjectProperty<TensorStats> statsProperty() {
        return stats;
    }

    public TensorStats stats() {
        return stats.get();
    }

    void setStats(TensorStats s) {
        stats.set(s);
    }

    /** As {@link #setStats(TensorStats)} with the histogram's error model already built (in the background). */
    void setStats(TensorStats s, HistogramErrorModel model) {
        stats.set(s);
        errorModel = model;
    }

    public ReadOnlyObjectProperty<ClipState> clipProperty() {
        return clip;
    }

    public ClipState clip() {
        return clip.get();
    }

    void setClip(ClipState c) {
        clip.set(c);
    }

    /** The error model of the current histogram, built once per histogram; null without one. */
    public HistogramErrorModel errorModel() {
        TensorStats s = stats.get();
        if (errorModel == null && s != null && s.histogram() != null && s.histogram().total() > 0) {
            errorModel = s.histogram().errorModel();
        }
        return errorModel;
    }

    /**
     * What the last calibration run learned about this activation (every method's range can be asked of it), or
     * null (weights, or no calibration yet). Read-only once set, so background searches may read it.
     */
    public ActivationStatistics calibration() {
        return calibration;
    }

    /** The calibration table's entry for this activation as the last calibration chose it, or null. */
    public ActivationEntry calibrated() {
        return calibrated;
    }

    void setCalibration(ActivationStatistics statistics, ActivationEntry entry) {
        this.calibration = statistics;
        this.calibrated = entry;
    }

    /** True when there is a histogram to show and clip. */
    public boolean hasHistogram() {
        return errorModel() != null;
    }

    @Override
    public String toString() {
        return name;
    }
}
