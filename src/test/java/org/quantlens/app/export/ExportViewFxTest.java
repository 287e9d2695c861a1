package org.quantlens.app.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.app.fx.BackgroundWork;
import org.quantlens.formats.TableFormat;
import org.quantlens.testing.SharedFixtures;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The export view headless: pick TensorRT, click Export, the cache is written. */
@ExtendWith(ApplicationExtension.class)
class ExportViewFxTest {
    @TempDir
    Path dir;
    private ExportViewModel vm;

    @Start
    void start(Stage stage) {
        vm = new ExportViewModel(BackgroundWork.shared(), Platform::runLater);
        ExportView view = ExportView.load(vm);
        stage.setScene(new Scene(view.root()));
        stage.show();
    }

    @Test
    void exportWritesATensorRtCache(FxRobot robot) throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        Path out = dir.resolve("lenet.cache");
        robot.interact(() -> {
            vm.modelPathProperty().set(model);
            vm.calibrationDataProperty().set(calib);
            vm.formatProperty().set(TableFormat.TENSORRT);
            vm.chooseOut(out);
        });
        robot.clickOn("#exportButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.writtenProperty().get() != null);
        assertTrue(Files.readString(out).startsWith("TRT-"), "a TensorRT cache header");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#exportStatus").queryLabeled().getText().startsWith("Wrote lenet.cache"));
    }
}
