package org.quantlens.app.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** The figures' view model on LeNet, background work run on the calling thread. */
class FiguresViewModelTest {
    private static final Executor NOW = Runnable::run;

    @Test
    void weightCurvesAreFractionsAndChannelRangesCoverEachWeight() {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        FiguresViewModel vm = new FiguresViewModel(NOW, NOW);
        vm.modelPathProperty().set(model);

        WeightFigures w = vm.weightsProperty().get();
        assertNotNull(w);
        assertEquals(List.of("c1.weight", "c2.weight", "f1.weight", "f2.weight"), vm.weightNames());
        for (Curve c : w.curves()) {
            assertEquals(1.0, c.sum(), 1e-9, c.name() + " sums to 1");
            assertEquals(WeightFigures.BINS, c.x().length);
        }
        // every curve shares one grid
        assertEquals(w.curves().get(0).x()[0], w.curves().get(3).x()[0]);
        assertEquals("c1.weight", vm.selectedWeightProperty().get());
        WeightFigures.ChannelRanges c1 = vm.channelsProperty().get();
        Tensor t = OnnxReader.read(model).graph().initializers().get("c1.weight");
        assertEquals(t.shape().dim(0), c1.min().length, "one range per output channel");
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : t.floats()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float clo = Float.POSITIVE_INFINITY;
        float chi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < c1.min().length; i++) {
            assertTrue(c1.min()[i] <= c1.max()[i]);
            clo = Math.min(clo, c1.min()[i]);
            chi = Math.max(chi, c1.max()[i]);
        }
        assertEquals(lo, clo);
        assertEquals(hi, chi);
        assertNull(vm.samplesProperty().get(), "no per-sample curves without data");

        vm.selectedWeightProperty().set("f2.weight");
        assertEquals("f2.weight", vm.channelsProperty().get().name());
    }

    @Test
    void dataGivesOneCurvePerSampleForEveryBatchedActivation() {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Path data = SharedFixtures.require("reference/digits_lenet/calib.npy");
        FiguresViewModel vm = new FiguresViewModel(NOW, NOW);
        vm.modelPathProperty().set(model);
        vm.dataPathProperty().set(data);

        SampleCurves s = vm.samplesProperty().get();
        assertNotNull(s);
        assertTrue(vm.activationNames().contains("logits"));
        for (String name : vm.activationNames()) {
            List<Curve> curves = vm.curvesOf(name);
            assertEquals(FigureData.SAMPLES, curves.size(), name);
            curves.forEach(c -> assertEquals(1.0, c.sum(), 1e-9, name + " " + c.name()));
        }
        assertEquals(2, vm.selectedActivations().size(), "two activations shown at first");
        vm.selectActivations(List.of("input", "logits", "/Relu_output_0", "/MaxPool_output_0", "/Flatten_output_0"));
        assertEquals(FiguresViewModel.MAX_ACTIVATION_CHARTS, vm.selectedActivations().size());
    }

    @Test
    void aHiddenViewComputesNothingUntilShown() {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        FiguresViewModel vm = new FiguresViewModel(NOW, NOW);
        vm.activeProperty().set(false);
        vm.modelPathProperty().set(model);
        assertNull(vm.weightsProperty().get());
        vm.activeProperty().set(true);
        assertNotNull(vm.weightsProperty().get());
    }
}
