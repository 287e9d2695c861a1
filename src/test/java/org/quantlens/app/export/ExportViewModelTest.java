package org.quantlens.app.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.app.evaluate.TableSource;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.testing.SharedFixtures;

class ExportViewModelTest {
    private static final Executor NOW = Runnable::run;
    @TempDir
    Path dir;

    @Test
    void outputPathFollowsTheFormatUntilChosen() {
        ExportViewModel vm = new ExportViewModel(NOW, NOW);
        vm.modelPathProperty().set(Path.of("/m/lenet.onnx"));
        assertEquals(Path.of("/m/lenet.quantlens.json"), vm.outProperty().get());
        vm.formatProperty().set(TableFormat.ONNXRUNTIME);
        assertEquals(Path.of("/m/lenet_ort_calibration"), vm.outProperty().get());
        vm.chooseOut(Path.of("/tmp/x.cache"));
        vm.formatProperty().set(TableFormat.TENSORRT);
        assertEquals(Path.of("/tmp/x.cache"), vm.outProperty().get());
    }

    @Test
    void everyFormatIsWrittenWithTheSameBytesAsTheWriterGivesForTheSameTable() throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        Model m = OnnxReader.read(model);
        // the table the dialog exports when the main window has none: minmax on the calibration data
        CalibrationTable table = new TableSource(null, null, calib).resolve(m, model, CancellationToken.none(),
                ProgressMonitor.NONE).table();
        Path tableFile = dir.resolve("t.json");
        QuantLensJsonFormat.write(table, tableFile);
        for (TableFormat f : TableFormat.values()) {
            ExportViewModel vm = new ExportViewModel(NOW, NOW);
            vm.modelPathProperty().set(model);
            vm.tableFileProperty().set(tableFile);
            vm.formatProperty().set(f);
            Path out = dir.resolve("app-" + f.cliName() + (f == TableFormat.ONNXRUNTIME ? "" : ".out"));
            vm.chooseOut(out);
            assertTrue(vm.exportableProperty().get());
            vm.export();
            assertEquals(out, vm.writtenProperty().get(), f + ": " + vm.statusProperty().get());

            Path ref = dir.resolve("ref-" + f.cliName() + (f == TableFormat.ONNXRUNTIME ? "" : ".out"));
            java.util.List<String> warnings = TableFormats.write(QuantLensJsonFormat.read(tableFile, m).table(), f, m,
                    ref);
            assertEquals(warnings, vm.warnings(), f + " warnings");
            if (f == TableFormat.ONNXRUNTIME) {
                for (String name : new String[] {"calibration.json", "calibration.cache"}) {
                    assertArrayEquals(Files.readAllBytes(ref.resolve(name)), Files.readAllBytes(out.resolve(name)),
                            f + " " + name);
                }
            } else {
                assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(out), f.cliName());
            }
        }
    }

    @Test
    void withoutAnyTableSourceNothingIsExportable() {
        ExportViewModel vm = new ExportViewModel(NOW, NOW);
        vm.modelPathProperty().set(Path.of("/m/lenet.onnx"));
        assertFalse(vm.exportableProperty().get());
        assertEquals("Table: no table", vm.tableTextProperty().get());
    }

    @Test
    void aFailedExportSaysWhyInOneLine() throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");
        ExportViewModel vm = new ExportViewModel(NOW, NOW);
        vm.modelPathProperty().set(model);
        vm.calibrationDataProperty().set(calib);
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        vm.chooseOut(notAFolder.resolve("t.json"));
        vm.export();
        assertTrue(vm.statusProperty().get().startsWith("Export failed: "), vm.statusProperty().get());
        assertFalse(vm.statusProperty().get().contains("\n"));
        assertEquals(null, vm.writtenProperty().get());
        assertEquals("x", Files.readString(notAFolder));
    }
}
