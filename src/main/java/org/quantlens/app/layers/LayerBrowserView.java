package org.quantlens.app.layers;

import java.util.Comparator;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Label;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.quantlens.calib.metrics.ErrorMetrics;

/**
 * Controller of {@code LayerBrowserView.fxml}: a filter field over a sortable table of tensors. Numeric columns
 * sort by value, not by text; the table's selection is pushed into the view model's selected row and back.
 */
public final class LayerBrowserView {
    @FXML private TextField filterField;
    @FXML private TableView<TensorRow> table;
    @FXML private Label countLabel;

    private LayerBrowserViewModel viewModel;

    /** Binds the view to {@code vm}; call once after loading the FXML. */
    public void bind(LayerBrowserViewModel vm) {
        this.viewModel = vm;
        filterField.textProperty().bindBidirectional(vm.filterProperty());
        SortedList<TensorRow> sorted = new SortedList<>(vm.visibleRows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.setPlaceholder(new Label("Open a model (File › Open model… or drop an .onnx file here)"));
        countLabel.textProperty().bind(Bindings.createStringBinding(
                () -> vm.visibleRows().size() + " of " + vm.rows().size() + " tensors", vm.visibleRows(), vm.rows()));
        addColumns();
        table.getStyleClass().addAll("dense", "striped");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> vm.selectedProperty().set(row));
        vm.selectedProperty().addListener((o, a, row) -> {
            if (row != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(row);
                int index = table.getItems().indexOf(row);
                if (index >= 0) {
                    table.scrollTo(Math.max(0, index - 2)); // keep a little context above the selection
                }
            }
        });
    }

    public TableView<TensorRow> table() {
        return table;
    }

    /** Puts the caret in the filter field (Ctrl+F). */
    public void focusFilter() {
        filterField.requestFocus();
        filterField.selectAll();
    }

    private void addColumns() {
        table.getColumns().setAll(java.util.List.of(
                text("Name", 165, TensorRow::name),
                text("Kind", 76, r -> r.kind().toString()),
                text("Op", 76, TensorRow::op),
                text("Shape", 118, TensorRow::shape),
                live("Observed range", 140, r -> Bindings.createStringBinding(
                        () -> r.stats() == null ? "" : r.stats().rangeText(), r.statsProperty())),
                live("Clip range", 140, r -> clipText(r, ClipState::rangeText)),
                live("Method", 104, r -> clipText(r, ClipState::method)),
                live("Scale / zp", 118, r -> clipText(r, ClipState::scaleZeroPointText)),
                number("SQNR", 66, r -> metric(r, ErrorMetrics::sqnrDb)),
                number("Clip %", 66, r -> metric(r, m -> 100 * m.fractionClipped())),
                live("Warnings", 140, r -> Bindings.createStringBinding(
                        () -> r.stats() == null ? "" : String.join("; ", r.stats().warnings()), r.statsProperty()))));
    }

    private static TableColumn<TensorRow, String> text(String title, double width, Function<TensorRow, String> f) {
        return live(title, width, r -> new ReadOnlyStringWrapper(f.apply(r)).getReadOnlyProperty());
    }

    private static TableColumn<TensorRow, String> live(String title, double width,
                                                       Function<TensorRow, ObservableValue<String>> f) {
        TableColumn<TensorRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> f.apply(cd.getValue()));
        return c;
    }

    /** A numeric column: shows 4 significant digits, sorts numerically, blank (sorted last) for NaN. */
    private static TableColumn<TensorRow, Double> number(String title, double width,
                                                         Function<TensorRow, ObservableValue<Double>> f) {
        TableColumn<TensorRow, Double> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> f.apply(cd.getValue()));
        c.setComparator(Comparator.nullsLast(Comparator.comparingDouble(d -> Double.isNaN(d) ? Double.MAX_VALUE : d)));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? "" : Format.number(v));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        return c;
    }

    private static ObservableValue<String> clipText(TensorRow r, Function<ClipState, String> f) {
        return Bindings.createStringBinding(() -> r.clip() == null ? "" : f.apply(r.clip()), r.clipProperty());
    }

    private static ObservableValue<Double> metric(TensorRow r, Function<ErrorMetrics, Double> f) {
        return Bindings.createObjectBinding(() -> r.clip() == null || r.clip().metrics() == null ? null
                : f.apply(r.clip().metrics()), r.clipProperty());
    }
}
