package org.quantlens.app.figures;

import java.util.List;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.quantlens.app.export.ChartExport;

/**
 * Controller of {@code FiguresView.fxml}: the weight distributions overlaid with the channel ranges of one layer,
 * and the per-sample activation curves of the chosen activations. Every chart is rebuilt from the view model's
 * data when it, the selection or the theme changes; each offers PNG/SVG/CSV export on right-click.
 */
public final class FiguresView {
    @FXML private BorderPane root;
    @FXML private TabPane tabs;
    @FXML private CheckBox logYBox;
    @FXML private ComboBox<String> weightBox;
    @FXML private StackPane weightsHolder;
    @FXML private StackPane channelsHolder;
    @FXML private ListView<String> activationList;
    @FXML private GridPane activationGrid;
    @FXML private Label activationsEmpty;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label statusLabel;

    private final ChartViewer weightsViewer = new ChartViewer(null);
    private final ChartViewer channelsViewer = new ChartViewer(null);
    private FiguresViewModel vm;
    private Consumer<Throwable> onError = e -> { };
    private boolean dark;
    private boolean syncing;

    /** Binds the view to {@code model}; {@code errors} shows export failures. Call once after loading. */
    public void bind(FiguresViewModel model, Consumer<Throwable> errors) {
        this.vm = model;
        this.onError = errors;
        weightsViewer.setId("weightsChart");
        channelsViewer.setId("channelsChart");
        weightsHolder.getChildren().add(weightsViewer);
        channelsHolder.getChildren().add(channelsViewer);
        ChartExport.install(weightsViewer, "weight-distributions", onError);
        ChartExport.install(channelsViewer, "channel-ranges", onError);
        statusLabel.textProperty().bind(vm.statusProperty());
        busyIndicator.visibleProperty().bind(vm.busyProperty());
        logYBox.selectedProperty().bindBidirectional(vm.weightsLogYProperty());
        weightBox.setItems(vm.weightNames());
        weightBox.valueProperty().bindBidirectional(vm.selectedWeightProperty());
        activationList.setItems(vm.activationNames());
        activationList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        activationList.getSelectionModel().getSelectedItems().addListener((ListChangeListener<String>) c -> {
            if (!syncing) {
                vm.selectActivations(List.copyOf(activationList.getSelectionModel().getSelectedItems()));
            }
        });
        vm.weightsProperty().addListener((o, a, b) -> drawWeights());
        vm.weightsLogYProperty().addListener((o, a, b) -> drawWeights());
        vm.channelsProperty().addListener((o, a, b) -> drawChannels());
        vm.selectedActivations().addListener((ListChangeListener<String>) c -> drawActivations());
        vm.samplesProperty().addListener((o, a, b) -> drawActivations());
        drawWeights();
        drawChannels();
        drawActivations();
    }

    /** Chart colours for the dark or light theme. */
    public void setDark(boolean isDark) {
        this.dark = isDark;
        drawWeights();
        drawChannels();
        drawActivations();
    }

    public Parent root() {
        return root;
    }

    public TabPane tabs() {
        return tabs;
    }

    public ChartViewer weightsViewer() {
        return weightsViewer;
    }

    private void drawWeights() {
        WeightFigures w = vm.weightsProperty().get();
        List<Curve> curves = w == null ? List.of() : w.curves();
        weightsViewer.setChart(FigureCharts.curves("Weight distributions, one curve per layer", "weight value",
                curves, vm.weightsLogYProperty().get(), 12, dark));
    }

    private void drawChannels() {
        channelsViewer.setChart(FigureCharts.channelRanges(vm.channelsProperty().get(), dark));
    }

    private void drawActivations() {
        syncing = true;
        try {
            activationList.getSelectionModel().clearSelection();
            for (String s : vm.selectedActivations()) {
                activationList.getSelectionModel().select(s);
            }
        } finally {
            syncing = false;
        }
        List<String> names = vm.selectedActivations();
        activationGrid.getChildren().clear();
        activationGrid.getColumnConstraints().clear();
        activationGrid.getRowConstraints().clear();
        activationsEmpty.setVisible(names.isEmpty());
        int cols = names.size() > 1 ? 2 : 1;
        int rows = (names.size() + cols - 1) / cols;
        for (int c = 0; c < cols; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / cols);
            cc.setHgrow(Priority.ALWAYS);
            activationGrid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(100.0 / rows);
            rc.setVgrow(Priority.ALWAYS);
            activationGrid.getRowConstraints().add(rc);
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            JFreeChart chart = FigureCharts.curves(name, "activation value", vm.curvesOf(name), true, 0, dark);
            ChartViewer v = new ChartViewer(chart);
            v.getStyleClass().add("activation-chart");
            ChartExport.install(v, "per-sample-" + name.replaceAll("[^A-Za-z0-9_.-]", "_"), onError);
            activationGrid.add(v, i % cols, i / cols);
        }
    }
}
