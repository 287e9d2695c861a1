package org.quantlens.app.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quantlens.app.fx.BackgroundWork;
import org.quantlens.testing.SharedFixtures;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The figures view headless: LeNet's weights overlaid, per-sample activation charts, the export menu. */
@ExtendWith(ApplicationExtension.class)
class FiguresViewFxTest {
    private FiguresViewModel vm;
    private FiguresView view;

    @Start
    void start(Stage stage) throws Exception {
        FXMLLoader loader = new FXMLLoader(FiguresView.class.getResource("FiguresView.fxml"));
        loader.load();
        view = loader.getController();
        vm = new FiguresViewModel(BackgroundWork.shared(), Platform::runLater);
        view.bind(vm, e -> { });
        stage.setScene(new Scene(view.root(), 1280, 700));
        stage.show();
    }

    @Test
    void rendersWeightCurvesAndPerSampleCharts(FxRobot robot) throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path data = SharedFixtures.require("reference/digits_lenet/calib.npy");
        robot.interact(() -> {
            vm.modelPathProperty().set(model);
            vm.dataPathProperty().set(data);
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.samplesProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        ChartViewer weights = robot.lookup("#weightsChart").queryAs(ChartViewer.class);
        assertEquals(4, weights.getChart().getXYPlot().getDataset().getSeriesCount());
        assertTrue(weights.getWidth() > 300 && weights.getHeight() > 300, "the chart fills its half");
        assertTrue(weights.getContextMenu().getItems().stream().anyMatch(i -> "Save chart as".equals(i.getText())));

        robot.interact(() -> view.tabs().getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        var charts = robot.lookup(".activation-chart").queryAllAs(ChartViewer.class);
        assertEquals(2, charts.size());
        for (ChartViewer c : charts) {
            assertEquals(FigureData.SAMPLES, c.getChart().getXYPlot().getDataset().getSeriesCount());
            assertTrue(c.isVisible() && c.getWidth() > 100);
        }
    }
}
