package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.testing.SharedFixtures;

class QdqModelFormatTest {
    static final String REF = "reference/digits_lenet/";

    static Model fp32() {
        return OnnxReader.read(SharedFixtures.require(REF + "model.onnx"));
    }

    static JsonNode minmaxRanges() throws IOException {
        return new ObjectMapper().readTree(SharedFixtures.require(REF + "calibrators.json").toFile()).path("minmax").path("tensors");
    }

    /** ORT made the per-tensor model from its minmax ranges: each Q/DQ pair must carry compute_scale_zp of that range. */
    @Test
    void ortPerTensorModelCarriesOrtsScalesForTheMinmaxRanges() throws IOException {
        ImportedTable imp = TableFormats.read(SharedFixtures.require(REF + "qdq_minmax_per_tensor.onnx"), TableFormat.ONNX_QDQ, fp32());
        assertEquals(List.of(), imp.unknownTensors());
        CalibrationTable t = imp.table();
        assertEquals("uint8-asymmetric", t.activations().scheme());
        assertTrue(t.activationEntries().containsKey("input"), t.activationEntries().keySet().toString());
        assertTrue(t.activationEntries().size() >= 5, t.activationEntries().keySet().toString());
        JsonNode ranges = minmaxRanges();
        t.activationEntries().forEach((name, a) -> {
            JsonNode r = ranges.path(name);
            QuantParams p = QuantParams.onnxRuntime((float) r.path("lowest").get(0).asDouble(),
                    (float) r.path("highest").get(0).asDouble(), QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC));
            assertEquals(p.scale(), (float) a.scale(), name);
            assertEquals(p.zeroPoint(), a.zeroPoint(), name);
            assertEquals((0 - a.zeroPoint()) * a.scale(), a.min(), 1e-12, name);
            assertEquals((255 - a.zeroPoint()) * a.scale(), a.max(), 1e-12, name);
        });
        WeightEntry w = t.weightEntries().get("c1.weight");
        assertEquals(-1, w.axis());
        assertEquals(1, w.scale().length);
    }

    @Test
    void ortPerChannelWeightsRecoverMaxAbsPerOutputChannel() {
        Model m = fp32();
        CalibrationTable t = QdqModelFormat.read(SharedFixtures.require(REF + "qdq_minmax_per_channel.onnx"), m).table();
        assertTrue(t.weights().perChannel());
        for (NcnnLayers.Layer l : NcnnLayers.of(m)) {
            WeightEntry w = t.weightEntries().get(l.weight());
            assertEquals(l.channels(), w.scale().length, l.weight());
            assertEquals(l.outAxis(), w.axis(), l.weight());
            double[] absmax = NcnnLayers.channelAbsMax(m, l);
            for (int c = 0; c < absmax.length; c++) {
                // symmetric int8 weights: scale = absmax/127 in float32, so 127*scale is absmax to float precision
                assertEquals(absmax[c], w.max()[c], absmax[c] * 1e-6, l.weight() + "[" + c + "]");
                assertEquals(0, w.zeroPoint()[c]);
            }
        }
    }

    @Test
    void symmetricInt8ActivationsReadAsInt8Symmetric() throws IOException {
        CalibrationTable t = QdqModelFormat.read(SharedFixtures.require(REF + "qdq_s8s8_symmetric_minmax_per_channel.onnx"), fp32()).table();
        assertEquals("int8-symmetric", t.activations().scheme());
        JsonNode ranges = minmaxRanges();
        ActivationEntry in = t.activationEntries().get("input");
        QuantParams p = QuantParams.onnxRuntime(-0.75f, 1.75f, QuantSpec.of(QuantScheme.INT8_SYMMETRIC));
        assertEquals(-0.75, ranges.path("input").path("lowest").get(0).asDouble());
        assertEquals(p.scale(), (float) in.scale());
        assertEquals(0, in.zeroPoint());
        assertEquals(-127 * in.scale(), in.min(), 1e-12);
        assertEquals(1.75, in.max(), 1e-6);
    }
}
