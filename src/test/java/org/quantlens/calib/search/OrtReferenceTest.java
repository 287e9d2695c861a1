package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quantlens.calib.Histogram;
import org.quantlens.calib.HistogramFile;
import org.quantlens.testing.SharedFixtures;

/**
 * Our ONNX Runtime-compatible methods on ONNX Runtime's own histograms must give ONNX Runtime's ranges
 * (../shared/reference/&lt;model&gt;/calibrators.json, produced by ORT 1.30).
 */
class OrtReferenceTest {
    private static final double RTOL = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet", "digits_mlp"})
    void klOnnxRuntimeMatchesOrtEntropyOnEveryTensor(String model) throws IOException {
        checkAll(model, "hist_entropy_2048_128.json", "entropy_2048_128", h -> KlOnnxRuntime.search(h, 128));
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet", "digits_mlp"})
    void klOnnxRuntimeMatchesOrtSymmetricEntropyOnEveryTensor(String model) throws IOException {
        checkAll(model, "hist_entropy_2048_128_symmetric.json", "entropy_2048_128_symmetric",
                h -> KlOnnxRuntime.search(h, 128));
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet", "digits_mlp"})
    void percentileMatchesOrtPercentileDefaultOnEveryTensor(String model) throws IOException {
        checkAll(model, "hist_percentile_default.json", "percentile_default",
                h -> Percentile.search(h, 99.999, true));
    }

    /** ORT's asymmetric percentile uses collect_value with 2048 bins: the same histogram as entropy_2048_128. */
    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet", "digits_mlp"})
    void asymmetricPercentileMatchesOrtOnTheSignedHistograms(String model) throws IOException {
        checkAll(model, "hist_entropy_2048_128.json", "percentile_99.99_asymmetric",
                h -> Percentile.search(h, 99.99, false));
    }

    private interface Method {
        SearchResult apply(Histogram h);
    }

    private static void checkAll(String model, String histFile, String config, Method method) throws IOException {
        Path dir = SharedFixtures.require("reference/" + model);
        Map<String, Histogram> hists = HistogramFile.read(dir.resolve(histFile));
        JsonNode tensors = new ObjectMapper().readTree(dir.resolve("calibrators.json").toFile())
                .path(config).path("tensors");
        assertFalse(hists.isEmpty());
        assertEquals(tensors.size(), hists.size(), "tensor count");
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Histogram> e : hists.entrySet()) {
            JsonNode want = tensors.get(e.getKey());
            assertTrue(want != null, "calibrators.json lacks " + e.getKey());
            Range got = method.apply(e.getValue()).range();
            double lo = scalar(want.get("lowest"));
            double hi = scalar(want.get("highest"));
            if (!close(got.lo(), lo) || !close(got.hi(), hi)) {
                failures.add(e.getKey() + ": got [" + got.lo() + ", " + got.hi() + "], ORT [" + lo + ", " + hi + "]");
            }
        }
        assertTrue(failures.isEmpty(), model + "/" + config + ":\n" + String.join("\n", failures));
    }

    private static double scalar(JsonNode n) {
        return n.isArray() ? n.get(0).asDouble() : n.asDouble();
    }

    private static boolean close(double got, double want) {
        return Math.abs(got - want) <= RTOL * Math.max(Math.abs(want), 1e-30) || got == want;
    }
}
