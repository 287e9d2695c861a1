package org.quantlens.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.onnx.OnnxWriter;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The benchmark's MobileNetV2-shaped model, written by our ONNX writer, read back by our reader and by ONNX Runtime:
 * both engines must agree on the logits. This checks the writer (ONNX Runtime accepts the file), the reader
 * (round trip) and the engine on a realistic 224x224 network in one go.
 */
class MobileNetV2OracleTest {
    @Test
    void ourEngineAgreesWithOnnxRuntimeOnTheWrittenModel() throws Exception {
        Model built = MobileNetV2Model.build(42);
        byte[] bytes = OnnxWriter.toBytes(built);
        Model reread = OnnxReader.read(bytes, null, "mobilenetv2.onnx");
        assertEquals(built.graph().nodes().size(), reread.graph().nodes().size());

        float[] x = new float[3 * 224 * 224];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Tensor input = Tensor.ofFloats(Shape.of(1, 3, 224, 224), x);
        float[] ours = new Engine(reread, KernelRegistry.standard(), ExecContext.withThreads(2))
                .run(Map.of("input", input)).get("logits").floats();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] theirs;
        try (OrtSession s = env.createSession(bytes, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 224, 224});
             OrtSession.Result res = s.run(Map.of("input", t))) {
            FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
            theirs = new float[fb.remaining()];
            fb.get(theirs);
        }
        assertEquals(1000, ours.length);
        double maxAbs = 0;
        double maxRef = 0;
        for (int i = 0; i < ours.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(ours[i] - theirs[i]));
            maxRef = Math.max(maxRef, Math.abs(theirs[i]));
        }
        // float32 summation order differs between the engines over ~50 layers: allow 1e-4 of the logit scale.
        assertTrue(maxAbs <= 1e-4 * Math.max(1, maxRef), "max abs " + maxAbs + " (max |logit| " + maxRef + ")");
    }
}
