package org.quantlens.app.histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
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
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.quantlens.app.fx.LatestTaskRunner;
import org.quantlens.app.layers.ClipState;
import org.quantlens.app.layers.Format;
import org.quantlens.app.layers.LayerBrowserViewModel;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.metrics.ErrorMetrics;
import org.quantlens.calib.metrics.HistogramErrorModel;
import org.quantlens.calib.metrics.MutableErrorMetrics;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.calib.search.SearchResult;
import org.quantlens.quant.QuantSpec;

/**
 * The histogram view's state: the shown tensor (the layer browser's selection), its histogram, the clip range as
 * two properties that the markers, the range slider and the number fields all bind to, the metrics of that range
 * as text, where every range method would clip, and the last KL and mse search curves of the tensor.
 *
 * <p>Moving either clip property writes the range back to the tensor's row as method "manual". While
 * {@link #draggingProperty()} is true (a marker is held) the metrics come from
 * {@link HistogramErrorModel#evaluateInto} without KL into one reused holder — O(1), no allocation in the error
 * model — and KL is filled in when the marker is let go. The minimum is kept at or below the maximum (moving one
 * past the other pushes the other along). Selecting a tensor loads its current clip range without marking it
 * manual.
 *
 * <p>Method ranges are computed off the FX thread on {@code background} (latest selection wins), from the
 * statistics the calibration kept, and cached per tensor and grid.
 */
public final class HistogramViewModel {
    private final LayerBrowserViewModel layers;
    private final LatestTaskRunner rangesRunner;
    private final ObjectProperty<TensorRow> tensor = new SimpleObjectProperty<>(this, "tensor");
    private final ReadOnlyObjectWrapper<TensorHistogram> histogram = new ReadOnlyObjectWrapper<>(this, "histogram");
    private final DoubleProperty clipMin = new SimpleDoubleProperty(this, "clipMin");
    private final DoubleProperty clipMax = new SimpleDoubleProperty(this, "clipMax");
    private final BooleanProperty logY = new SimpleBooleanProperty(this, "logY", true);
    private final BooleanProperty dragging = new SimpleBooleanProperty(this, "dragging");
    private final ReadOnlyObjectWrapper<ClipState> clip = new ReadOnlyObjectWrapper<>(this, "clip");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "No tensor selected");
    private final ReadOnlyStringWrapper scaleText = new ReadOnlyStringWrapper(this, "scaleText", "");
    private final ReadOnlyStringWrapper zeroPointText = new ReadOnlyStringWrapper(this, "zeroPointText", "");
    private final ReadOnlyStringWrapper mseText = new ReadOnlyStringWrapper(this, "mseText", "");
    private final ReadOnlyStringWrapper sqnrText = new ReadOnlyStringWrapper(this, "sqnrText", "");
    private final ReadOnlyStringWrapper clippedText = new ReadOnlyStringWrapper(this, "clippedText", "");
    private final ReadOnlyStringWrapper cosineText = new ReadOnlyStringWrapper(this, "cosineText", "");
    private final ReadOnlyStringWrapper klText = new ReadOnlyStringWrapper(this, "klText", "");
    private final ReadOnlyStringWrapper roundingText = new ReadOnlyStringWrapper(this, "roundingText", "");
    private final ReadOnlyStringWrapper clippingText = new ReadOnlyStringWrapper(this, "clippingText", "");
    private final ObservableList<MethodRange> methodRanges = FXCollections.observableArrayList();
    private final ObservableList<MethodRange> methodRangesView = FXCollections.unmodifiableObservableList(methodRanges);
    private final ReadOnlyObjectWrapper<SearchCurve> klCurve = new ReadOnlyObjectWrapper<>(this, "klCurve");
    private final ReadOnlyObjectWrapper<SearchCurve> mseCurve = new ReadOnlyObjectWrapper<>(this, "mseCurve");
    private final Map<String, List<MethodRange>> rangeCache = new HashMap<>();
    private final Map<String, SearchCurve> klCurves = new HashMap<>();
    private final Map<String, SearchCurve> mseCurves = new HashMap<>();
    private final MutableErrorMetrics live = new MutableErrorMetrics();
    private boolean loading;
    private final ChangeListener<Object> rowStatsChanged = (o, a, b) -> show(tensor.get());
    private final ChangeListener<ClipState> rowClipChanged = (o, a, c) -> followRowClip(c);

    /** A view model computing method ranges on the calling thread (tests). */
    public HistogramViewModel(LayerBrowserViewModel layers) {
        this(layers, Runnable::run, Runnable::run);
    }

    /**
     * @param background runs the method-range computations
     * @param ui         delivers their results (the FX thread in the app)
     */
    public HistogramViewModel(LayerBrowserViewModel layers, Executor background, Executor ui) {
        this.layers = layers;
        this.rangesRunner = new LatestTaskRunner(background, ui, new LatestTaskRunner.Listener() {
            @Override
            public void running(boolean running) {
            }

            @Override
            public void progress(double fraction, String message) {
            }
        });
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
        dragging.addListener((o, was, now) -> {
            if (was && !now) {
                released();
            }
        });
        layers.specProperty().addListener((o, a, b) -> {
            rangeCache.clear();
            refreshClip();
            loadMethodRanges(tensor.get());
        });
    }

    /** Sets both ends at once (one metrics update), ordering them; the row becomes "manual". */
    public void setClip(double lo, double hi) {
        setClip(lo, hi, ClipState.MANUAL);
    }

    /** Back to the observed [min, max] of the tensor. */
    public void resetToMinMax() {
        TensorRow row = tensor.get();
        if (row != null && row.stats() != null && !Double.isNaN(row.stats().min())) {
            setClip(row.stats().min(), row.stats().max(), RangeMethod.MINMAX.cliName());
        }
    }

    /** Clips the shown tensor where {@code m} would: one click on a method's thin marker or its Adopt button. */
    public void adopt(MethodRange m) {
        setClip(m.lo(), m.hi(), m.method().cliName());
    }

    /**
     * A search on {@code row} finished: keeps its curve (shown while the row is selected) and, when {@code apply},
     * clips the row at the chosen range, marked with the method's name.
     */
    public void searchFinished(TensorRow row, RangeMethod method, SearchResult r, boolean apply) {
        SearchCurve c = SearchCurve.of(method, r);
        if (c != null) {
            (c.isKl() ? klCurves : mseCurves).put(row.name(), c);
        }
        if (apply) {
            layers.setClipByUser(row, r.range().lo(), r.range().hi(), method.cliName());
        }
        if (row == tensor.get()) {
            showCurves(row);
        }
    }

    /** Forgets cached ranges and curves (a new calibration or model). */
    public void clearCaches() {
        rangeCache.clear();
        klCurves.clear();
        mseCurves.clear();
        methodRanges.clear();
        klCurve.set(null);
        mseCurve.set(null);
    }

    private void setClip(double lo, double hi, String method) {
        TensorRow row = tensor.get();
        loading = true;
        try {
            clipMin.set(Math.min(lo, hi));
            clipMax.set(Math.max(lo, hi));
        } finally {
            loading = false;
        }
        if (row != null && row.hasHistogram()) {
            loading = true;
            try {
                layers.setClipByUser(row, clipMin.get(), clipMax.get(), method);
            } finally {
                loading = false;
            }
        }
        refreshClip();
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
        showCurves(row);
        loadMethodRanges(row);
    }

    private void showCurves(TensorRow row) {
        klCurve.set(row == null ? null : klCurves.get(row.name()));
        mseCurve.set(row == null ? null : mseCurves.get(row.name()));
    }

    private void loadMethodRanges(TensorRow row) {
        ActivationStatistics a = row == null ? null : row.calibration();
        if (a == null) {
            methodRanges.clear();
            return;
        }
        List<MethodRange> cached = rangeCache.get(row.name());
        if (cached != null) {
            methodRanges.setAll(cached);
            return;
        }
        methodRanges.clear();
        RangeOptions o = optionsFor(layers.specProperty().get());
        String name = row.name();
        rangesRunner.submit((token, progress) -> methodRanges(a, o, token), list -> {
            rangeCache.put(name, list);
            if (tensor.get() != null && tensor.get().name().equals(name)) {
                methodRanges.setAll(list);
            }
        }, error -> methodRanges.clear());
    }

    /** Every method's range on {@code a}; a method that cannot run on these statistics is left out. */
    static List<MethodRange> methodRanges(ActivationStatistics a, RangeOptions o,
                                          org.quantlens.progress.CancellationToken token) {
        List<MethodRange> out = new ArrayList<>();
        for (RangeMethod m : RangeMethod.values()) {
            token.throwIfCancelled();
            try {
                SearchResult r = a.range(m, o);
                out.add(new MethodRange(m, r.range().lo(), r.range().hi(),
                        r.warnings().isEmpty() ? "" : r.warnings().get(0)));
            } catch (IllegalArgumentException e) {
                // e.g. ema without per-batch statistics: no marker for it
            }
        }
        return List.copyOf(out);
    }

    /** The method options the table uses for activations on {@code spec} (as the Calibrate button's). */
    public static RangeOptions optionsFor(QuantSpec spec) {
        RangeOptions d = RangeOptions.DEFAULT;
        return new RangeOptions(spec.bits(), spec.symmetric(), d.percentile(), d.numQuantizedBins(),
                d.suppressZeroSpike(), d.aciqPrior());
    }

    /** The row's clip changed from elsewhere (statistics arrived, scheme changed, a search): follow it. */
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
                if (dragging.get()) {
                    layers.dragClip(row, clipMin.get(), clipMax.get());
                } else {
                    layers.setClipByUser(row, clipMin.get(), clipMax.get(), ClipState.MANUAL);
                }
            } finally {
                loading = false;
            }
        }
        refreshClip();
    }

    /** The marker was let go: the row gets its metrics with KL. */
    private void released() {
        TensorRow row = tensor.get();
        if (row != null && row.hasHistogram() && row.clip() != null && row.clip().manual()) {
            loading = true;
            try {
                layers.setClipByUser(row, row.clip().lo(), row.clip().hi(), row.clip().method());
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
        HistogramErrorModel model = row == null ? null : row.errorModel();
        boolean withKl = !dragging.get();
        if (c != null && model != null) {
            model.evaluateInto(c.lo(), c.hi(), layers.specProperty().get(), live, withKl);
        }
        boolean has = c != null && model != null;
        scaleText.set(c == null ? "" : Format.number(c.params().scale()));
        zeroPointText.set(c == null ? "" : Integer.toString(c.params().zeroPoint()));
        mseText.set(has ? Format.number(live.mse()) : "");
        sqnrText.set(has ? Format.decibels(live.sqnrDb()) : "");
        clippedText.set(has ? Format.percent(live.fractionClipped()) : "");
        cosineText.set(has ? String.format(Locale.ROOT, "%.6f", live.cosine()) : "");
        klText.set(!has ? "" : withKl ? Format.number(live.kl()) + " nats" : "(on release)");
        roundingText.set(has ? Format.number(live.roundingMse()) : "");
        clippingText.set(has ? Format.number(live.clippingMse()) : "");
    }

    /** The grid the clip range is quantized to (for drawing its levels). */
    public QuantSpec specForGrid() {
        return layers.specProperty().get();
    }

    /** The share of the error that clipping causes, in [0, 1] (NaN without metrics); for the error bar. */
    public double clippingShare() {
        ClipState c = clip.get();
        ErrorMetrics m = c == null ? null : c.metrics();
        return m == null || !(m.mse() > 0) ? Double.NaN : m.clippingMse() / m.mse();
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

    /** True while a marker is held with the mouse (the view sets it). */
    public BooleanProperty draggingProperty() {
        return dragging;
    }

    public ReadOnlyObjectProperty<ClipState> clipProperty() {
        return clip.getReadOnlyProperty();
    }

    /** Where each method would clip the shown tensor (empty until computed, or without calibration). */
    public ObservableList<MethodRange> methodRanges() {
        return methodRangesView; // one wrapper: listeners on a fresh one would vanish with it
    }

    /** The last KL search curve of the shown tensor, or null. */
    public ReadOnlyObjectProperty<SearchCurve> klCurveProperty() {
        return klCurve.getReadOnlyProperty();
    }

    /** The last mse search curve of the shown tensor, or null. */
    public ReadOnlyObjectProperty<SearchCurve> mseCurveProperty() {
        return mseCurve.getReadOnlyProperty();
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

    /** KL divergence of the range in nats; "(on release)" while a marker is dragged. */
    public ReadOnlyStringProperty klTextProperty() {
        return klText.getReadOnlyProperty();
    }

    /** The rounding part of the MSE. */
    public ReadOnlyStringProperty roundingTextProperty() {
        return roundingText.getReadOnlyProperty();
    }

    /** The clipping part of the MSE. */
    public ReadOnlyStringProperty clippingTextProperty() {
        return clippingText.getReadOnlyProperty();
    }
}
