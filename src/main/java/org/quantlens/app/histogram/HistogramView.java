package org.quantlens.app.histogram;

import javafx.beans.property.DoubleProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
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
    @FXML private Label klLabel;
    @FXML private Label roundingLabel;
    @FXML private Label clippingLabel;
    @FXML private StackPane curveHolder;
    @FXML private VBox methodList;
    @FXML private Button klSearchButton;
    @FXML private Button mseSearchButton;

    private final HistogramChart chart = new HistogramChart();
    private final SearchCurveChart curves = new SearchCurveChart();
    private ChartViewer viewer;
    private ChartViewer curveViewer;
    private HistogramViewModel vm;
    private boolean syncing;
    private double drawnLo = Double.NaN;
    private double drawnHi = Double.NaN;
    private double drawnScale = Double.NaN;
    private int drawnZp;

    /** Binds the view to {@code model}; call once after loading the FXML. */
    public void bind(HistogramViewModel model) {
        this.vm = model;
        viewer = new ChartViewer(chart.chart());
        viewer.setId("histogramChart");
        chartHolder.getChildren().add(viewer);
        new ClipMarkerDragHandler(chart, vm.clipMinProperty(), vm.clipMaxProperty(), vm.draggingProperty())
                .install(viewer.getCanvas());
        curveViewer = new ChartViewer(curves.chart());
        curveViewer.setId("searchCurveChart");
        curveHolder.getChildren().add(curveViewer);
        klLabel.textProperty().bind(vm.klTextProperty());
        roundingLabel.textProperty().bind(vm.roundingTextProperty());
        clippingLabel.textProperty().bind(vm.clippingTextProperty());
        vm.klCurveProperty().addListener((o, a, c) -> showCurves());
        vm.mseCurveProperty().addListener((o, a, c) -> showCurves());
        vm.methodRanges().addListener((javafx.collections.ListChangeListener<MethodRange>) c -> showMethods());
        chart.plot().getDomainAxis().addChangeListener(e -> followDomain());
        showCurves();
        showMethods();
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
        vm.clipProperty().addListener((o, a, v) -> showClip());
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

    /** Wires the header's search buttons (the main view owns the searches and their progress). */
    public void setSearchActions(Runnable kl, Runnable mse) {
        klSearchButton.setOnAction(e -> kl.run());
        mseSearchButton.setOnAction(e -> mse.run());
    }

    /** The search-curve chart under the histogram. */
    public SearchCurveChart curves() {
        return curves;
    }

    /** Chart colours for the theme. */
    public void setDark(boolean dark) {
        chart.setDark(dark);
        curves.setDark(dark);
    }

    private void showCurves() {
        curves.setCurves(vm.klCurveProperty().get(), vm.mseCurveProperty().get());
        boolean any = curves.hasCurves();
        curveHolder.setVisible(any);
        curveHolder.setManaged(any);
        followDomain();
    }

    private void followDomain() {
        var r = chart.plot().getDomainAxis().getRange();
        curves.setDomain(r.getLowerBound(), r.getUpperBound());
    }

    /** One line per method: colour swatch, name, range, and a button that clips there. */
    private void showMethods() {
        chart.setMethodRanges(vm.methodRanges());
        methodList.getChildren().clear();
        if (vm.methodRanges().isEmpty()) {
            Label none = new Label(vm.tensorProperty().get() == null || vm.tensorProperty().get().calibration() == null
                    ? "Calibrate to see where each method would clip." : "Computing…");
            none.setWrapText(true);
            none.getStyleClass().add("text-muted");
            methodList.getChildren().add(none);
            return;
        }
        for (MethodRange m : vm.methodRanges()) {
            methodList.getChildren().add(methodRow(m));
        }
    }

    private javafx.scene.Node methodRow(MethodRange m) {
        java.awt.Color c = HistogramChart.methodColour(m.method());
        javafx.scene.shape.Rectangle swatch = new javafx.scene.shape.Rectangle(10, 10,
                javafx.scene.paint.Color.rgb(c.getRed(), c.getGreen(), c.getBlue()));
        Label name = new Label(m.method().cliName());
        name.setMinWidth(88);
        Label range = new Label(short3(m.lo()) + " … " + short3(m.hi()));
        range.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        range.getStyleClass().add("metric-value");
        range.setMaxWidth(Double.MAX_VALUE);
        javafx.scene.layout.HBox.setHgrow(range, javafx.scene.layout.Priority.ALWAYS);
        Button adopt = new Button("Adopt");
        adopt.setId("adopt-" + m.method().cliName());
        adopt.getStyleClass().add("small");
        adopt.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        adopt.setOnAction(e -> vm.adopt(m));
        javafx.scene.layout.HBox row = new javafx.scene.layout.HBox(6, swatch, name, range, adopt);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        if (!m.note().isEmpty()) {
            javafx.scene.control.Tooltip.install(row, new javafx.scene.control.Tooltip(m.note()));
            name.setText(name.getText() + " ⚠");
        }
        return row;
    }

    /** Three significant digits: the method list is narrow and the exact value is one click away. */
    static String short3(double v) {
        if (v == 0 || Double.isNaN(v)) {
            return Format.number(v);
        }
        double a = Math.abs(v);
        return a >= 1e-2 && a < 1e4 ? String.format(java.util.Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1")
                .replaceAll("\\.$", "") : String.format(java.util.Locale.ROOT, "%.2e", v);
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
        drawnLo = Double.NaN; // the shading depends on the histogram too: redraw the clip
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
        var c = vm.clipProperty().get();
        var spec = vm.specForGrid();
        double scale = c != null && spec != null ? c.params().scale() : Double.NaN;
        int zp = c != null ? c.params().zeroPoint() : 0;
        // one redraw per change: the min, max and clip listeners all land here during one drag step
        if (lo != drawnLo || hi != drawnHi || Double.compare(scale, drawnScale) != 0 || zp != drawnZp) {
            drawnLo = lo;
            drawnHi = hi;
            drawnScale = scale;
            drawnZp = zp;
            chart.setGrid(scale, zp, spec == null ? 0 : spec.qmin(), spec == null ? 0 : spec.qmax());
            chart.setClip(lo, hi);
        }
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
