package org.quantlens.app.figures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Window;
import org.jfree.chart.fx.ChartViewer;
import org.quantlens.app.evaluate.EvaluateView;
import org.quantlens.app.evaluate.EvaluateViewModel;
import org.quantlens.app.export.ChartExport;
import org.quantlens.app.export.ExportView;
import org.quantlens.app.export.ExportViewModel;
import org.quantlens.app.fx.BackgroundWork;
import org.quantlens.app.layers.LayerBrowserViewModel;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.app.playground.PlaygroundView;
import org.quantlens.app.playground.PlaygroundViewModel;

/**
 * The main window's feature tabs beside its layer browser: figures, playground and INT8 evaluation, plus the
 * export dialog; one call wires them to the main window's model path, data path and layer selection:
 * <ul>
 *   <li>figures and evaluation/export follow the open model and calibration data;</li>
 *   <li>the playground can take the selected tensor's values;</li>
 *   <li>a click on an evaluation bar selects that layer in the layer browser, and the browser's selection
 *       highlights its bar.</li>
 * </ul>
 */
public final class FeatureTabs {
    private final FiguresViewModel figuresVm = new FiguresViewModel(BackgroundWork.shared(), Platform::runLater);
    private final PlaygroundViewModel playgroundVm = new PlaygroundViewModel();
    private final EvaluateViewModel evaluateVm = new EvaluateViewModel(BackgroundWork.shared(), Platform::runLater);
    private final ExportViewModel exportVm = new ExportViewModel(BackgroundWork.shared(), Platform::runLater);
    private FiguresView figures;
    private PlaygroundView playground;
    private EvaluateView evaluate;
    private boolean syncing;

    private FeatureTabs() {
    }

    /**
     * Adds the tabs to {@code tabs} and wires them; {@code histogram} (may be null) gets the chart export menu too.
     *
     * @param errors shows a failure (e.g. a chart that could not be saved)
     */
    public static FeatureTabs install(TabPane tabs, LayerBrowserViewModel layers, ObservableValue<Path> model,
                                      ObservableValue<Path> data, ChartViewer histogram, Consumer<Throwable> errors) {
        FeatureTabs f = new FeatureTabs();
        f.figures = load("/org/quantlens/app/figures/FiguresView.fxml", FiguresView.class);
        f.figures.bind(f.figuresVm, errors);
        f.playground = load("/org/quantlens/app/playground/PlaygroundView.fxml", PlaygroundView.class);
        f.playground.bind(f.playgroundVm, errors);
        f.evaluate = load("/org/quantlens/app/evaluate/EvaluateView.fxml", EvaluateView.class);
        f.evaluate.bind(f.evaluateVm, errors);
        Tab figuresTab = new Tab("Figures", f.figures.root());
        figuresTab.setId("figuresTab");
        Tab playgroundTab = new Tab("Playground", f.playground.root());
        playgroundTab.setId("playgroundTab");
        Tab evaluateTab = new Tab("INT8 evaluation", f.evaluate.root());
        evaluateTab.setId("evaluateTab");
        tabs.getTabs().addAll(figuresTab, playgroundTab, evaluateTab);
        f.figuresVm.activeProperty().bind(figuresTab.selectedProperty());
        f.figuresVm.modelPathProperty().bind(model);
        f.figuresVm.dataPathProperty().bind(data);
        f.evaluateVm.modelPathProperty().bind(model);
        f.evaluateVm.calibrationDataProperty().bind(data);
        f.exportVm.modelPathProperty().bind(model);
        f.exportVm.calibrationDataProperty().bind(data);
        f.exportVm.tableFileProperty().bindBidirectional(f.evaluateVm.tableFileProperty());
        f.linkSelection(layers);
        if (histogram != null) {
            ChartExport.install(histogram, "histogram", errors);
        }
        return f;
    }

    private void linkSelection(LayerBrowserViewModel layers) {
        layers.selectedProperty().addListener((o, a, row) -> {
            playgroundVm.selectedNameProperty().set(row == null ? null : row.name());
            playgroundVm.selectedHistogramProperty().set(row == null || row.stats() == null ? null
                    : row.stats().histogram());
            if (!syncing) {
                syncing = true;
                evaluateVm.selectLayer(row == null ? null : row.name());
                syncing = false;
            }
        });
        evaluateVm.selectedLayerProperty().addListener((o, a, name) -> {
            TensorRow row = name == null ? null : layers.find(name);
            if (!syncing && row != null) {
                syncing = true;
                layers.selectedProperty().set(row);
                syncing = false;
            }
        });
    }

    /** Chart colours of every feature view for the dark or light theme. */
    public void setDark(boolean dark) {
        figures.setDark(dark);
        playground.setDark(dark);
        evaluate.setDark(dark);
    }

    /** Opens the export dialog. */
    public void showExportDialog(Window owner) {
        ExportView.showDialog(owner, exportVm);
    }

    public FiguresView figures() {
        return figures;
    }

    public PlaygroundView playground() {
        return playground;
    }

    public EvaluateView evaluate() {
        return evaluate;
    }

    public EvaluateViewModel evaluateModel() {
        return evaluateVm;
    }

    public ExportViewModel exportModel() {
        return exportVm;
    }

    public FiguresViewModel figuresModel() {
        return figuresVm;
    }

    public PlaygroundViewModel playgroundModel() {
        return playgroundVm;
    }

    private static <T> T load(String fxml, Class<T> controller) {
        FXMLLoader loader = new FXMLLoader(FeatureTabs.class.getResource(fxml));
        try {
            loader.load();
        } catch (IOException e) {
            throw new IllegalStateException(fxml + " missing or broken in the build: " + e.getMessage(), e);
        }
        return controller.cast(loader.getController());
    }
}
