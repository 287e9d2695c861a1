package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.ActivationSpec;
import org.quantlens.calib.CalibrationTable.ModelRef;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.calib.CalibrationTable.WeightSpec;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

class QdqModelBuilderTest {
    static final String REF = "reference/digits_lenet/";

    @TempDir
    Path dir;

    /**
     * A minmax table computed here from calib.npy with the FP32 engine: every float tensor's observed [min, max],
     * uint8-asymmetric with ORT's rule; weights int8-symmetric per output channel from max |w|.
     */
    static CalibrationTable minmaxTable(Model m) {
        Map<String, float[]> ranges = new LinkedHashMap<>();
        Tensor calib = Npy.read(SharedFixtures.require(REF + "calib.npy"));
        Engine.load(m).run(Map.of("input", calib), (name, t) -> {
            float[] r = ranges.computeIfAbsent(name, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
            for (float v : t.floats()) {
                r[0] = Math.min(r[0], v);
                r[1] = Math.max(r[1], v);
            }
        }, CancellationToken.none());
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        ranges.forEach((name, r) -> {
            QuantRule.Params p = QuantRule.fromRange("uint8-asymmetric", 8, r[0], r[1]);
            entries.put(name, new ActivationEntry("minmax", false, p.min(), p.max(), p.scale(), p.zeroPoint(), r[0], r[1]));
        });
        for (NcnnLayers.Layer l : NcnnLayers.of(m)) {
            double[] absmax = NcnnLayers.channelAbsMax(m, l);
            int n = absmax.length;
            double[] scale = new double[n];
            double[] min = new double[n];
            double[] max = new double[n];
            for (int c = 0; c < n; c++) {
                QuantRule.Params p = QuantRule.fromRange("int8-symmetric", 8, -absmax[c], absmax[c]);
                scale[c] = p.scale();
                min[c] = p.min();
                max[c] = p.max();
            }
            entries.put(l.weight(), new WeightEntry(l.outAxis(), scale, new int[n], min, max));
        }
        return new CalibrationTable(new ModelRef("model.onnx", ""), new ActivationSpec("uint8-asymmetric", 8),
                new WeightSpec("int8-symmetric", 8, true), entries);
    }

    static float[][] ortLogits(Path model, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = x.shape().dimsLong();
        try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), shape);
             OrtSession.Result r = s.run(Map.of("input", in))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void qdqModelRunsInOnnxRuntimeAndAgreesWithFp32OnTop1() throws Exception {
        Path fp32Path = SharedFixtures.require(REF + "model.onnx");
        Model m = OnnxReader.read(fp32Path);
        CalibrationTable t = minmaxTable(m);
        Path out = dir.resolve("qdq.onnx");
        List<String> warnings = TableFormats.write(t, TableFormat.ONNX_QDQ, m, out);
        assertEquals(List.of(), warnings);
        Tensor test = Npy.read(SharedFixtures.require(REF + "test.npy"));
        float[][] fp32 = ortLogits(fp32Path, test);
        float[][] int8 = ortLogits(out, test);
        int agree = 0;
        for (int i = 0; i < fp32.length; i++) {
            agree += argmax(fp32[i]) == argmax(int8[i]) ? 1 : 0;
        }
        double agreement = agree / (double) fp32.length;
        assertEquals(400, fp32.length);
        assertTrue(agreement >= 0.99, "top-1 agreement " + agreement);
    }

    @Test
    void readingOurQdqModelGivesBackTheTable() {
        Model m = OnnxReader.read(SharedFixtures.require(REF + "model.onnx"));
        CalibrationTable t = minmaxTable(m);
        Path out = dir.resolve("qdq.onnx");
        QdqModelFormat.write(t, m, out);
        ImportedTable back = QdqModelFormat.read(out, m);
        assertEquals(List.of(), back.unknownTensors());
        assertEquals(t.activationEntries().keySet(), back.table().activationEntries().keySet());
        t.activationEntries().forEach((name, a) -> {
            ActivationEntry b = back.table().activationEntries().get(name);
            assertEquals((float) a.scale(), (float) b.scale(), name);
            assertEquals(a.zeroPoint(), b.zeroPoint(), name);
            // the recovered range is the quantization grid's ends, which contain the clip range to within one step
            assertTrue(b.min() <= a.min() + a.scale() && b.max() >= a.max() - a.scale(), name);
        });
        t.weightEntries().forEach((name, w) -> {
            WeightEntry b = back.table().weightEntries().get(name);
            assertEquals(w.axis(), b.axis(), name);
            for (int c = 0; c < w.scale().length; c++) {
                assertEquals((float) w.scale()[c], (float) b.scale()[c], name);
                assertEquals(w.max()[c], b.max()[c], w.max()[c] * 1e-6, name);
            }
        });
        assertEquals("uint8-asymmetric", back.table().activations().scheme());
    }

    @Test
    void biasesBecomeInt32WithInputTimesWeightScale() {
        Model m = OnnxReader.read(SharedFixtures.require(REF + "model.onnx"));
        CalibrationTable t = minmaxTable(m);
        Model q = QdqModelBuilder.build(m, t, new ArrayList<>());
        Node conv = m.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).findFirst().orElseThrow();
        String bias = conv.input(2);
        Tensor qb = q.graph().initializers().get(bias + "_quantized");
        Tensor sb = q.graph().initializers().get(bias + "_quantized_scale");
        float sIn = (float) t.activationEntries().get(conv.input(0)).scale();
        WeightEntry w = t.weightEntries().get(conv.input(1));
        float[] b = m.graph().initializers().get(bias).floats();
        for (int c = 0; c < b.length; c++) {
            float s = sIn * (float) w.scale()[c];
            assertEquals(s, sb.floats()[c]);
            assertEquals(Math.rint(b[c] / (double) s), qb.ints()[c]);
        }
        assertTrue(!q.graph().initializers().containsKey(bias), "float bias replaced by its DequantizeLinear output");
    }

    @Test
    void oldOpsetsAndWideBitsAreRefused() {
        Model m = OnnxReader.read(SharedFixtures.require(REF + "model.onnx"));
        CalibrationTable t = minmaxTable(m);
        Map<String, Long> old = new HashMap<>(m.opsets());
        old.put("", 11L);
        Model m11 = new Model(m.irVersion(), old, m.producerName(), m.producerVersion(), m.graph(), m.metadata());
        assertTrue(assertThrows(InvalidInputException.class, () -> QdqModelBuilder.build(m11, t, new ArrayList<>()))
                .getMessage().contains("opset >= 13"));
        CalibrationTable wide = new CalibrationTable(t.model(), new ActivationSpec("uint8-asymmetric", 16), t.weights(), Map.of());
        assertThrows(InvalidInputException.class, () -> QdqModelBuilder.build(m, wide, new ArrayList<>()));
    }
}
