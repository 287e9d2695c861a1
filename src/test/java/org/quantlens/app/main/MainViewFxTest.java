package org.quantlens.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.app.fx.BackgroundWork;
import org.quantlens.app.histogram.SearchCurve;
import org.quantlens.app.layers.TensorRow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real main window, headless on Monocle, on a copy of the bundled sample (MobileNetV1) and its calibration data
 * (so project files land in a temporary folder): drag a marker, adopt a method, KL search, cancel a calibration, and the FX thread's pulses
 * during a whole calibration.
 */
@ExtendWith(ApplicationExtension.class)
class MainViewFxTest {
    private final Preferences node = Preferences.userRoot().node("org/quantlens/test/" + System.nanoTime());
    private MainViewModel vm;
    private MainView view;
    @TempDir
    Path dir;
    private Path model;
    private Path data;

    @Start
    void start(Stage stage) throws Exception {
        vm = new MainViewModel(new AppPreferences(node), BackgroundWork.shared(), Platform::runLater);
        view = QuantLensApp.loadMainView(vm);
        stage.setScene(new Scene(view.root(), 1280, 800));
        stage.show();
    }

    @BeforeEach
    void copySample() throws Exception {
        Path sample = Path.of("sample-models", "mobilenet_v1");
        model = Files.copy(sample.resolve("model.onnx"), dir.resolve("mobilenet_v1.onnx"));
        data = Files.copy(sample.resolve("calib.npy"), dir.resolve("calib.npy"));
    }

    @AfterEach
    void stopAutosaveAndRemoveNode() throws Exception {
        // the autosave writes the project file beside the model on its own thread, debounced: stop it and wait for
        // a write in progress, or it can land in the temporary folder while JUnit deletes it
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(() -> vm.setAutosave(false)));
        vm.flushProject();
        node.removeNode();
    }

    /** The sample's first ReLU6 output. */
    private static final String RELU6 = "/features/features.2/Clip_output_0";

    private void openAndSelectRelu(FxRobot robot) throws Exception {
        robot.interact(() -> vm.open(model, data, null, null));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.calibrationProperty().get() != null
                && !vm.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".table-cell").match(LabeledMatchers.hasText(RELU6)).queryAs(Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(RELU6, vm.layers().selectedProperty().get().name());
    }

    @Test
    void draggingTheMaxMarkerChangesTheMetricsAndTheTableRow(FxRobot robot) throws Exception {
        openAndSelectRelu(robot);
        TensorRow row = vm.layers().selectedProperty().get();
        Label sqnr = robot.lookup("#sqnrLabel").queryAs(Label.class);
        Label scale = robot.lookup("#scaleLabel").queryAs(Label.class);
        Label kl = robot.lookup("#klLabel").queryAs(Label.class);
        String sqnrBefore = sqnr.getText();
        String scaleBefore = scale.getText();
        String klBefore = kl.getText();
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
        assertTrue(kl.getText().endsWith("nats") && !kl.getText().equals(klBefore), "KL filled in on release: "
                + kl.getText());
        assertEquals("manual", row.clip().method(), "the table row took the new range");
        assertEquals(maxAfter, row.clip().hi(), 0.0);
        assertTrue(Double.isFinite(row.clip().metrics().kl()), "the row has KL again after the release");
        Node slider = robot.lookup("#clipSlider").query();
        assertEquals(maxAfter, ((org.controlsfx.control.RangeSlider) slider).getHighValue(), 1e-9,
                "the slider follows the marker");
    }

    @Test
    void klSearchMovesTheMarkersToTheCurvesMinimum(FxRobot robot) throws Exception {
        openAndSelectRelu(robot);
        robot.clickOn("#klSearchButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.histogram().klCurveProperty().get() != null
                && !vm.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        SearchCurve c = vm.histogram().klCurveProperty().get();
        double best = Double.POSITIVE_INFINITY;
        double at = Double.NaN;
        for (int i = 0; i < c.values().length; i++) {
            if (c.values()[i] < best) {
                best = c.values()[i];
                at = c.thresholds()[i];
            }
        }
        assertEquals(at, view.histogram().chart().maxMarker().getValue(), 0.0, "the max marker is at the minimum");
        assertEquals(at, view.histogram().curves().klMinimumMarker().getValue(), 0.0, "the curve marks it");
        assertTrue(robot.lookup("#searchCurveChart").query().isVisible(), "the curve chart is shown");
        assertEquals(c.method().cliName(), vm.layers().selectedProperty().get().clip().method());
    }

    @Test
    void oneClickAdoptsAMethodsRange(FxRobot robot) throws Exception {
        openAndSelectRelu(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.histogram().methodRanges().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(vm.histogram().methodRanges().size() * 1L,
                view.histogram().chart().methodMarkers().stream().count()
                        - vm.histogram().methodRanges().stream().filter(m -> m.lo() < 0).count(),
                "a thin marker per method (and per negative lower end)");
        var pct = vm.histogram().methodRanges().stream()
                .filter(m -> m.method() == org.quantlens.calib.search.RangeMethod.PERCENTILE).findFirst().orElseThrow();
        robot.clickOn("#adopt-percentile");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("percentile", vm.layers().selectedProperty().get().clip().method());
        assertEquals(pct.hi(), view.histogram().chart().maxMarker().getValue(), 0.0);
    }

    @Test
    void cancellingACalibrationKeepsTheUiResponsiveAndWritesNothing(FxRobot robot) throws Exception {
        openAndSelectRelu(robot);
        Calibrator.Result before = vm.calibrationProperty().get();
        Path big = repeated(data, 60, dir.resolve("big.npy")); // 15360 samples: seconds of work
        robot.interact(() -> vm.calibrate(big, null));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.progressProperty().get() > 0.01);
        assertTrue(robot.lookup("#cancelButton").query().isVisible());
        robot.clickOn("#cancelButton");
        WaitForAsyncUtils.waitForFxEvents();
        long t0 = System.nanoTime();
        CompletableFuture<Void> roundTrip = new CompletableFuture<>();
        Platform.runLater(() -> roundTrip.complete(null));
        roundTrip.get(2, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 500, "the FX thread answered in " + ms + " ms");
        assertTrue(!vm.busyProperty().get(), "no longer busy");
        assertSame(before, vm.calibrationProperty().get(), "the previous calibration stays");
        assertEquals(data, vm.dataPathProperty().get(), "and its data");
        vm.flushProject();
        Thread.sleep(300);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("big.npy", "calib.npy", "mobilenet_v1.onnx"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no project or temporary file");
        }
    }

    @Test
    void noPulseIsBlockedForMoreThan100MsDuringAFullCalibration(FxRobot robot) throws Exception {
        openAndSelectRelu(robot); // the model is open and shown; now the Calibrate button
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.histogram().methodRanges().isEmpty());
        Calibrator.Result before = vm.calibrationProperty().get();
        long[] last = {0};
        long[] worst = {0};
        javafx.animation.AnimationTimer timer = new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                if (last[0] != 0) {
                    worst[0] = Math.max(worst[0], now - last[0]);
                }
                last[0] = now;
            }
        };
        robot.interact(timer::start);
        robot.clickOn("#calibrateButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.calibrationProperty().get() != before
                && !vm.busyProperty().get());
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS); // the selection's method ranges come in after
        robot.interact(timer::stop);
        assertTrue(last[0] != 0, "pulses were seen");
        assertTrue(worst[0] < 100_000_000L, "longest gap between pulses " + worst[0] / 1_000_000 + " ms");
    }

    /** {@code npy} (float32, C order) with its samples repeated {@code times} times along the first axis. */
    static Path repeated(Path npy, int times, Path out) throws Exception {
        byte[] all = Files.readAllBytes(npy);
        int headerLen = ByteBuffer.wrap(all, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        String header = new String(all, 10, headerLen, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'shape': \\((\\d+),").matcher(header);
        assertTrue(m.find(), header);
        int n = Integer.parseInt(m.group(1));
        String h = header.substring(0, m.start(1)) + (n * times) + header.substring(m.end(1)).stripTrailing();
        int pad = 64 - ((10 + h.length() + 1) % 64);
        h = h + " ".repeat(pad % 64) + "\n";
        byte[] body = java.util.Arrays.copyOfRange(all, 10 + headerLen, all.length);
        try (var o = Files.newOutputStream(out)) {
            o.write(all, 0, 8);
            o.write(new byte[] {(byte) h.length(), (byte) (h.length() >> 8)});
            o.write(h.getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < times; i++) {
                o.write(body);
            }
        }
        return out;
    }
}
