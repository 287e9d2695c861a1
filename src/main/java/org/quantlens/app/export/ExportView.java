package org.quantlens.app.export;

import java.io.File;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.quantlens.formats.TableFormat;

/**
 * Controller of {@code ExportView.fxml}, shown in a non-modal dialog by {@link #showDialog}: format, output path
 * (a folder for onnxruntime), the table that will be written, Export, and the warnings afterwards.
 */
public final class ExportView {
    @FXML private VBox root;
    @FXML private ComboBox<TableFormat> formatBox;
    @FXML private TextField outField;
    @FXML private Button browseButton;
    @FXML private Label tableLabel;
    @FXML private Button tableButton;
    @FXML private Label formatHint;
    @FXML private Button exportButton;
    @FXML private Label statusLabel;
    @FXML private ListView<String> warningList;

    private ExportViewModel vm;

    /** Loads the FXML and binds it to {@code model}. */
    public static ExportView load(ExportViewModel model) {
        FXMLLoader loader = new FXMLLoader(ExportView.class.getResource("ExportView.fxml"));
        try {
            loader.load();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("ExportView.fxml missing from the build", e);
        }
        ExportView v = loader.getController();
        v.bind(model);
        return v;
    }

    /** Shows the export dialog for {@code model} owned by {@code owner} (non-modal; Close hides it). */
    public static Dialog<Void> showDialog(Window owner, ExportViewModel model) {
        ExportView v = load(model);
        Dialog<Void> d = new Dialog<>();
        d.setTitle("Export calibration table");
        d.setHeaderText("Export the calibration table for another runtime");
        d.getDialogPane().setContent(v.root());
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.setResizable(true);
        if (owner != null) {
            d.initOwner(owner);
        }
        d.show();
        return d;
    }

    public void bind(ExportViewModel model) {
        this.vm = model;
        formatBox.getItems().setAll(TableFormat.values());
        formatBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(TableFormat f) {
                return f == null ? "" : label(f);
            }

            @Override
            public TableFormat fromString(String s) {
                return null;
            }
        });
        formatBox.valueProperty().bindBidirectional(vm.formatProperty());
        outField.textProperty().bind(Bindings.createStringBinding(() -> vm.outProperty().get() == null ? ""
                : vm.outProperty().get().toString(), vm.outProperty()));
        tableLabel.textProperty().bind(vm.tableTextProperty());
        formatHint.textProperty().bind(Bindings.createStringBinding(() -> hint(vm.formatProperty().get()),
                vm.formatProperty()));
        browseButton.setOnAction(e -> browse());
        tableButton.setOnAction(e -> chooseTable());
        exportButton.setOnAction(e -> vm.export());
        exportButton.disableProperty().bind(vm.exportableProperty().not());
        statusLabel.textProperty().bind(vm.statusProperty());
        warningList.setItems(vm.warnings());
        warningList.setPlaceholder(new Label("no warnings"));
    }

    public Parent root() {
        return root;
    }

    /** The format's name and what it is, for the combo box. */
    static String label(TableFormat f) {
        return switch (f) {
            case QUANTLENS_JSON -> "quantlens-json — QuantLens table (canonical)";
            case TENSORRT -> "tensorrt — TensorRT calibration cache";
            case NCNN -> "ncnn — ncnn2table table";
            case ONNXRUNTIME -> "onnxruntime — ONNX Runtime calibration folder";
            case ONNX_QDQ -> "onnx-qdq — ONNX model with QuantizeLinear/DequantizeLinear";
        };
    }

    static String hint(TableFormat f) {
        if (f == null) {
            return "";
        }
        return switch (f) {
            case QUANTLENS_JSON -> "Everything: activation ranges, per-channel weight scales, methods and "
                    + "manual flags.";
            case TENSORRT -> "Activations only, symmetric int8 scales (threshold/127) as float32 hex bits; weights "
                    + "are left to TensorRT.";
            case NCNN -> "Per-channel weight scales (127/absmax) and each layer's input blob scale (127/threshold).";
            case ONNXRUNTIME -> "A folder: calibration.json, calibration.cache and calibration.flatbuffers "
                    + "(activation ranges only).";
            case ONNX_QDQ -> "A quantized ONNX model (opset >= 13) that runs in ONNX Runtime: int8 weights, "
                    + "int32 bias, Q/DQ pairs on activations.";
        };
    }

    private void browse() {
        Path current = vm.outProperty().get();
        File chosen;
        if (vm.formatProperty().get() == TableFormat.ONNXRUNTIME) {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Folder for the ONNX Runtime calibration table");
            if (current != null && current.getParent() != null && current.getParent().toFile().isDirectory()) {
                dc.setInitialDirectory(current.getParent().toFile());
            }
            chosen = dc.showDialog(window());
        } else {
            FileChooser fc = new FileChooser();
            fc.setTitle("Export " + vm.formatProperty().get().cliName());
            if (current != null) {
                if (current.getParent() != null && current.getParent().toFile().isDirectory()) {
                    fc.setInitialDirectory(current.getParent().toFile());
                }
                fc.setInitialFileName(current.getFileName().toString());
            }
            chosen = fc.showSaveDialog(window());
        }
        if (chosen != null) {
            vm.chooseOut(chosen.toPath());
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

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }
}
