package org.quantlens.app.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

class ActivationProfilerTest {
    private final Path modelFile = SharedFixtures.require("reference/digits_lenet/model.onnx");
    private final Path calib = SharedFixtures.require("reference/digits_lenet/calib.npy");

    @Test
    void theInputsRangeAndCountMatchTheCalibrationArrayItself() {
        Model model = OnnxReader.read(modelFile);
        String input = model.graph().inputNames().get(0);
        Map<String, TensorStats> stats = profile(model, Set.of(input), CancellationToken.none());
        Tensor data = Npy.read(calib).toFloat32();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : data.floats()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        TensorStats s = stats.get(input);
        assertEquals(min, s.min(), 0.0);
        assertEquals(max, s.max(), 0.0);
        assertEquals(data.size(), s.histogram().total(), 0.0, "second pass counts every value once");
    }

    @Test
    void reluOutputsAreNeverNegative() {
        Model model = OnnxReader.read(modelFile);
        Set<String> relus = model.graph().nodes().stream().filter(n -> n.opType().equals("Relu"))
                .map(n -> n.outputs().get(0)).collect(Collectors.toSet());
        Map<String, TensorStats> stats = profile(model, relus, CancellationToken.none());
        assertEquals(relus, stats.keySet());
        stats.values().forEach(s -> assertTrue(s.min() >= 0, "min " + s.min()));
        stats.values().forEach(s -> assertTrue(s.histogram().zeroCount() > 0, "ReLU makes exact zeros"));
    }

    @Test
    void aCancelledTokenStopsTheRun() {
        Model model = OnnxReader.read(modelFile);
        CancellationToken token = new CancellationToken();
        token.cancel();
        assertThrows(CancellationToken.CancelledException.class,
                () -> profile(model, Set.of(model.graph().inputNames().get(0)), token));
    }

    private Map<String, TensorStats> profile(Model model, Set<String> names, CancellationToken token) {
        try (BatchSource source = DataSources.open(calib, new DataOptions(model.graph().inputNames(), null, null, 0))) {
            return new ActivationProfiler(16).profile(Engine.load(model), source, names, token, ProgressMonitor.NONE);
        }
    }
}
