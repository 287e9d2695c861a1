package org.quantlens.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.tensor.NamedTensor;
import org.quantlens.tensor.TensorProtoFormat;
import org.quantlens.testing.SharedFixtures;

/** Reads every model and tensor file in ../shared (conformance tests and reference models) in place. */
class OnnxReaderSharedFilesTest {

    static List<Path> filesNamed(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void everyConformanceAndReferenceModelLoadsWithNodes() throws IOException {
        List<Path> models = new ArrayList<>(filesNamed(SharedFixtures.require("onnx-node-tests"), ".onnx"));
        models.addAll(filesNamed(SharedFixtures.require("reference"), ".onnx"));
        assertTrue(models.size() > 200, "found only " + models.size() + " models");
        for (Path p : models) {
            Model m = OnnxReader.read(p);
            assertFalse(m.graph().nodes().isEmpty(), p + " has no nodes");
            assertFalse(m.graph().outputs().isEmpty(), p + " has no outputs");
        }
    }

    @Test
    void everyTensorFileDecodesWithItsManifestShape() throws IOException {
        Path root = SharedFixtures.require("onnx-node-tests");
        List<String> rows = Files.readAllLines(root.resolve("MANIFEST.tsv"));
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] cols = row.split("\t");
            Path data = root.resolve(cols[0]).resolve("test_data_set_0");
            checked += checkShapes(data, "input", cols[5]);
            checked += checkShapes(data, "output", cols[6]);
        }
        assertTrue(checked > 400, "checked only " + checked + " tensors");
        int total = 0;
        for (Path pb : filesNamed(root, ".pb")) {
            assertNotNull(TensorProtoFormat.readFile(pb).tensor());
            total++;
        }
        assertTrue(total > 600, "found only " + total + " .pb files");
    }

    /** Compares input_i.pb / output_i.pb with the manifest's "float[3x4x5] int64[2]" list, position by position. */
    private static int checkShapes(Path data, String kind, String declared) {
        String[] types = Arrays.stream(declared.split(" ")).filter(s -> s.contains("[")).toArray(String[]::new);
        for (int i = 0; i < types.length; i++) {
            NamedTensor t = TensorProtoFormat.readFile(data.resolve(kind + "_" + i + ".pb"));
            String type = types[i].substring(0, types[i].indexOf('['));
            String dims = types[i].substring(type.length());
            assertEquals(manifestName(type), t.tensor().dtype().displayName(), data + " " + kind + " " + i);
            assertEquals(dims, t.tensor().shape().toString(), data + " " + kind + " " + i);
        }
        return types.length;
    }

    private static String manifestName(String t) {
        return t.equals("float") ? "float32" : t;
    }

    @Test
    void lenetHasItsFirstConvolutionWithTheExportedAttributes() {
        Model m = OnnxReader.read(SharedFixtures.require("reference/digits_lenet/model.onnx"));
        Node conv = m.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).findFirst().orElseThrow();
        assertTrue(m.defaultOpset() >= 7);
        long[] kernel = conv.attrInts("kernel_shape", null);
        assertNotNull(kernel, "Conv without kernel_shape");
        assertEquals(2, kernel.length);
        Path weight = null;
        assertTrue(m.graph().initializers().containsKey(conv.input(1)), "Conv weight is an initializer");
        assertEquals(4, m.graph().initializers().get(conv.input(1)).rank());
        assertEquals(kernel[0], m.graph().initializers().get(conv.input(1)).shape().dim(2));
        assertFalse(m.graph().inputNames().contains(conv.input(1)), "initializers are not graph inputs");
    }
}
