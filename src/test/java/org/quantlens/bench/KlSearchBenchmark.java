package org.quantlens.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.quantlens.calib.Histogram;
import org.quantlens.calib.search.KlNcnn;
import org.quantlens.calib.search.KlOnnxRuntime;
import org.quantlens.calib.search.KlTensorRt;
import org.quantlens.calib.search.Mse;
import org.quantlens.calib.search.SearchResult;
import org.quantlens.exec.ExecContext;

/**
 * Time per KL search on one 2048-bin histogram shaped like a conv output (the reference models' tensors: a
 * Gaussian-ish bulk with a long sparse tail). ONNX Runtime's Python takes ~0.6 s per tensor for the same search.
 * Run: {@code java -cp <test classpath> org.quantlens.bench.KlSearchBenchmark} (1 fork, 2 warmups, 3 iterations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class KlSearchBenchmark {
    private Histogram signed;
    private Histogram absolute;
    private ExecContext twoThreads;

    @Setup
    public void makeHistograms() {
        Random r = new Random(42);
        float[] x = new float[500_000];
        for (int i = 0; i < x.length; i++) {
            double g = r.nextGaussian();
            x[i] = (float) (i % 97 == 0 ? g * 6 : g);
        }
        signed = Histogram.signed(2048);
        signed.add(x);
        absolute = Histogram.absolute(2048);
        absolute.add(x);
        twoThreads = ExecContext.withThreads(2);
    }

    @Benchmark
    public SearchResult klTensorRt() {
        return KlTensorRt.search(absolute);
    }

    /** The same search with the candidates split over 2 workers (numbers depend on how idle the second core is). */
    @Benchmark
    public SearchResult klTensorRt2Threads() {
        return KlTensorRt.search(absolute, KlTensorRt.Options.DEFAULT, twoThreads);
    }

    /** kl-ncnn as a table build runs it: only the range, candidates that cannot be chosen skipped. */
    @Benchmark
    public SearchResult klNcnnRangeOnly() {
        return KlNcnn.search(absolute, ExecContext.singleThreaded(), false);
    }

    /** The same with the candidates on 2 workers (each skips against the smallest divergence either has found). */
    @Benchmark
    public SearchResult klNcnnRangeOnly2Threads() {
        return KlNcnn.search(absolute, twoThreads, false);
    }

    @Benchmark
    public SearchResult klNcnn2Threads() {
        return KlNcnn.search(absolute, twoThreads);
    }

    @Benchmark
    public SearchResult klOnnxRuntime() {
        return KlOnnxRuntime.search(signed, 128);
    }

    /** kl-onnxruntime with the float32 emulation on every candidate (no pruning): the exact curve. */
    @Benchmark
    public SearchResult klOnnxRuntimeExactCurve() {
        return KlOnnxRuntime.searchExactCurve(signed, 128);
    }

    @Benchmark
    public SearchResult klNcnn() {
        return KlNcnn.search(absolute);
    }

    @Benchmark
    public SearchResult mse() {
        return Mse.search(signed, 8);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(KlSearchBenchmark.class.getSimpleName()).build()).run();
    }
}
