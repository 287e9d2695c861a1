package org.quantlens.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.runtime.Int8Engine;
import org.quantlens.runtime.KernelSet;
import org.quantlens.runtime.QuantizedModel;
import org.quantlens.runtime.QuantizedModelBuilder;
import org.quantlens.runtime.RuntimeOptions;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The INT8 runtime against our FP32 engine on the same model, input and thread count: the reference LeNet (a
 * batch of 64 rows of its test.npy; MinMax table from calib.npy) and the MobileNetV2-shaped model with random
 * weights (batch 1; MinMax table from four random inputs). INT8 runs with the default options (uint8 asymmetric
 * activations, per-channel int8 weights, fixed-point requantization), once with the fast kernel set and once with
 * the scalar reference set. Run with {@code src/test/scripts/run-benchmarks.sh Int8RuntimeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class Int8RuntimeBenchmark {
    @Param({"digits_lenet", "mobilenetv2"})
    public String model;

    @Param({"2"})
    public int threads;

    private Engine fp32;
    private Int8Engine int8Fast;
    private Int8Engine int8Reference;
    private Map<String, Tensor> feeds;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Model m;
        Tensor input;
        List<Tensor> calibration = new ArrayList<>();
        if (model.equals("mobilenetv2")) {
            m = MobileNetV2Model.build(42);
            SplittableRandom r = new SplittableRandom(7);
            input = randomImage(r);
            for (int i = 0; i < 4; i++) {
                calibration.add(randomImage(r));
            }
        } else {
            Path dir = Path.of(System.getProperty("quantlens.shared", "../shared"), "reference", model);
            m = OnnxReader.read(dir.resolve("model.onnx"));
            input = Batching.slice(Npy.read(dir.resolve("test.npy")), 0, 64);
            Tensor calib = Npy.read(dir.resolve("calib.npy"));
            for (int s = 0; s < calib.shape().dim(0); s += 64) {
                calibration.add(Batching.slice(calib, s, Math.min(calib.shape().dim(0), s + 64)));
            }
        }
        ExecContext ctx = ExecContext.withThreads(threads);
        String inputName = m.graph().inputNames().get(0);
        fp32 = new Engine(m, KernelRegistry.standard(), ctx);
        CalibrationTable table = minMaxTable(fp32, inputName, calibration);
        QuantizedModel fast = QuantizedModelBuilder.build(m, table, RuntimeOptions.defaults());
        QuantizedModel ref = QuantizedModelBuilder.build(m, table,
                RuntimeOptions.defaults().withKernels(KernelSet.REFERENCE));
        int8Fast = new Int8Engine(fast, ctx);
        int8Reference = new Int8Engine(ref, ctx);
        feeds = Map.of(inputName, input);
        System.out.println("\n" + model + ": INT8 fallbacks " + fast.fallbackNodes());
    }

    private static Tensor randomImage(SplittableRandom r) {
        float[] x = new float[3 * 224 * 224];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.ofFloats(Shape.of(1, 3, 224, 224), x);
    }

    /** Observed min/max of every tapped float tensor, uint8 asymmetric parameters by ONNX Runtime's MinMax rule. */
    private static CalibrationTable minMaxTable(Engine engine, String input, List<Tensor> batches) {
        Map<String, float[]> ranges = new LinkedHashMap<>();
        for (Tensor batch : batches) {
            engine.run(Map.of(input, batch), (name, v) -> {
                float[] r = ranges.computeIfAbsent(name, k -> new float[] {Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY});
                for (float f : v.floats()) {
                    r[0] = Math.min(r[0], f);
                    r[1] = Math.max(r[1], f);
                }
            }, CancellationToken.none());
        }
        QuantSpec spec = QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC);
        Map<String, CalibrationTable.TensorEntry> entries = new LinkedHashMap<>();
        ranges.forEach((name, r) -> {
            QuantParams p = QuantParams.onnxRuntime(r[0], r[1], spec);
            entries.put(name, new CalibrationTable.ActivationEntry("minmax", false, Math.min(r[0], 0),
                    Math.max(r[1], 0), p.scale(), p.zeroPoint(), r[0], r[1]));
        });
        return new CalibrationTable(new CalibrationTable.ModelRef("model.onnx", ""),
                new CalibrationTable.ActivationSpec(QuantScheme.UINT8_ASYMMETRIC.cliName(), 8),
                new CalibrationTable.WeightSpec("int8-symmetric", 8, true), entries);
    }

    @Benchmark
    public Object fp32() {
        return fp32.run(feeds);
    }

    @Benchmark
    public Object int8Fast() {
        return int8Fast.run(feeds);
    }

    @Benchmark
    public Object int8Reference() {
        return int8Reference.run(feeds);
    }
}
