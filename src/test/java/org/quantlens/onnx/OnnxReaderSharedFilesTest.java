package org.quantlens.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.quantlens.tensor.Tensor;
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

    /**
     * LeNet on 16x16 digits (reference/README.md): Conv 3x3, Relu, MaxPool 2x2, Conv 3x3, Relu, MaxPool 2x2, Flatten,
     * Gemm, Relu, Gemm. The Conv attributes must agree with the weights and with the first Gemm's input width:
     * two same-padded convolutions and two 2x2 pools turn 16x16 into 4x4, so f1 reads c2_channels * 16 features.
     */
    @Test
    void lenetConvolutionsCarryAttributesConsistentWithTheirWeights() {
        Model m = OnnxReader.read(SharedFixtures.require("reference/digits_lenet/model.onnx"));
        assertEquals(13, m.defaultOpset(), "README: exported to opset 13");
        assertEquals(List.of("Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm"),
                m.graph().nodes().stream().map(Node::opType).toList());
        assertEquals(List.of("input"), m.graph().inputNames());
        assertEquals("N", m.graph().inputs().get(0).dims().get(0).param(), "dynamic batch");
        List<Node> convs = m.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).toList();
        for (Node conv : convs) {
            Tensor w = m.graph().initializers().get(conv.input(1));
            assertNotNull(w, "Conv weight is an initializer");
            assertArrayEquals(new long[] {w.shape().dim(2), w.shape().dim(3)}, conv.attrInts("kernel_shape", null));
            assertArrayEquals(new long[] {3, 3}, conv.attrInts("kernel_shape", null));
            assertArrayEquals(new long[] {1, 1, 1, 1}, conv.attrInts("pads", null));
            assertArrayEquals(new long[] {1, 1}, conv.attrInts("strides", null));
            assertArrayEquals(new long[] {1, 1}, conv.attrInts("dilations", null));
            assertEquals(1, conv.attrInt("group", -1));
            assertEquals(w.shape().dim(0), m.graph().initializers().get(conv.input(2)).shape().dim(0));
        }
        long c2 = m.graph().initializers().get(convs.get(1).input(1)).shape().dim(0);
        Node f1 = m.graph().nodes().get(7);
        assertEquals(1, f1.attrInt("transB", 0));
        assertEquals(c2 * 4 * 4, m.graph().initializers().get(f1.input(1)).shape().dim(1));
    }
}
