package org.quantlens.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quantlens.onnx.ModelAssertions.assertSameModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.testing.SharedFixtures;

class OnnxWriterTest {

    @Test
    void everyAttributeKindSurvivesARoundTrip() {
        Model m = TestModels.everyAttributeKind();
        Model back = OnnxReader.read(OnnxWriter.toBytes(m), null, "kinds.onnx");
        assertSameModel(m, back, "kinds");
        Node custom = back.graph().nodes().get(2);
        assertEquals("org.quantlens.test", custom.domain());
        assertEquals(List.of("x", ""), custom.inputs(), "an omitted optional input stays an empty name");
        assertTrue(Float.isNaN(custom.attr("fs").asFloats()[1]));
    }

    @Test
    void initializersRoundTripAndStayOutOfTheInputs() {
        Model m = TestModels.convWithInitializers();
        Model back = OnnxReader.read(OnnxWriter.toBytes(m), null, "conv.onnx");
        assertSameModel(m, back, "conv");
        assertEquals(List.of("x"), back.graph().inputNames());
    }

    @Test
    void irVersion3ListsInitializersAsInputsAndReadsBackWithoutThem() {
        Model conv = TestModels.convWithInitializers();
        Model v3 = new Model(3, Map.of("", 8L), "", "", conv.graph(), Map.of());
        Model back = OnnxReader.read(OnnxWriter.toBytes(v3), null, "v3.onnx");
        assertEquals(List.of("x"), back.graph().inputNames());
        assertSameModel(v3, back, "v3");
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.onnx");
        Files.writeString(file, "old content");
        OnnxWriter.write(TestModels.relu(), file);
        assertSameModel(TestModels.relu(), OnnxReader.read(file), "relu");
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
    }

    @Test
    void everySharedModelRoundTripsToAnEqualModel() throws IOException {
        List<Path> models = new ArrayList<>(OnnxReaderSharedFilesTest.filesNamed(
                SharedFixtures.require("onnx-node-tests"), ".onnx"));
        models.addAll(OnnxReaderSharedFilesTest.filesNamed(SharedFixtures.require("reference"), ".onnx"));
        for (Path p : models) {
            Model m = OnnxReader.read(p);
            Model back = OnnxReader.read(OnnxWriter.toBytes(m), p.getParent(), "rewritten.onnx");
            assertSameModel(m, back, p.toString());
        }
        assertTrue(models.size() > 200);
    }
}
