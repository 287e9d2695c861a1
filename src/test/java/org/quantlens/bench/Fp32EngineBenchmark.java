package org.quantlens.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxWriter;
import org.quantlens.tensor.Tensor;

/**
 * The FP32 engine against ONNX Runtime Java on the same model, the same input and the same thread count, in one
 * JMH run: the two reference models (a batch of 64 rows of their test.npy) and a MobileNetV2-shaped 224x224 model
 * with random weights (batch 1). ONNX Runtime runs with all graph optimizations (its default) and
 * {@code threads} intra-op threads; QuantLens with {@code threads} workers. Run with
 * {@code src/test/scripts/run-benchmarks.sh Fp32EngineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class Fp32EngineBenchmark {
    @Param({"digits_mlp", "digits_lenet", "mobilenetv2"})
    public String model;

    @Param({"2"})
    public int threads;

    private Engine engine;
    private Map<String, Tensor> feeds;
    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor ortInput;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchModels bench = BenchModels.load(model);
        Model m = bench.model();
        Tensor input = bench.input();
        String inputName = m.graph().inputNames().get(0);
        engine = new Engine(m, KernelRegistry.standard(), ExecContext.withThreads(threads));
        feeds = Map.of(inputName, input);

        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(threads);
        opts.setInterOpNumThreads(1);
        session = env.createSession(OnnxWriter.toBytes(m), opts);
        ortInput = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.floats()), input.shape().dimsLong());
        inputNameForOrt = inputName;
    }

    private String inputNameForOrt;

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        ortInput.close();
        session.close();
    }

    @Benchmark
    public Object quantlens() {
        return engine.run(feeds);
    }

    @Benchmark
    public Object onnxruntime() throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(inputNameForOrt, ortInput))) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer();
        }
    }
}
