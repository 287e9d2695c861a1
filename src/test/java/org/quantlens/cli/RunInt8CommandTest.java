package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quantlens.cli.CliTest.Outcome;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/**
 * {@code run --int8}: ONNX Runtime's own QDQ models (../shared/reference/*&#47;qdq_*.onnx) through our INT8 path
 * (their table imported with {@code import --format onnx-qdq}, then the FP32 model run with it) against ONNX
 * Runtime's logits for them: top-1 agreement >= 99% and logits SQNR >= 30 dB, checked by run's own --expect bounds
 * and again here from the written outputs.
 */
class RunInt8CommandTest {
    @TempDir
    Path dir;

    static Stream<Arguments> ortQdqModels() throws IOException {
        List<Arguments> all = new java.util.ArrayList<>();
        for (String name : List.of("digits_lenet", "digits_mlp")) {
            Path ref = SharedFixtures.require("reference/" + name);
            try (Stream<Path> s = Files.list(ref)) {
                s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("qdq_") && f.endsWith(".onnx"))
                        .sorted().forEach(f -> all.add(Arguments.of(name, f.substring(0, f.length() - 5))));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ortQdqModels")
    void ortQdqModelRunsThroughTheInt8PathAndAgreesWithOrtsLogits(String name, String qdq) throws IOException {
        Path ref = SharedFixtures.require("reference/" + name);
        Path table = dir.resolve("t.json");
        Outcome imp = CliTest.run("import", ref.resolve(qdq + ".onnx").toString(), "--format", "onnx-qdq",
                "--model", ref.resolve("model.onnx").toString(), "--out", table.toString());
        assertEquals(0, imp.status(), imp.out() + imp.err());

        Path out = dir.resolve("logits.npy");
        Path expected = ref.resolve(qdq + "_logits.npy");
        Outcome run = CliTest.run("run", ref.resolve("model.onnx").toString(), "--input", ref.resolve("test.npy").toString(),
                "--int8", "--table", table.toString(), "--output", out.toString(), "--expect", expected.toString(),
                "--min-agreement", "0.99", "--min-sqnr", "30", "--json");
        assertEquals(0, run.status(), run.out() + run.err());
        JsonNode doc = Json.MAPPER.readTree(run.out());
        assertEquals("int8", doc.get("engine").asText());
        assertTrue(doc.get("expect").get("match").asBoolean(), doc.toString());

        Tensor ours = Npy.read(out);
        Tensor ort = Npy.read(expected);
        assertEquals(ort.shape(), ours.shape());
        int rows = ort.shape().dim(0);
        int classes = ort.shape().dim(1);
        int agree = 0;
        double signal = 0;
        double noise = 0;
        for (int r = 0; r < rows; r++) {
            agree += argmax(ort, r, classes) == argmax(ours, r, classes) ? 1 : 0;
        }
        for (int i = 0; i < ort.size(); i++) {
            double x = ort.getDouble(i);
            double e = x - ours.getDouble(i);
            signal += x * x;
            noise += e * e;
        }
        double sqnr = 10 * Math.log10(signal / noise);
        assertTrue(agree >= 0.99 * rows, agree + " of " + rows + " agree");
        assertTrue(sqnr >= 30, "SQNR " + sqnr + " dB");
        assertEquals(sqnr, doc.get("expect").get("sqnr_db").asDouble(), 1e-6 * Math.abs(sqnr));
    }

    private static int argmax(Tensor t, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (t.getDouble(row * classes + c) > t.getDouble(row * classes + best)) {
                best = c;
            }
        }
        return best;
    }

    @Test
    void expectBoundsFailTheRunWithExitOne() throws IOException {
        Path ref = SharedFixtures.require("reference/digits_lenet");
        Path table = dir.resolve("t.json");
        assertEquals(0, CliTest.run("import", ref.resolve("qdq_minmax_per_tensor.onnx").toString(), "--format",
                "onnx-qdq", "--model", ref.resolve("model.onnx").toString(), "--out", table.toString()).status());
        Outcome o = CliTest.run("run", ref.resolve("model.onnx").toString(), "--input", ref.resolve("test.npy").toString(),
                "--int8", "--table", table.toString(), "--expect", ref.resolve("fp32_logits_ort.npy").toString(),
                "--min-sqnr", "200");
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("FAILED") && o.out().contains("SQNR"), o.out());
    }

    @Test
    void qdqModelWithoutTableIsBadInputSayingHowToImportIt() {
        Path qdq = SharedFixtures.require("reference/digits_lenet/qdq_minmax_per_channel.onnx");
        Outcome o = CliTest.run("run", qdq.toString(), "--input",
                qdq.resolveSibling("test.npy").toString(), "--int8");
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("qdq_minmax_per_channel.onnx") && o.err().contains("import"), o.err());
    }

    @Test
    void int8WithoutTableAndTableWithoutInt8AreUsageErrors() {
        Path ref = SharedFixtures.require("reference/digits_lenet");
        Outcome a = CliTest.run("run", ref.resolve("model.onnx").toString(), "--input", ref.resolve("test.npy").toString(),
                "--int8");
        assertEquals(2, a.status(), a.err());
        assertTrue(a.err().contains("--table"), a.err());
        Outcome b = CliTest.run("run", ref.resolve("model.onnx").toString(), "--input", ref.resolve("test.npy").toString(),
                "--table", dir.resolve("t.json").toString());
        assertEquals(2, b.status(), b.err());
        assertTrue(b.err().contains("--int8"), b.err());
    }
}
