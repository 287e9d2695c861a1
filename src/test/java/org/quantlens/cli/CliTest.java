package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** The command line as a user meets it: exit codes, one-line errors, and the reference models end to end. */
class CliTest {
    record Outcome(int status, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = QuantLensCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(status, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Outcome o = run("--help");
        assertEquals(0, o.status());
        for (String c : new String[] {"inspect", "run", "conformance"}) {
            assertTrue(o.out().contains(c), o.out());
        }
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (String c : new String[] {"inspect", "run", "conformance", "calibrate", "range", "evaluate", "export",
            "import", "app"}) {
            Outcome o = run(c, "--help");
            assertEquals(0, o.status(), c + ": " + o.err());
            assertTrue(o.out().contains("Usage: quantlens " + c), o.out());
        }
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        Outcome o = run("inspect", "--frobnicate", "x.onnx");
        assertEquals(2, o.status());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("--frobnicate"), o.err());
    }

    @Test
    void missingModelFileIsBadInputNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.onnx");
        Outcome o = run("inspect", missing.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("nope.onnx"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
    }

    @Test
    void garbageModelIsBadInputWithoutStackTrace(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("garbage.onnx");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x13, 0x37, 0x00, 0x42});
        Outcome o = run("inspect", bad.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("quantlens: "), o.err());
        assertTrue(o.err().contains("garbage.onnx"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    @Test
    void inspectDescribesTheReferenceLenet() throws Exception {
        Path model = SharedFixtures.require("reference/digits_lenet/model.onnx");
        Outcome o = run("inspect", model.toString(), "--json");
        assertEquals(0, o.status(), o.err());
        JsonNode doc = Json.MAPPER.readTree(o.out());
        assertTrue(doc.get("supported").asBoolean());
        assertEquals("input", doc.get("inputs").get(0).get("name").asText());
        assertTrue(doc.get("operators").has("Conv"));
        assertTrue(doc.get("parameters").asLong() > 1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "digits_lenet"})
    void runMatchesOnnxRuntimeLogitsOnTheReferenceModels(String name, @TempDir Path dir) {
        Path ref = SharedFixtures.require("reference/" + name);
        Path out = dir.resolve("logits.npy");
        Outcome o = run("run", ref.resolve("model.onnx").toString(), "--input", ref.resolve("test.npy").toString(),
                "--output", out.toString(), "--expect", ref.resolve("fp32_logits_ort.npy").toString(),
                "--atol", "1e-4", "--json");
        assertEquals(0, o.status(), o.out() + o.err());
        Tensor ours = Npy.read(out);
        Tensor ort = Npy.read(ref.resolve("fp32_logits_ort.npy"));
        assertEquals(ort.shape(), ours.shape());
        double maxAbs = 0;
        for (int i = 0; i < ours.size(); i++) {
            maxAbs = Math.max(maxAbs, Math.abs(ours.getDouble(i) - ort.getDouble(i)));
        }
        assertTrue(maxAbs <= 1e-4, "max abs diff " + maxAbs);
    }

    @Test
    void runRejectsABatchThatDoesNotFitTheModel(@TempDir Path dir) {
        Path ref = SharedFixtures.require("reference/digits_lenet");
        Path wrong = SharedFixtures.require("reference/digits_mlp/test.npy"); // [N,1,8,8] into a [N,1,16,16] model
        Outcome o = run("run", ref.resolve("model.onnx").toString(), "--input", wrong.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("shape"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
    }

    @Test
    void conformanceOnOneFolderPassesAndWritesJson(@TempDir Path dir) throws Exception {
        Path test = SharedFixtures.require("onnx-node-tests/test_relu");
        Path json = dir.resolve("r.json");
        Outcome o = run("conformance", test.toString(), "--json", json.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode doc = Json.MAPPER.readTree(json.toFile());
        assertEquals(1, doc.get("passed").asInt());
        assertEquals("pass", doc.get("tests").get(0).get("status").asText());
    }

    @Test
    void conformanceReportsUnsupportedOperatorsWithoutFailing(@TempDir Path dir) throws Exception {
        Path test = SharedFixtures.require("onnx-node-tests/test_matmulinteger");
        Outcome o = run("conformance", test.toString(), "--engine", "fp32");
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("unsupported"), o.out());
    }

    @Test
    void conformanceRunsTheQuantizedOperatorTestsThroughTheInt8Runtime(@TempDir Path dir) throws Exception {
        Path tests = SharedFixtures.require("onnx-node-tests");
        Path json = dir.resolve("r.json");
        Outcome o = run("conformance", tests.toString(), "--only",
                "test_qlinearconv,test_qlinearmatmul_,test_convinteger_,test_matmulinteger", "--json", json.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode doc = Json.MAPPER.readTree(json.toFile());
        assertEquals(7, doc.get("passed").asInt(), o.out());
        assertEquals(0, doc.get("unsupported").asInt(), o.out());
        assertEquals(0, doc.get("failed").asInt(), o.out());
    }
}
