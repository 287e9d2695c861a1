package org.quantlens.app.main;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.quantlens.app.fx.ErrorDialogs;
import org.quantlens.app.histogram.HistogramView;
import org.quantlens.app.layers.LayerBrowserView;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.quant.QuantScheme;

/**
 * Controller of {@code MainView.fxml}: menus, toolbar, status bar, drag-and-drop and theme switching, each a
 * one-line hand-off to {@link MainViewModel}.
 */
public final class MainView {
    @FXML private BorderPane root;
    @FXML private Menu recentMenu;
    @FXML private RadioMenuItem lightItem;
    @FXML private RadioMenuItem darkItem;
    @FXML private ComboBox<RangeMethod> methodBox;
    @FXML private ComboBox<QuantScheme> schemeBox;
    @FXML private ComboBox<Integer> bitsBox;
    @FXML private ToggleButton perChannelToggle;
    @FXML private Button calibrateButton;
    @FXML private MenuItem exportItem;
    @FXML private Label statusLabel;
    @FXML private ProgressBar progressBar;
    @FXML private Button cancelButton;
    @FXML private LayerBrowserView layersController;
    @FXML private HistogramView histogramController;
    @FXML private javafx.scene.control.TabPane centerTabs;
    private org.quantlens.app.figures.FeatureTabs features;

    private MainViewModel vm;
    private boolean showDialogs = true;

    /** Binds every control to {@code model}; call once after loading the FXML. */
    public void bind(MainViewModel model) {
        this.vm = model;
        layersController.bind(vm.layers());
        histogramController.bind(vm.histogram());
        histogramController.setSearchActions(this::onKlSearch, this::onMseSearch);
        features = org.quantlens.app.figures.FeatureTabs.install(centerTabs, vm.layers(), vm.modelPathProperty(),
                vm.dataPathProperty(), histogramController.viewer(),
                e -> ErrorDialogs.show(window(), "Could not save", e));
        bindToolbar();
        statusLabel.textProperty().bind(vm.statusProperty());
        progressBar.progressProperty().bind(vm.progressProperty());
        progressBar.visibleProperty().bind(vm.busyProperty());
        cancelButton.visibleProperty().bind(vm.busyProperty());
        vm.recentFiles().addListener((javafx.collections.ListChangeListener<Path>) c -> fillRecent());
        fillRecent();
        lightItem.setOnAction(e -> vm.themeProperty().set(Theme.LIGHT));
        darkItem.setOnAction(e -> vm.themeProperty().set(Theme.DARK));
        vm.themeProperty().addListener((o, a, t) -> applyTheme(t));
        applyTheme(vm.themeProperty().get());
        vm.failureProperty().addListener((o, a, f) -> {
            if (f != null && showDialogs) {
                Platform.runLater(() -> {
                    ErrorDialogs.show(window(), f.what(), f.message());
                    vm.clearFailure();
                });
            }
        });
        root.addEventHandler(DragEvent.DRAG_OVER, this::onDragOver);
        root.addEventHandler(DragEvent.DRAG_DROPPED, this::onDragDropped);
    }

    /** Off in snapshot mode: failures then go to stderr and nothing waits for a click. */
    public void setShowDialogs(boolean show) {
        this.showDialogs = show;
    }

    /** The tabs of the main area: Layers first, then the feature views. */
    javafx.scene.control.TabPane centerTabs() {
        return centerTabs;
    }

    public Parent root() {
        return root;
    }

    public LayerBrowserView layers() {
        return layersController;
    }

    public HistogramView histogram() {
        return histogramController;
    }

    /** The figures, playground and evaluation tabs and the export dialog. */
    public org.quantlens.app.figures.FeatureTabs features() {
        return features;
    }

    private void bindToolbar() {
        methodBox.getItems().setAll(MainViewModel.METHODS);
        methodBox.valueProperty().bindBidirectional(vm.methodProperty());
        schemeBox.getItems().setAll(QuantScheme.values());
        schemeBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(QuantScheme s) {
                return s == null ? "" : s.cliName();
            }

            @Override
            public QuantScheme fromString(String s) {
                return QuantScheme.fromCliName(s);
            }
        });
        schemeBox.valueProperty().bindBidirectional(vm.schemeProperty());
        bitsBox.getItems().setAll(MainViewModel.BITS);
        bitsBox.valueProperty().bindBidirectional(vm.bitsProperty());
        perChannelToggle.selectedProperty().bindBidirectional(vm.perChannelProperty());
        calibrateButton.disableProperty().bind(vm.calibrateAvailableProperty().not().or(vm.busyProperty()));
        calibrateButton.setTooltip(new Tooltip("Run the model over the calibration data and choose every range with "
                + "the selected method (Ctrl+R)"));
        // Export and evaluation work on the table as the user has tuned it right now.
        exportItem.setOnAction(e -> {
            features.exportModel().tableProperty().set(vm.currentTable());
            features.showExportDialog(window());
        });
        centerTabs.getSelectionModel().selectedItemProperty().addListener(
                (o, was, now) -> features.evaluateModel().tableProperty().set(vm.currentTable()));
    }

    /** Switches AtlantaFX's stylesheet and the chart colours. */
    void applyTheme(Theme t) {
        Application.setUserAgentStylesheet(t == Theme.DARK ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        (t == Theme.DARK ? darkItem : lightItem).setSelected(true);
        histogramController.setDark(t == Theme.DARK);
        features.setDark(t == Theme.DARK);
    }

    private void fillRecent() {
        recentMenu.getItems().clear();
        for (Path p : vm.recentFiles()) {
            MenuItem item = new MenuItem(p.getFileName() + "  —  " + p.getParent());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> openAny(p));
            recentMenu.getItems().add(item);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    private void openAny(Path p) {
        if (p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            vm.openModel(p);
        } else {
            vm.openData(p);
        }
    }

    @FXML
    private void onOpenModel() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open ONNX model");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("ONNX models", "*.onnx"));
        File f = fc.showOpenDialog(window());
        if (f != null) {
            vm.openModel(f.toPath());
        }
    }

    @FXML
    private void onOpenData() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open calibration data (cancel to pick an image folder)");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Tensors", "*.npy", "*.npz", "*.pb"));
        File f = fc.showOpenDialog(window());
        if (f == null) {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Open a folder of images or ONNX test data");
            f = dc.showDialog(window());
        }
        if (f != null) {
            vm.openData(f.toPath());
        }
    }

    @FXML
    private void onCalibrate() {
        vm.calibrate();
    }

    /** The toolbar's method when it is a KL variant, else TensorRT's. */
    private RangeMethod klMethod() {
        RangeMethod m = vm.methodProperty().get();
        return m == RangeMethod.KL_ONNXRUNTIME || m == RangeMethod.KL_NCNN ? m : RangeMethod.KL_TENSORRT;
    }

    @FXML
    private void onKlSearch() {
        vm.searchSelected(klMethod());
    }

    @FXML
    private void onKlSearchAll() {
        vm.searchAll(klMethod());
    }

    @FXML
    private void onMseSearch() {
        vm.searchSelected(RangeMethod.MSE);
    }

    @FXML
    private void onMseSearchAll() {
        vm.searchAll(RangeMethod.MSE);
    }

    @FXML
    private void onCancel() {
        vm.cancel();
    }

    @FXML
    private void onQuit() {
        Window w = window();
        if (w != null) {
            w.fireEvent(new javafx.stage.WindowEvent(w, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
        }
        Platform.exit();
    }

    @FXML
    private void onFind() {
        layersController.focusFilter();
    }

    @FXML
    private void onAbout() {
        Alert a = new Alert(Alert.AlertType.INFORMATION, "Interactive INT8 post-training quantization: calibrate, "
                + "inspect and tune clip thresholds of ONNX models.", ButtonType.OK);
        a.setTitle("About QuantLens");
        a.setHeaderText("QuantLens " + MainView.class.getPackage().getImplementationVersion());
        a.initOwner(window());
        a.showAndWait();
    }

    private void onDragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().stream().anyMatch(f -> usable(f.toPath()))) {
            e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        }
    }

    private void onDragDropped(DragEvent e) {
        List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
        files.stream().map(File::toPath).filter(MainView::usable).findFirst().ifPresent(this::openAny);
        e.setDropCompleted(!files.isEmpty());
        e.consume();
    }

    /** A dropped file the app can open: a model, a tensor file, or a folder (images or ONNX test data). */
    static boolean usable(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".onnx") || n.endsWith(".npy") || n.endsWith(".npz") || n.endsWith(".pb")
                || Files.isDirectory(p);
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }
}
