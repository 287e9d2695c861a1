package org.quantlens.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quantlens.app.fx.BackgroundWork;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.testing.SharedFixtures;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/** The real main window, headless on Monocle: open LeNet with its calibration data, select a layer, drag a marker. */
@ExtendWith(ApplicationExtension.class)
class MainViewFxTest {
    private final Preferences node = Preferences.userRoot().node("org/quantlens/test/" + System.nanoTime());
    private MainViewModel vm;
    private MainView view;

    @Start
    void start(Stage stage) throws Exception {
        vm = new MainViewModel(new AppPreferences(node), BackgroundWork.shared(), Platform::runLater);
        view = QuantLensApp.loadMainView(vm);
        stage.setScene(new Scene(view.root(), 1280, 800));
        stage.show();
    }

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void draggingTheMaxMarkerChangesTheMetricsAndTheTableRow(FxRobot robot) throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path data = SharedFixtures.require("reference/digits_lenet/calib.npy");
        robot.interact(() -> vm.open(model, data, null, null));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.dataPathProperty().get() != null && !vm.busyProperty().get());

        WaitForAsyncUtils.waitForFxEvents();
        // select a layer by clicking its row
        robot.clickOn(robot.lookup(".table-cell").match(LabeledMatchers.hasText("/Relu_output_0")).queryAs(Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        TensorRow row = vm.layers().selectedProperty().get();
        assertEquals("/Relu_output_0", row.name());
        Label sqnr = robot.lookup("#sqnrLabel").queryAs(Label.class);
        Label scale = robot.lookup("#scaleLabel").queryAs(Label.class);
        String sqnrBefore = sqnr.getText();
        String scaleBefore = scale.getText();
        double maxBefore = vm.histogram().clipMaxProperty().get();

        // press on the max marker and drag it a third of the plot to the left
        ChartCanvas canvas = view.histogram().viewer().getCanvas();
        Rectangle2D area = canvas.getRenderingInfo().getPlotInfo().getDataArea();
        XYPlot plot = view.histogram().chart().plot();
        double markerX = plot.getDomainAxis().valueToJava2D(maxBefore, area, plot.getDomainAxisEdge());
        Point2D from = canvas.localToScreen(markerX, area.getCenterY());
        Point2D to = canvas.localToScreen(markerX - area.getWidth() / 3, area.getCenterY());
        robot.drag(from).dropTo(to);
        WaitForAsyncUtils.waitForFxEvents();

        double maxAfter = vm.histogram().clipMaxProperty().get();
        assertTrue(maxAfter < maxBefore, "max marker moved left: " + maxBefore + " -> " + maxAfter);
        assertNotEquals(scaleBefore, scale.getText(), "scale follows the narrower range");
        assertNotEquals(sqnrBefore, sqnr.getText(), "SQNR follows the clipping");
        assertEquals("manual", row.clip().method(), "the table row took the new range");
        assertEquals(maxAfter, row.clip().hi(), 0.0);
        Node slider = robot.lookup("#clipSlider").query();
        assertEquals(maxAfter, ((org.controlsfx.control.RangeSlider) slider).getHighValue(), 1e-9,
                "the slider follows the marker");
    }
}
