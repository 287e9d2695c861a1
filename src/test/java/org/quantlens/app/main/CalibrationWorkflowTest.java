package org.quantlens.app.main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.app.histogram.MethodRange;
import org.quantlens.app.histogram.SearchCurve;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.cli.QuantLensCommand;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.testing.SharedFixtures;

/**
 * The main view model's calibration workflow without a Stage (jobs run on the calling thread): calibrate on open,
 * the table rows, method ranges, KL search, the current table against the CLI's, and the project file.
 */
class CalibrationWorkflowTest {
    private final Preferences node = Preferences.userRoot().node("org/quantlens/test/" + System.nanoTime());
    private final MainViewModel vm = new MainViewModel(new AppPreferences(node), Runnable::run, Runnable::run);
    @TempDir
    Path dir;
    private Path model;
    private Path data;

    @BeforeEach
    void copyLenet() throws Exception {
        // a copy, so the project file lands in the temporary folder and never beside the shared model
        model = Files.copy(SharedFixtures.require("reference/digits_lenet/model.onnx"), dir.resolve("lenet.onnx"));
        data = Files.copy(SharedFixtures.require("reference/digits_lenet/calib.npy"), dir.resolve("calib.npy"));
    }

    @AfterEach
    void stopAutosaveAndRemoveNode() throws Exception {
        // the autosave writes beside the model on its own thread: stop it and wait for a write in progress, or it
        // can land in the temporary folder while JUnit deletes it
        vm.setAutosave(false);
        vm.flushProject();
        node.removeNode();
    }

    private void open(RangeMethod m) {
        vm.methodProperty().set(m);
        vm.open(model, data, null, null);
        assertNull(vm.failureProperty().get());
        assertNotNull(vm.calibrationProperty().get(), "data given: calibrated on open");
    }

    @Test
    void openingWithDataCalibratesAndEveryActivationRowShowsItsTableEntry() {
        open(RangeMethod.PERCENTILE);
        CalibrationTable table = vm.calibrationProperty().get().table().table();
        for (TensorRow r : vm.layers().rows()) {
            if (r.kind() != TensorKind.ACTIVATION) {
                continue;
            }
            ActivationEntry e = table.activationEntries().get(r.name());
            assertNotNull(e, r.name());
            assertEquals(e.min(), r.clip().lo(), 0.0, r.name());
            assertEquals(e.max(), r.clip().hi(), 0.0, r.name());
            assertEquals("percentile", r.clip().method());
            assertEquals(e.scale(), r.clip().params().scale(), Math.ulp((float) e.scale()), r.name());
            assertEquals(e.zeroPoint(), r.clip().params().zeroPoint(), r.name());
            assertNotNull(r.clip().metrics(), "SQNR and % clipped come from the histogram model");
        }
    }

    @Test
    void theCurrentTableIsTheTableTheCliWritesForTheSameSettings() throws Exception {
        open(RangeMethod.KL_TENSORRT);
        Path cliTable = dir.resolve("cli.json");
        StringWriter err = new StringWriter();
        int status = QuantLensCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "calibrate",
                model.toString(), "--data", data.toString(), "--method", "kl-tensorrt", "--scheme",
                "uint8-asymmetric", "--out", cliTable.toString());
        assertEquals(0, status, err.toString());
        var lenet = OnnxReader.read(model);
        CalibrationTable cli = QuantLensJsonFormat.read(cliTable, lenet).table();
        assertEquals(QuantLensJsonFormat.toJson(cli), QuantLensJsonFormat.toJson(vm.currentTable()));

        Path fromApp = dir.resolve("app.cache");
        Path fromCli = dir.resolve("cli.cache");
        vm.exportTable(TableFormat.TENSORRT, fromApp);
        TableFormats.write(cli, TableFormat.TENSORRT, lenet, fromCli);
        assertArrayEquals(Files.readAllBytes(fromCli), Files.readAllBytes(fromApp));
    }

    @Test
    void eachMethodsRangeIsOfferedAndAdoptingOneClipsThere() {
        open(RangeMethod.MINMAX);
        List<MethodRange> ranges = vm.histogram().methodRanges();
        assertEquals(RangeMethod.values().length, ranges.size(), "all eight methods on the selected activation");
        TensorRow row = vm.layers().selectedProperty().get();
        MethodRange pct = ranges.stream().filter(m -> m.method() == RangeMethod.PERCENTILE).findFirst().orElseThrow();
        assertTrue(pct.hi() <= row.stats().max(), "percentile clips inside the observed range");
        vm.histogram().adopt(pct);
        assertEquals("percentile", row.clip().method());
        assertEquals(pct.hi(), row.clip().hi(), 0.0);
        assertEquals(pct.hi(), vm.histogram().clipMaxProperty().get(), 0.0);
    }

    @Test
    void klSearchMovesTheClipToTheMinimumOfItsCurve() {
        open(RangeMethod.MINMAX);
        TensorRow row = vm.layers().selectedProperty().get();
        vm.searchSelected(RangeMethod.KL_TENSORRT);
        SearchCurve c = vm.histogram().klCurveProperty().get();
        assertNotNull(c);
        int argmin = 0;
        for (int i = 1; i < c.values().length; i++) {
            if (c.values()[i] < c.values()[argmin]) {
                argmin = i;
            }
        }
        assertEquals(c.thresholds()[argmin], c.bestThreshold(), 0.0, "the marked minimum is the curve's minimum");
        assertEquals(c.bestThreshold(), vm.histogram().clipMaxProperty().get(), 0.0, "the max marker moved there");
        assertEquals("kl-tensorrt", row.clip().method());
    }

    @Test
    void searchingAllTensorsKeepsRangesSetByHand() {
        open(RangeMethod.MINMAX);
        TensorRow manual = vm.layers().selectedProperty().get();
        vm.histogram().setClip(0, manual.stats().max() / 2);
        vm.searchAll(RangeMethod.MSE);
        assertEquals("manual", manual.clip().method());
        long searched = vm.layers().rows().stream().filter(r -> r.clip() != null && "mse".equals(r.clip().method()))
                .count();
        long calibrated = vm.layers().rows().stream().filter(r -> r.calibration() != null).count();
        assertEquals(calibrated - 1, searched);
    }

    @Test
    void aManualThresholdIsSavedBesideTheModelAndComesBackOnOpen() {
        open(RangeMethod.MINMAX);
        TensorRow row = vm.layers().selectedProperty().get();
        double hi = row.stats().max() / 3;
        vm.histogram().clipMaxProperty().set(hi);
        vm.flushProject();
        Path project = dir.resolve("lenet.onnx" + ProjectFile.SUFFIX);
        assertTrue(Files.isRegularFile(project), "autosaved");
        ActivationEntry saved = QuantLensJsonFormat.read(project, null).table().activationEntries().get(row.name());
        assertTrue(saved.manual());
        assertEquals((float) hi, saved.max(), 0.0);

        MainViewModel again = new MainViewModel(new AppPreferences(node), Runnable::run, Runnable::run);
        again.methodProperty().set(RangeMethod.MINMAX);
        again.open(model, data, null, null);
        TensorRow back = again.layers().find(row.name());
        assertEquals("manual", back.clip().method());
        assertEquals((float) hi, back.clip().hi(), 0.0);
        assertTrue(again.statusProperty().get().contains("restored"), again.statusProperty().get());
    }

    @Test
    void openingAndCalibratingWriteNothingBesideTheModel() throws Exception {
        open(RangeMethod.MINMAX);
        vm.calibrate();
        vm.flushProject();
        try (var files = Files.list(dir)) {
            assertEquals(List.of("calib.npy", "lenet.onnx"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
        assertFalse(vm.busyProperty().get());
    }
}
