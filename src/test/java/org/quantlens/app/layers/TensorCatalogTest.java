package org.quantlens.app.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

class TensorCatalogTest {
    @Test
    void lenetListsTheConvAndGemmWeightsWithTheirStoredRange() {
        Model model = OnnxReader.read(SharedFixtures.require("reference/digits_lenet/model.onnx"));
        List<TensorEntry> entries = TensorCatalog.build(model, CancellationToken.none());
        Map<String, TensorEntry> weights = entries.stream().filter(e -> e.kind() == TensorKind.WEIGHT)
                .collect(Collectors.toMap(TensorEntry::name, e -> e));
        // the expected set comes from the graph itself: input 1 of every Conv and Gemm
        List<String> expected = model.graph().nodes().stream()
                .filter(n -> n.opType().equals("Conv") || n.opType().equals("Gemm"))
                .map(n -> n.input(1)).filter(model.graph().initializers()::containsKey).toList();
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(weights.keySet()));
        for (String w : expected) {
            Tensor t = model.graph().initializers().get(w);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : t.floats()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            TensorEntry e = weights.get(w);
            assertEquals(t.shape().toString(), e.shape());
            assertEquals(min, e.stats().min(), 0.0, w);
            assertEquals(max, e.stats().max(), 0.0, w);
            assertEquals(t.size(), e.stats().histogram().total(), 0.0, w);
        }
    }

    @Test
    void everyNodeOutputIsAnActivationWithItsProducingOpAndNoStatsYet() {
        Model model = OnnxReader.read(SharedFixtures.require("reference/digits_lenet/model.onnx"));
        List<TensorEntry> entries = TensorCatalog.build(model, CancellationToken.none());
        for (Node n : model.graph().nodes()) {
            TensorEntry e = entries.stream().filter(x -> x.name().equals(n.outputs().get(0))).findFirst().orElse(null);
            assertNotNull(e, n.outputs().get(0));
            assertEquals(TensorKind.ACTIVATION, e.kind());
            assertEquals(n.opType(), e.op());
            assertNull(e.stats());
            assertTrue(e.shape().startsWith("["), e.shape());
        }
        assertEquals("input", entries.get(0).op(), "the graph input comes first");
    }

    @Test
    void zeroChannelsCountsOnlyChannelsWhoseWeightsAreAllZero() {
        float[] w = {0, 0, 1, 0, 0, 0}; // 3 channels of 2: channel 0 and 2 are all zero
        assertEquals(2, TensorCatalog.zeroChannels(w, 3));
        assertEquals(0, TensorCatalog.zeroChannels(w, 4), "a shape that does not divide is not judged");
    }
}
