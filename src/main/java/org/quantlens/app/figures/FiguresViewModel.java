package org.quantlens.app.figures;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.quantlens.app.fx.LatestTaskRunner;
import org.quantlens.app.fx.Messages;

/**
 * State of the figures view: the model and data it draws (bind them to the main window's), the weight figures and
 * per-sample activation curves computed from them in the background (latest request wins), the weight whose
 * channel ranges are shown, and the activations whose per-sample curves are shown (at most
 * {@link #MAX_ACTIVATION_CHARTS}).
 */
public final class FiguresViewModel {
    /** How many activation charts are drawn side by side at most. */
    public static final int MAX_ACTIVATION_CHARTS = 4;

    private final ObjectProperty<Path> modelPath = new SimpleObjectProperty<>(this, "modelPath");
    private final ObjectProperty<Path> dataPath = new SimpleObjectProperty<>(this, "dataPath");
    private final ReadOnlyObjectWrapper<WeightFigures> weights = new ReadOnlyObjectWrapper<>(this, "weights");
    private final ReadOnlyObjectWrapper<SampleCurves> samples = new ReadOnlyObjectWrapper<>(this, "samples");
    private final ObservableList<String> weightNames = FXCollections.observableArrayList();
    /** One read-only view, kept: a fresh wrapper per call would drop its listeners when collected. */
    private final ObservableList<String> weightNamesView = FXCollections.unmodifiableObservableList(weightNames);
    private final ObservableList<String> activationNames = FXCollections.observableArrayList();
    /** One read-only view, kept: a fresh wrapper per call would drop its listeners when collected. */
    private final ObservableList<String> activationNamesView =
            FXCollections.unmodifiableObservableList(activationNames);
    private final StringProperty selectedWeight = new SimpleStringProperty(this, "selectedWeight");
    private final ReadOnlyObjectWrapper<WeightFigures.ChannelRanges> channels =
            new ReadOnlyObjectWrapper<>(this, "channels");
    private final ObservableList<String> selectedActivations = FXCollections.observableArrayList();
    /** One read-only view, kept: a fresh wrapper per call would drop its listeners when collected. */
    private final ObservableList<String> selectedActivationsView =
            FXCollections.unmodifiableObservableList(selectedActivations);
    private final BooleanProperty weightsLogY = new SimpleBooleanProperty(this, "weightsLogY");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Open a model");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", true);
    private final LatestTaskRunner runner;
    private boolean stale;

    public FiguresViewModel(Executor background, Executor ui) {
        runner = new LatestTaskRunner(background, ui, new LatestTaskRunner.Listener() {
            @Override
            public void running(boolean running) {
                busy.set(running);
            }

            @Override
            public void progress(double fraction, String message) {
                if (!message.isEmpty()) {
                    status.set(message + (fraction >= 0 ? String.format(" %.0f%%", 100 * fraction) : "") + "…");
                }
            }
        });
        modelPath.addListener((o, a, b) -> reload());
        dataPath.addListener((o, a, b) -> reload());
        active.addListener((o, a, on) -> {
            if (on && stale) {
                reload();
            }
        });
        selectedWeight.addListener((o, a, b) -> updateChannels());
    }

    /** Recomputes the figures for the current model and data (nothing without a model). */
    public void reload() {
        Path model = modelPath.get();
        Path data = dataPath.get();
        if (model == null) {
            return;
        }
        if (!active.get()) {
            stale = true;
            return;
        }
        stale = false;
        status.set("Measuring " + model.getFileName() + "…");
        runner.submit((token, progress) -> FigureData.load(model, data, FigureData.SAMPLES, token, progress),
                this::apply, e -> status.set("Figures unavailable: " + Messages.oneLine(e)));
    }

    void apply(FigureData d) {
        String keepWeight = selectedWeight.get();
        List<String> keepActs = List.copyOf(selectedActivations);
        weights.set(d.weights());
        samples.set(d.samples());
        weightNames.setAll(d.weights().curves().stream().map(Curve::name).toList());
        activationNames.setAll(d.samples() == null ? List.of() : List.copyOf(d.samples().byTensor().keySet()));
        selectedWeight.set(weightNames.contains(keepWeight) ? keepWeight
                : weightNames.isEmpty() ? null : weightNames.get(0));
        updateChannels();
        List<String> acts = keepActs.stream().filter(activationNames::contains).toList();
        if (acts.isEmpty()) {
            acts = defaultActivations();
        }
        selectedActivations.setAll(acts);
        status.set(d.weights().curves().size() + " weight tensors" + (d.samples() == null
                ? "; open calibration data for the per-sample activation curves"
                : "; per-sample curves of the first " + FigureData.SAMPLES + " samples for "
                + activationNames.size() + " activations"));
    }

    /** Up to two activations after the input, so the figure shows something right away. */
    private List<String> defaultActivations() {
        return activationNames.stream().skip(activationNames.size() > 1 ? 1 : 0).limit(2).toList();
    }

    private void updateChannels() {
        WeightFigures w = weights.get();
        channels.set(w == null || selectedWeight.get() == null ? null : w.channelsOf(selectedWeight.get()));
    }

    /** Sets the activations to draw, keeping the first {@link #MAX_ACTIVATION_CHARTS}. */
    public void selectActivations(List<String> names) {
        List<String> keep = names.stream().filter(activationNames::contains).limit(MAX_ACTIVATION_CHARTS).toList();
        if (!keep.equals(selectedActivations)) {
            selectedActivations.setAll(keep);
        }
    }

    /** The per-sample curves of {@code activation}, empty when there are none. */
    public List<Curve> curvesOf(String activation) {
        SampleCurves s = samples.get();
        return s == null ? List.of() : s.byTensor().getOrDefault(activation, List.of());
    }

    public void cancel() {
        runner.cancel();
    }

    /**
     * While false (the view is hidden), model and data changes are only noted; the figures are computed when it
     * turns true again, so a hidden view costs no background work.
     */
    public BooleanProperty activeProperty() {
        return active;
    }

    public ObjectProperty<Path> modelPathProperty() {
        return modelPath;
    }

    public ObjectProperty<Path> dataPathProperty() {
        return dataPath;
    }

    public ReadOnlyObjectProperty<WeightFigures> weightsProperty() {
        return weights.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SampleCurves> samplesProperty() {
        return samples.getReadOnlyProperty();
    }

    public ObservableList<String> weightNames() {
        return weightNamesView;
    }

    public ObservableList<String> activationNames() {
        return activationNamesView;
    }

    public StringProperty selectedWeightProperty() {
        return selectedWeight;
    }

    public ReadOnlyObjectProperty<WeightFigures.ChannelRanges> channelsProperty() {
        return channels.getReadOnlyProperty();
    }

    /** The activations drawn (change with {@link #selectActivations}). */
    public ObservableList<String> selectedActivations() {
        return selectedActivationsView;
    }

    public BooleanProperty weightsLogYProperty() {
        return weightsLogY;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
