package org.quantlens.app.histogram;

import javafx.beans.property.DoubleProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import org.controlsfx.control.RangeSlider;
import org.jfree.chart.fx.ChartViewer;
import org.quantlens.app.layers.Format;

/**
 * Controller of {@code HistogramView.fxml}: the chart with its draggable clip markers, a range slider and two
 * number fields, all showing the view model's clipMin/clipMax; and the metrics panel. Every input writes the view
 * model's properties; every output follows them, guarded so an update never echoes back.
 */
public final class HistogramView {
    @FXML private javafx.scene.layout.BorderPane root;
    @FXML private Label titleLabel;
    @FXML private CheckBox logYBox;
    @FXML private Button resetButton;
    @FXML private StackPane chartHolder;
    @FXML private RangeSlider rangeSlider;
    @FXML private TextField minField;
    @FXML private TextField maxField;
    @FXML private Label scaleLabel;
    @FXML private Label zeroPointLabel;
    @FXML private Label mseLabel;
    @FXML private Label sqnrLabel;
    @FXML private Label cosineLabel;
    @FXML private Label clippedLabel;

    private final HistogramChart chart = new HistogramChart();
    private ChartViewer viewer;
    private HistogramViewModel vm;
    private boolean syncing;

    /** Binds the view to {@code model}; call once after loading the FXML. */
    public void bind(HistogramViewModel model) {
        this.vm = model;
        viewer = new ChartViewer(chart.chart());
        viewer.setId("histogramChart");
        chartHolder.getChildren().add(viewer);
        new ClipMarkerDragHandler(chart, vm.clipMinProperty(), vm.clipMaxProperty()).install(viewer.getCanvas());
        titleLabel.textProperty().bind(vm.titleProperty());
        logYBox.selectedProperty().bindBidirectional(vm.logYProperty());
        resetButton.setOnAction(e -> vm.resetToMinMax());
        scaleLabel.textProperty().bind(vm.scaleTextProperty());
        zeroPointLabel.textProperty().bind(vm.zeroPointTextProperty());
        mseLabel.textProperty().bind(vm.mseTextProperty());
        sqnrLabel.textProperty().bind(vm.sqnrTextProperty());
        cosineLabel.textProperty().bind(vm.cosineTextProperty());
        clippedLabel.textProperty().bind(vm.clippedTextProperty());
        vm.histogramProperty().addListener((o, a, h) -> showHistogram(h));
        vm.logYProperty().addListener((o, a, log) -> chart.setLogY(log));
        vm.clipMinProperty().addListener((o, a, v) -> showClip());
        vm.clipMaxProperty().addListener((o, a, v) -> showClip());
        rangeSlider.lowValueProperty().addListener((o, a, v) -> fromSlider(vm.clipMinProperty(), v.doubleValue()));
        rangeSlider.highValueProperty().addListener((o, a, v) -> fromSlider(vm.clipMaxProperty(), v.doubleValue()));
        minField.setOnAction(e -> fromField(minField, vm.clipMinProperty()));
        maxField.setOnAction(e -> fromField(maxField, vm.clipMaxProperty()));
        minField.focusedProperty().addListener((o, a, f) -> {
            if (!f) {
                fromField(minField, vm.clipMinProperty());
            }
        });
        maxField.focusedProperty().addListener((o, a, f) -> {
            if (!f) {
                fromField(maxField, vm.clipMaxProperty());
            }
        });
        showHistogram(vm.histogramProperty().get());
    }

    /** The chart, for dark/light colours and snapshots. */
    public HistogramChart chart() {
        return chart;
    }

    /** The whole view (chart, slider and metrics), for snapshots. */
    public javafx.scene.Parent root() {
        return root;
    }

    public ChartViewer viewer() {
        return viewer;
    }

    public RangeSlider rangeSlider() {
        return rangeSlider;
    }

    private void showHistogram(TensorHistogram h) {
        chart.setHistogram(h, vm.logYProperty().get());
        boolean has = h != null;
        rangeSlider.setDisable(!has);
        minField.setDisable(!has);
        maxField.setDisable(!has);
        resetButton.setDisable(!has);
        showClip();
    }

    private void showClip() {
        double lo = vm.clipMinProperty().get();
        double hi = vm.clipMaxProperty().get();
        chart.setClip(lo, hi);
        TensorHistogram h = vm.histogramProperty().get();
        syncing = true;
        try {
            if (h != null) {
                rangeSlider.setMin(Math.min(h.edge(0), lo));
                rangeSlider.setMax(Math.max(h.edge(h.bins()), hi));
            }
            // order the writes so the slider's own low <= high rule never clamps one of them
            if (lo > rangeSlider.getHighValue()) {
                rangeSlider.setHighValue(hi);
                rangeSlider.setLowValue(lo);
            } else {
                rangeSlider.setLowValue(lo);
                rangeSlider.setHighValue(hi);
            }
            minField.setText(h == null ? "" : Format.number(lo));
            maxField.setText(h == null ? "" : Format.number(hi));
        } finally {
            syncing = false;
        }
    }

    private void fromSlider(DoubleProperty target, double v) {
        if (!syncing && vm.histogramProperty().get() != null) {
            target.set(v);
        }
    }

    private void fromField(TextField field, DoubleProperty target) {
        if (syncing || vm.histogramProperty().get() == null) {
            return;
        }
        try {
            double v = Double.parseDouble(field.getText().strip());
            if (Double.isFinite(v)) {
                target.set(v);
                return;
            }
        } catch (NumberFormatException ignored) {
            // fall through: show the current value again
        }
        showClip();
    }
}
