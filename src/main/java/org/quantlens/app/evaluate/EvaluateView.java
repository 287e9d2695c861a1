package org.quantlens.app.evaluate;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.quantlens.app.export.ChartExport;
import org.quantlens.runtime.EvaluationReport;

/**
 * Controller of {@code EvaluateView.fxml}: file choosers for the evaluation set, labels and table; Run and Cancel;
 * the report's summary, the fallback nodes and the per-layer SQNR chart, whose bars select a layer on click.
 */
public final class EvaluateView {
    /** Height per bar so many layers stay readable (the chart scrolls). */
    private static final double PX_PER_LAYER = 18;

    @FXML private BorderPane root;
    @FXML private Button dataButton;
    @FXML private Label dataLabel;
    @FXML private Button labelsButton;
    @FXML private Label labelsLabel;
    @FXML private Button clearLabelsButton;
    @FXML private Button tableButton;
    @FXML private Label tableLabel;
    @FXML private Button runButton;
    @FXML private Button cancelButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label samplesLabel;
    @FXML private Label fp32Label;
    @FXML private Label int8Label;
    @FXML private Label agreementLabel;
    @FXML private Label logitsLabel;
    @FXML private Label timeLabel;
    @FXML private ListView<String> fallbackList;
    @FXML private Label warningsLabel;
    @FXML private ScrollPane chartScroll;
    @FXML private StackPane chartHolder;
    @FXML private Label statusLabel;

    private final ChartViewer viewer = new ChartViewer(null);
    private EvaluateViewModel vm;
    private boolean dark;

    /** Binds the view to {@code model}; {@code errors} shows chart export failures. */
    public void bind(EvaluateViewModel model, Consumer<Throwable> errors) {
        this.vm = model;
        viewer.setId("sqnrChart");
        chartHolder.getChildren().add(viewer);
        ChartExport.install(viewer, "per-layer-sqnr", errors);
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX e) {
                String layer = layerAt(e.getEntity());
                if (layer != null) {
                    vm.selectLayer(layer);
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX e) {
                viewer.setCursor(layerAt(e.getEntity()) != null ? javafx.scene.Cursor.HAND
                        : javafx.scene.Cursor.DEFAULT);
            }
        });
        dataLabel.textProperty().bind(name(vm.dataProperty(), "none"));
        labelsLabel.textProperty().bind(name(vm.labelsProperty(), "none (agreement only)"));
        tableLabel.textProperty().bind(vm.tableTextProperty());
        dataButton.setOnAction(e -> choose("Evaluation set", vm.dataProperty()));
        labelsButton.setOnAction(e -> choose("Labels", vm.labelsProperty()));
        clearLabelsButton.setOnAction(e -> vm.labelsProperty().set(null));
        clearLabelsButton.disableProperty().bind(vm.labelsProperty().isNull());
        tableButton.setOnAction(e -> chooseTable());
        runButton.setOnAction(e -> vm.run());
        runButton.disableProperty().bind(vm.runnableProperty().not());
        cancelButton.setOnAction(e -> vm.cancel());
        cancelButton.visibleProperty().bind(vm.busyProperty());
        progressBar.visibleProperty().bind(vm.busyProperty());
        progressBar.progressProperty().bind(vm.progressProperty());
        statusLabel.textProperty().bind(vm.statusProperty());
        fallbackList.setItems(vm.fallbackNodes());
        fallbackList.setPlaceholder(new Label("—"));
        warningsLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.warnings().isEmpty() ? ""
                : vm.warnings().size() + " table warning" + (vm.warnings().size() > 1 ? "s" : "") + ": "
                + vm.warnings().get(0), vm.warnings()));
        vm.reportProperty().addListener((o, a, r) -> showReport(r));
        vm.layers().addListener((ListChangeListener<EvaluationReport.Layer>) c -> drawChart());
        vm.selectedLayerProperty().addListener((o, a, b) -> drawChart());
        chartScroll.viewportBoundsProperty().addListener((o, a, b) -> sizeChart());
        showReport(vm.reportProperty().get());
        drawChart();
    }

    /** Chart colours for the dark or light theme. */
    public void setDark(boolean isDark) {
        this.dark = isDark;
        drawChart();
    }

    public Parent root() {
        return root;
    }

    public ChartViewer viewer() {
        return viewer;
    }

    private static String layerAt(ChartEntity entity) {
        return entity instanceof CategoryItemEntity c ? c.getColumnKey().toString() : null;
    }

    private void showReport(EvaluationReport r) {
        // before a run there is nothing to say about fallbacks; after one, an empty list means all-INT8
        fallbackList.setPlaceholder(new Label(r == null ? "—" : "none: every node runs in INT8"));
        samplesLabel.setText(r == null ? "—" : Integer.toString(r.samples()));
        fp32Label.setText(r == null ? "—" : EvaluateViewModel.percent(r.fp32Accuracy()));
        int8Label.setText(r == null ? "—" : EvaluateViewModel.percent(r.int8Accuracy()));
        agreementLabel.setText(r == null ? "—" : EvaluateViewModel.percent(r.top1Agreement()));
        logitsLabel.setText(r == null ? "—" : EvaluateViewModel.decibels(r.logitsSqnrDb()));
        timeLabel.setText(r == null ? "—" : String.format(Locale.ROOT, "%.2f s / %.2f s", r.fp32Seconds(),
                r.int8Seconds()));
    }

    private void drawChart() {
        viewer.setChart(SqnrChart.of(vm.layers(), vm.selectedLayerProperty().get(), dark));
        sizeChart();
    }

    private void sizeChart() {
        double viewport = chartScroll.getViewportBounds().getHeight();
        double wanted = 90 + PX_PER_LAYER * vm.layers().size();
        chartHolder.setMinHeight(Math.max(viewport, wanted));
        chartHolder.setPrefHeight(Math.max(viewport, wanted));
    }

    private void choose(String what, javafx.beans.property.ObjectProperty<Path> target) {
        FileChooser fc = new FileChooser();
        fc.setTitle(what + " (.npy)");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("NumPy arrays", "*.npy"));
        Path current = target.get() != null ? target.get() : vm.calibrationDataProperty().get();
        if (current != null && current.getParent() != null && current.getParent().toFile().isDirectory()) {
            fc.setInitialDirectory(current.getParent().toFile());
        }
        File f = fc.showOpenDialog(window());
        if (f != null) {
            target.set(f.toPath());
        }
    }

    private void chooseTable() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Calibration table (quantlens-json)");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("QuantLens tables", "*.json"));
        File f = fc.showOpenDialog(window());
        if (f != null) {
            vm.tableFileProperty().set(f.toPath());
        }
    }

    private static javafx.beans.binding.StringBinding name(javafx.beans.value.ObservableObjectValue<Path> p,
                                                          String none) {
        return Bindings.createStringBinding(() -> p.get() == null ? none : p.get().getFileName().toString(), p);
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }
}
