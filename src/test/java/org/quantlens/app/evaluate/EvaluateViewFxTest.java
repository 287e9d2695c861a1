package org.quantlens.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.app.fx.BackgroundWork;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.Npy;
import org.quantlens.testing.SharedFixtures;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The evaluation panel headless: Run on 32 LeNet test images, then click a bar to select its layer. */
@ExtendWith(ApplicationExtension.class)
class EvaluateViewFxTest {
    @TempDir
    Path dir;
    private EvaluateViewModel vm;
    private EvaluateView view;

    @Start
    void start(Stage stage) throws Exception {
        FXMLLoader loader = new FXMLLoader(EvaluateView.class.getResource("EvaluateView.fxml"));
        loader.load();
        view = loader.getController();
        vm = new EvaluateViewModel(BackgroundWork.shared(), Platform::runLater);
        view.bind(vm, e -> { });
        stage.setScene(new Scene(view.root(), 1280, 700));
        stage.show();
    }

    @Test
    void runShowsTheReportAndABarClickSelectsItsLayer(FxRobot robot) throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        Path test = dir.resolve("test.npy");
        Npy.write(Batching.slice(Npy.read(SharedFixtures.require("reference/digits_lenet/test.npy")), 0, 32), test);
        robot.interact(() -> {
            vm.modelPathProperty().set(model);
            vm.calibrationDataProperty().set(calib);
            vm.dataProperty().set(test);
        });
        robot.clickOn("#evalRunButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.reportProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("32", robot.lookup("#evalSamples").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#evalAgreement").queryAs(Label.class).getText().endsWith("%"));

        ChartViewer chart = robot.lookup("#sqnrChart").queryAs(ChartViewer.class);
        // the canvas draws (and records its entities) on a later pulse
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> logitsBar(chart) != null);
        CategoryItemEntity bar = logitsBar(chart);
        Rectangle2D r = ((ChartEntity) bar).getArea().getBounds2D();
        Point2D p = chart.getCanvas().localToScreen(r.getCenterX(), r.getCenterY());
        robot.clickOn(p);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("logits", vm.selectedLayerProperty().get());
    }

    private static CategoryItemEntity logitsBar(ChartViewer chart) {
        if (chart.getRenderingInfo() == null || chart.getRenderingInfo().getEntityCollection() == null) {
            return null;
        }
        for (Object o : chart.getRenderingInfo().getEntityCollection().getEntities()) {
            if (o instanceof CategoryItemEntity c && c.getColumnKey().equals("logits")) {
                return c;
            }
        }
        return null;
    }
}
