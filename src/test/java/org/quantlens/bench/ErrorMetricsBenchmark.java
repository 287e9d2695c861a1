package org.quantlens.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.quantlens.calib.metrics.HistogramErrorModel;
import org.quantlens.calib.metrics.MutableErrorMetrics;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

/**
 * One {@link HistogramErrorModel#evaluateInto} (all metrics, KL included) on a 2048-bin Gaussian histogram,
 * the cost of one threshold-drag frame in the app. The threshold moves every call so nothing is constant-folded.
 *
 * <p>Run: {@code ./mvnw -B -q test-compile} then
 * {@code java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:$(cat cp.txt)
 * org.quantlens.bench.ErrorMetricsBenchmark} (cp.txt from {@code dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ErrorMetricsBenchmark {
    @Param({"2048"})
    public int bins;

    @Param({"uint8-asymmetric", "int8-symmetric"})
    public String scheme;

    private HistogramErrorModel model;
    private QuantSpec spec;
    private final MutableErrorMetrics out = new MutableErrorMetrics();
    private int step;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        float[] samples = new float[200_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) r.nextGaussian();
        }
        model = HistogramErrorModel.fromSamples(samples, bins);
        spec = QuantSpec.of(QuantScheme.fromCliName(scheme));
    }

    @Benchmark
    public double evaluateAllMetrics() {
        step = (step + 1) & 255;
        double t = 1.0 + step * 0.01;
        model.evaluateInto(-t, t, spec, out);
        return out.mse() + out.kl();
    }

    @Benchmark
    public double evaluateWithoutKl() {
        step = (step + 1) & 255;
        double t = 1.0 + step * 0.01;
        model.evaluateInto(-t, t, spec, out, false);
        return out.mse() + out.cosine();
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(ErrorMetricsBenchmark.class.getSimpleName()).build()).run();
    }
}
