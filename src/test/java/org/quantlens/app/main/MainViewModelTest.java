package org.quantlens.app.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.quant.QuantScheme;
import org.quantlens.testing.SharedFixtures;

class MainViewModelTest {
    private final Preferences node = Preferences.userRoot().node("org/quantlens/test/" + System.nanoTime());
    private final MainViewModel vm = new MainViewModel(new AppPreferences(node), Runnable::run, Runnable::run);

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void openingLenetWithDataFillsTheBrowserAndSelectsAnObservedActivation() {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path data = SharedFixtures.require("reference/digits_lenet/calib.npy");
        boolean[] then = new boolean[1];
        vm.open(model, data, null, () -> then[0] = true);
        assertTrue(then[0]);
        assertEquals(model, vm.modelPathProperty().get());
        assertEquals(data, vm.dataPathProperty().get());
        assertTrue(vm.layers().rows().stream().filter(r -> r.kind() == TensorKind.ACTIVATION)
                .allMatch(TensorRow::hasHistogram));
        TensorRow sel = vm.layers().selectedProperty().get();
        assertNotNull(sel);
        assertEquals(TensorKind.ACTIVATION, sel.kind());
        assertFalse(vm.busyProperty().get());
        assertEquals(model.toAbsolutePath().normalize(), vm.recentFiles().get(0));
        assertTrue(vm.titleProperty().get().contains("model.onnx"));
    }

    @Test
    void aMissingModelBecomesAOneLineFailure() {
        vm.openModel(Path.of("/nowhere/missing.onnx"));
        MainViewModel.Failure f = vm.failureProperty().get();
        assertNotNull(f);
        assertTrue(f.message().contains("missing.onnx"), f.message());
        assertFalse(f.message().contains("\n"));
    }

    @Test
    void dataWithoutAModelIsRefused() {
        vm.openData(Path.of("x.npy"));
        assertNotNull(vm.failureProperty().get());
    }

    @Test
    void theToolbarSchemeAndBitsDriveTheSpec() {
        vm.schemeProperty().set(QuantScheme.INT8_SYMMETRIC);
        vm.bitsProperty().set(4);
        assertEquals(QuantScheme.INT8_SYMMETRIC, vm.layers().specProperty().get().scheme());
        assertEquals(4, vm.layers().specProperty().get().bits());
    }

    @Test
    void calibrateIsAvailableOnceAModelAndItsDataAreOpen() {
        assertFalse(vm.calibrateAvailableProperty().get());
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        vm.openModel(model);
        assertFalse(vm.calibrateAvailableProperty().get(), "a model alone has nothing to calibrate with");
        vm.openData(SharedFixtures.require("reference/digits_lenet/calib.npy"));
        assertTrue(vm.calibrateAvailableProperty().get());
    }
}
