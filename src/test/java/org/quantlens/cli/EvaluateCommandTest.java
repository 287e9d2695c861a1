package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.cli.CliTest.Outcome;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.quant.QuantScheme;
import org.quantlens.runtime.EvaluationReport;
import org.quantlens.tensor.Npy;
import org.quantlens.testing.SharedFixtures;

/** {@code evaluate} on the reference models: ONNX Runtime's MinMax accuracy, the contract's JSON, bad input. */
class EvaluateCommandTest {
    @TempDir
    Path dir;

    /** The minmax table of a reference model (uint8-asymmetric activations, per-channel weights, as ORT's). */
    private Path minmaxTable(Path model) {
        Model m = OnnxReader.read(model);
        CalibrationTable t = MinMaxTables.of(m, Npy.read(model.resolveSibling("calib.npy")), ModelFiles.reference(model),
                QuantScheme.UINT8_ASYMMETRIC);
        Path out = dir.resolve("minmax.json");
        QuantLensJsonFormat.write(t, out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet", "digits_mlp"})
    void int8AccuracyIsWithinHalfAPointOfOnnxRuntimesMinmaxPerChannel(String name) throws IOException {
        Path ref = SharedFixtures.require("reference/" + name);
        Path model = ref.resolve("model.onnx");
        Path report = dir.resolve("r.json");
        Outcome o = CliTest.run("evaluate", model.toString(), "--table", minmaxTable(model).toString(), "--data",
                ref.resolve("test.npy").toString(), "--labels", ref.resolve("test_labels.npy").toString(),
                "--json", report.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode r = Json.MAPPER.readTree(report.toFile());
        double ort = Json.MAPPER.readTree(ref.resolve("quantized.json").toFile())
                .get("qdq_minmax_per_channel").get("acc").asDouble();
        double ours = r.get("int8_accuracy").asDouble();
        assertTrue(Math.abs(ours - ort) <= 0.005, "int8 accuracy " + ours + " vs ONNX Runtime " + ort);
        assertEquals(Npy.read(ref.resolve("test_labels.npy")).size(), r.get("samples").asInt());
        assertTrue(r.get("fp32_accuracy").asDouble() > 0.9, r.toString());
        assertTrue(r.get("top1_agreement").asDouble() >= 0.98, r.toString());
        assertTrue(r.get("logits_sqnr_db").asDouble() >= 25, r.toString());
        assertTrue(o.out().contains("int8") && o.out().contains("SQNR"), o.out());
    }

    /** The acceptance path end to end: calibrate --method minmax, then evaluate, per channel and per tensor. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"digits_lenet, per_channel", "digits_lenet, per_tensor",
            "digits_mlp, per_channel", "digits_mlp, per_tensor"})
    void calibrateMinmaxThenEvaluateMatchesOnnxRuntimesAccuracy(String name, String weights) throws IOException {
        Path ref = SharedFixtures.require("reference/" + name);
        Path model = ref.resolve("model.onnx");
        Path table = dir.resolve("t.json");
        Outcome c = CliTest.run("calibrate", model.toString(), "--data", ref.resolve("calib.npy").toString(),
                "--method", "minmax", "--" + weights.replace('_', '-'), "--out", table.toString());
        assertEquals(0, c.status(), c.out() + c.err());
        Path report = dir.resolve("r.json");
        Outcome o = CliTest.run("evaluate", model.toString(), "--table", table.toString(), "--data",
                ref.resolve("test.npy").toString(), "--labels", ref.resolve("test_labels.npy").toString(),
                "--json", report.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        double ours = Json.MAPPER.readTree(report.toFile()).get("int8_accuracy").asDouble();
        double ort = Json.MAPPER.readTree(ref.resolve("quantized.json").toFile())
                .get("qdq_minmax_" + weights).get("acc").asDouble();
        assertTrue(Math.abs(ours - ort) <= 0.005, name + " " + weights + ": int8 accuracy " + ours + " vs ORT " + ort);
    }

    @Test
    void jsonHasExactlyTheContractFieldsAndALayerRowPerComparedTensor() throws IOException {
        Path ref = SharedFixtures.require("reference/digits_lenet");
        Path model = ref.resolve("model.onnx");
        Path table = minmaxTable(model);
        Path report = dir.resolve("r.json");
        Outcome o = CliTest.run("evaluate", model.toString(), "--table", table.toString(), "--data",
                ref.resolve("test.npy").toString(), "--limit", "50", "--json", report.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode r = Json.MAPPER.readTree(report.toFile());
        assertEquals(List.of("samples", "fp32_accuracy", "int8_accuracy", "top1_agreement", "logits_sqnr_db",
                "fp32_seconds", "int8_seconds", "fallback_nodes", "layers"), fieldNames(r));
        assertEquals(50, r.get("samples").asInt());
        assertTrue(r.get("fp32_accuracy").isNull() && r.get("int8_accuracy").isNull(), "no labels, no accuracy");
        assertTrue(r.get("fallback_nodes").isArray());
        JsonNode layers = r.get("layers");
        assertTrue(layers.size() >= 3, layers.toString());
        CalibrationTable t = QuantLensJsonFormat.read(table, null).table();
        List<String> names = new ArrayList<>();
        for (JsonNode l : layers) {
            assertEquals(List.of("tensor", "op", "sqnr_db", "cosine"), fieldNames(l));
            assertTrue(t.activationEntries().containsKey(l.get("tensor").asText()), l.toString());
            assertTrue(l.get("cosine").asDouble() > 0.9 && l.get("cosine").asDouble() <= 1 + 1e-9, l.toString());
            names.add(l.get("tensor").asText());
        }
        assertTrue(names.contains("input") && names.contains("logits"), names.toString());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void int8AccuracyBelowTheGivenBoundIsAFailedJob() {
        Path ref = SharedFixtures.require("reference/digits_lenet");
        Path model = ref.resolve("model.onnx");
        Outcome o = CliTest.run("evaluate", model.toString(), "--table", minmaxTable(model).toString(), "--data",
                ref.resolve("test.npy").toString(), "--labels", ref.resolve("test_labels.npy").toString(),
                "--min-int8-accuracy", "0.9999");
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("below --min-int8-accuracy"), o.err());
    }

    @Test
    void identicalSignalsWriteInfinityAsAJsonString() throws IOException {
        EvaluationReport r = new EvaluationReport(1, null, null, 1.0, Double.POSITIVE_INFINITY, 0.1, 0.2, List.of(),
                List.of(new EvaluationReport.Layer("x", "input", Double.POSITIVE_INFINITY, 1.0)));
        String text = Json.toString(EvaluateCommand.toJson(r));
        assertTrue(text.contains("\"logits_sqnr_db\" : \"Infinity\""), text);
        JsonNode back = Json.MAPPER.readTree(text);
        assertEquals(Double.POSITIVE_INFINITY, Double.parseDouble(back.get("layers").get(0).get("sqnr_db").asText()));
    }

    @Test
    void labelsOfAnotherLengthAreBadInputOnOneLine() {
        Path ref = SharedFixtures.require("reference/digits_lenet");
        Path model = ref.resolve("model.onnx");
        Outcome o = CliTest.run("evaluate", model.toString(), "--table", minmaxTable(model).toString(), "--data",
                ref.resolve("calib.npy").toString(), "--labels", ref.resolve("test_labels.npy").toString());
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("labels"), o.err());
    }

    @Test
    void tableOfAnotherModelWithSimilarNamesGetsANoteNamingBothModels() throws IOException {
        Path lenet = SharedFixtures.require("reference/digits_lenet");
        Path mlp = SharedFixtures.require("reference/digits_mlp/model.onnx");
        Path table = Files.move(minmaxTable(mlp), dir.resolve("mlp-table.json"));
        Outcome o = CliTest.run("evaluate", lenet.resolve("model.onnx").toString(), "--table", table.toString(),
                "--data", lenet.resolve("test.npy").toString(), "--limit", "20");
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("quantlens: note: " + table + " was made for model.onnx (sha256 "
                + ModelFiles.sha256(mlp) + ")"), o.err());
    }

    @Test
    void tableWithoutAnyTensorOfTheModelIsBadInputNamingIt() throws IOException {
        Path lenet = SharedFixtures.require("reference/digits_lenet");
        Path table = dir.resolve("ghost.json");
        Files.writeString(table, """
                {"format": "quantlens-calibration", "version": 1,
                 "activations": {"scheme": "uint8-asymmetric", "bits": 8},
                 "weights": {"scheme": "int8-symmetric", "bits": 8, "per_channel": true},
                 "tensors": {"ghost": {"kind": "activation", "min": 0, "max": 2.55, "scale": 0.01, "zero_point": 0}}}
                """);
        Outcome o = CliTest.run("evaluate", lenet.resolve("model.onnx").toString(), "--table", table.toString(),
                "--data", lenet.resolve("test.npy").toString());
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("ghost.json") && o.err().contains("ghost"), o.err());
    }
}
