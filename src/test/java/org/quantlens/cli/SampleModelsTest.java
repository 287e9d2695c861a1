package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quantlens.cli.CliTest.Outcome;

/**
 * The bundled samples keep their promises: {@code evaluate} with a minmax table made from each sample's own
 * calibration set reproduces the FP32 accuracy that {@code sample-models/manifest.json} (and its README) states,
 * and INT8 stays within one point of it with no FP32 fallbacks.
 */
class SampleModelsTest {
    static final Path SAMPLES = Path.of("sample-models");

    static List<String> samples() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode m : Json.MAPPER.readTree(SAMPLES.resolve("manifest.json").toFile()).get("models")) {
            names.add(m.get("dir").asText());
        }
        return names;
    }

    @ParameterizedTest
    @MethodSource("samples")
    void minmaxInt8IsWithinOnePointOfTheStatedFp32Accuracy(String dir, @TempDir Path tmp) throws Exception {
        Path d = SAMPLES.resolve(dir);
        double stated = 0;
        for (JsonNode m : Json.MAPPER.readTree(SAMPLES.resolve("manifest.json").toFile()).get("models")) {
            if (m.get("dir").asText().equals(dir)) {
                stated = m.get("fp32_accuracy").asDouble();
            }
        }
        Path table = tmp.resolve("t.json");
        Outcome cal = CliTest.run("calibrate", d.resolve("model.onnx").toString(), "--data",
                d.resolve("calib.npy").toString(), "--method", "minmax", "--out", table.toString());
        assertEquals(0, cal.status(), cal.err());
        Path report = tmp.resolve("r.json");
        Outcome ev = CliTest.run("evaluate", d.resolve("model.onnx").toString(), "--table", table.toString(),
                "--data", d.resolve("eval.npy").toString(), "--labels", d.resolve("eval_labels.npy").toString(),
                "--json", report.toString());
        assertEquals(0, ev.status(), ev.err());
        JsonNode r = Json.MAPPER.readTree(report.toFile());
        double fp32 = r.get("fp32_accuracy").asDouble();
        double int8 = r.get("int8_accuracy").asDouble();
        // the manifest states accuracies to four decimals
        assertEquals(stated, fp32, 0.5e-4, dir + ": FP32 accuracy differs from the manifest");
        assertTrue(Math.abs(fp32 - int8) <= 0.01, dir + ": int8 " + int8 + " vs fp32 " + fp32);
        assertEquals(0, r.get("fallback_nodes").size(), dir + ": " + r.get("fallback_nodes"));
    }
}
