package org.quantlens.app.playground;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.quantlens.app.export.ChartExport;
import org.quantlens.app.figures.Curve;
import org.quantlens.app.figures.FigureCharts;

/**
 * Controller of {@code PlaygroundView.fxml}: controls on the left write the view model's properties; the value
 * distribution (with both mappings' representable ranges marked), the two mapping diagrams with their numbers, and
 * the worked multiplication follow the view model.
 */
public final class PlaygroundView {
    private static final Color SYM = new Color(0x2ca02c);
    private static final Color ASYM = new Color(0xd9480f);

    @FXML private BorderPane root;
    @FXML private ComboBox<Distribution> distributionBox;
    @FXML private CheckBox selectedBox;
    @FXML private Label outlierFractionLabel;
    @FXML private Slider outlierFractionSlider;
    @FXML private Label outlierMagnitudeLabel;
    @FXML private Slider outlierMagnitudeSlider;
    @FXML private Label seedLabel;
    @FXML private Button seedButton;
    @FXML private TextField minField;
    @FXML private TextField maxField;
    @FXML private ComboBox<Integer> bitsBox;
    @FXML private Button resetButton;
    @FXML private Label sourceLabel;
    @FXML private StackPane chartHolder;
    @FXML private MappingDiagram symmetricDiagram;
    @FXML private MappingDiagram asymmetricDiagram;
    @FXML private Label symmetricNumbers;
    @FXML private Label asymmetricNumbers;
    @FXML private TextField xField;
    @FXML private TextField wField;
    @FXML private TextField yMinField;
    @FXML private TextField yMaxField;
    @FXML private Button autoRangeButton;
    @FXML private Label dotProblem;
    @FXML private GridPane dotSteps;

    private final ChartViewer viewer = new ChartViewer(null);
    private PlaygroundViewModel vm;
    private boolean dark;

    /** Binds the view to {@code model}; {@code errors} shows chart export failures. */
    public void bind(PlaygroundViewModel model, Consumer<Throwable> errors) {
        this.vm = model;
        viewer.setId("playgroundChart");
        chartHolder.getChildren().add(viewer);
        ChartExport.install(viewer, "playground-distribution", errors);
        distributionBox.getItems().setAll(Distribution.values());
        distributionBox.valueProperty().bindBidirectional(vm.distributionProperty());
        selectedBox.selectedProperty().bindBidirectional(vm.fromSelectedProperty());
        outlierFractionSlider.valueProperty().bindBidirectional(vm.outlierFractionProperty());
        outlierMagnitudeSlider.valueProperty().bindBidirectional(vm.outlierMagnitudeProperty());
        outlierFractionLabel.textProperty().bind(vm.outlierFractionProperty().multiply(100)
                .asString(Locale.ROOT, "Outliers: %.1f%% of the values"));
        outlierMagnitudeLabel.textProperty().bind(vm.outlierMagnitudeProperty()
                .asString(Locale.ROOT, "Outlier magnitude: %.0f σ"));
        seedLabel.textProperty().bind(vm.seedProperty().asString("Seed %d"));
        seedButton.setOnAction(e -> vm.nextSeed());
        bitsBox.getItems().setAll(8, 7, 6, 5, 4, 3, 2);
        bitsBox.setValue(vm.bitsProperty().get());
        bitsBox.valueProperty().addListener((o, a, b) -> vm.bitsProperty().set(b == null ? 8 : b));
        resetButton.setOnAction(e -> vm.resetRange());
        sourceLabel.textProperty().bind(vm.sourceTextProperty());
        numberField(minField, v -> vm.rangeMinProperty().set(v), () -> vm.rangeMinProperty().get());
        numberField(maxField, v -> vm.rangeMaxProperty().set(v), () -> vm.rangeMaxProperty().get());
        vm.rangeMinProperty().addListener((o, a, b) -> minField.setText(text(b.doubleValue())));
        vm.rangeMaxProperty().addListener((o, a, b) -> maxField.setText(text(b.doubleValue())));
        minField.setText(text(vm.rangeMinProperty().get()));
        maxField.setText(text(vm.rangeMaxProperty().get()));
        vm.symmetricProperty().addListener((o, a, b) -> showMappings());
        vm.asymmetricProperty().addListener((o, a, b) -> showMappings());
        bindMultiplication(vm.multiplication());
        showMappings();
    }

    private void bindMultiplication(MultiplicationModel m) {
        xField.textProperty().bindBidirectional(m.xTextProperty());
        wField.textProperty().bindBidirectional(m.wTextProperty());
        numberField(yMinField, v -> m.yMinProperty().set(v), () -> m.yMinProperty().get());
        numberField(yMaxField, v -> m.yMaxProperty().set(v), () -> m.yMaxProperty().get());
        m.yMinProperty().addListener((o, a, b) -> yMinField.setText(text(b.doubleValue())));
        m.yMaxProperty().addListener((o, a, b) -> yMaxField.setText(text(b.doubleValue())));
        yMinField.setText(text(m.yMinProperty().get()));
        yMaxField.setText(text(m.yMaxProperty().get()));
        autoRangeButton.setOnAction(e -> m.autoOutputRange());
        dotProblem.textProperty().bind(m.problemProperty());
        dotProblem.visibleProperty().bind(m.problemProperty().isNotEmpty());
        dotProblem.managedProperty().bind(dotProblem.visibleProperty());
        m.dotProperty().addListener((o, a, d) -> showDot(d));
        showDot(m.dotProperty().get());
    }

    /** Chart and diagram colours for the dark or light theme. */
    public void setDark(boolean isDark) {
        this.dark = isDark;
        symmetricDiagram.setDark(isDark);
        asymmetricDiagram.setDark(isDark);
        showMappings();
    }

    public Parent root() {
        return root;
    }

    private void showDot(QuantizedDot d) {
        dotSteps.getChildren().clear();
        if (d == null) {
            return;
        }
        List<String[]> lines = DotText.lines(d);
        for (int i = 0; i < lines.size(); i++) {
            Label k = new Label(lines.get(i)[0]);
            k.getStyleClass().add("text-muted");
            k.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            Label v = new Label(lines.get(i)[1]);
            v.setWrapText(true);
            v.getStyleClass().add("numbers");
            dotSteps.add(k, 0, i);
            dotSteps.add(v, 1, i);
        }
    }

    private void showMappings() {
        Mapping s = vm.symmetricProperty().get();
        Mapping a = vm.asymmetricProperty().get();
        float[] values = vm.valuesProperty().get();
        double lo = ValueRange.min(values);
        double hi = ValueRange.max(values);
        if (s != null) {
            symmetricDiagram.show(s, lo, hi);
            symmetricNumbers.setText(numbers(s));
        }
        if (a != null) {
            asymmetricDiagram.show(a, lo, hi);
            asymmetricNumbers.setText(numbers(a));
        }
        double cl = Math.min(lo, s == null ? lo : Math.min(s.clipMin(), a.clipMin()));
        double ch = Math.max(hi, s == null ? hi : Math.max(s.clipMax(), a.clipMax()));
        Curve c = Curve.histogram("values", values, cl, ch > cl ? ch : cl + 1, 120);
        JFreeChart chart = FigureCharts.curves("Values and representable ranges (green: symmetric, orange: asymmetric)",
                "value",
                List.of(c), false, 0, dark);
        XYPlot plot = chart.getXYPlot();
        if (s != null) {
            marker(plot, s.clipMin(), SYM);
            marker(plot, s.clipMax(), SYM);
            marker(plot, a.clipMin(), ASYM);
            marker(plot, a.clipMax(), ASYM);
        }
        viewer.setChart(chart);
    }

    private static void marker(XYPlot plot, double v, Color c) {
        plot.addDomainMarker(new ValueMarker(v, c, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {5f, 3f}, 0f)));
    }

    /** The mapping's numbers: scale (with its fraction), zero point, code range, representable range, error. */
    static String numbers(Mapping m) {
        double range = (double) m.scale() * (m.qmax() - m.qmin());
        return String.format(Locale.ROOT, "scale = %s / %d = %.6g%nzero point = %d%ncodes [%d, %d] represent "
                        + "[%.5g, %.5g]%nSQNR %.1f dB    clipped %.2f%%", MultiplicationModel.number(
                        Double.parseDouble(String.format(Locale.ROOT, "%.6g", range))), m.qmax() - m.qmin(), m.scale(),
                m.zeroPoint(), m.qmin(), m.qmax(), m.clipMin(), m.clipMax(), m.sqnrDb(), 100 * m.clipped());
    }

    private static void numberField(TextField f, DoubleConsumer set, java.util.function.DoubleSupplier current) {
        Runnable commit = () -> {
            try {
                double v = Double.parseDouble(f.getText().strip());
                if (Double.isFinite(v)) {
                    set.accept(v);
                    return;
                }
            } catch (NumberFormatException ignored) {
                // fall through: show the current value again
            }
            f.setText(text(current.getAsDouble()));
        };
        f.setOnAction(e -> commit.run());
        f.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                commit.run();
            }
        });
    }

    private static String text(double v) {
        return MultiplicationModel.number(v);
    }
}
