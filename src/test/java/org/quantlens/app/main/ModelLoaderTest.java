package org.quantlens.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantScheme;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.testing.SharedFixtures;

class ModelLoaderTest {
    private static final Calibrator.Settings SETTINGS = new Calibrator.Settings(RangeMethod.MINMAX,
            QuantScheme.UINT8_ASYMMETRIC, 8, true);

    @Test
    void loadsLenetAndProfilesEveryActivationOnItsCalibrationData() {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path data = SharedFixtures.require("reference/digits_lenet/calib.npy");
        LoadResult r = ModelLoader.load(model, data, null, SETTINGS, CancellationToken.none(), ProgressMonitor.NONE);
        assertNull(r.dataError(), r.dataError());
        long activations = r.entries().stream().filter(e -> e.kind() == TensorKind.ACTIVATION).count();
        assertEquals(activations, r.calibration().statistics().activations().size(), "every float activation observed");
        assertEquals(activations, r.calibration().table().table().activationEntries().size(), "and in the table");
    }

    @Test
    void aMissingModelIsAOneLineInvalidInput(@TempDir Path dir) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelLoader.load(
                dir.resolve("nope.onnx"), null, null, SETTINGS, CancellationToken.none(), ProgressMonitor.NONE));
        assertTrue(e.getMessage().contains("nope.onnx"), e.getMessage());
    }

    @Test
    void badDataKeepsTheModelAndReportsTheDataProblem(@TempDir Path dir) throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path junk = java.nio.file.Files.writeString(dir.resolve("junk.npy"), "not an npy file");
        LoadResult r = ModelLoader.load(model, junk, null, SETTINGS, CancellationToken.none(), ProgressMonitor.NONE);
        assertTrue(r.entries().size() > 0);
        assertTrue(r.dataError() != null && r.dataError().contains("junk.npy"), String.valueOf(r.dataError()));
        assertNull(r.calibration());
    }
}
