package org.quantlens.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
import org.quantlens.calib.Histogram;
import org.quantlens.exec.ExecContext;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Histogram collection throughput: 2048 bins over a fixed range, on 16M float32 values (a Gaussian), the same
 * array that {@code src/test/scripts/bench-numpy-histogram.py} hands to {@code numpy.histogram} in the same run
 * ({@code src/test/scripts/bench-histogram.sh} runs both). The array is written to
 * {@code target/bench/histogram-input.npy} by {@link #writeInput} so both sides read identical data.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HistogramCollectionBenchmark {
    static final int N = 16 * 1024 * 1024;
    static final Path INPUT = Path.of("target", "bench", "histogram-input.npy");

    private static final ExecContext TWO_THREADS = ExecContext.withThreads(2);

    private float[] data;

    @Setup
    public void load() throws Exception {
        if (!Files.exists(INPUT)) {
            writeInput();
        }
        data = Npy.read(INPUT).floats();
    }

    /** The shared input: N Gaussian float32 values, seed 1. */
    public static void writeInput() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            double u = r.nextDouble();
            double v = r.nextDouble();
            x[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        Files.createDirectories(INPUT.getParent());
        Npy.write(Tensor.ofFloats(Shape.of(N), x), INPUT);
    }

    /** Signed 2048-bin histogram over the fixed range [-6, 6] (numpy: {@code np.histogram(x, 2048, (-6, 6))}). */
    @Benchmark
    public Histogram quantlensFixedRange() {
        Histogram h = Histogram.signed(2048, -6, 6);
        h.add(data);
        return h;
    }

    /** As {@link #quantlensFixedRange}, the batch split over two workers (the "2 cores" of issue #7). */
    @Benchmark
    public Histogram quantlensFixedRangeTwoThreads() {
        Histogram h = Histogram.signed(2048, -6, 6);
        h.add(data, 0, data.length, TWO_THREADS);
        return h;
    }

    /** Signed 2048-bin histogram whose range follows the data (grows as values arrive). */
    @Benchmark
    public Histogram quantlensStreaming() {
        Histogram h = Histogram.signed(2048);
        for (int off = 0; off < data.length; off += 1 << 20) {
            h.add(data, off, Math.min(1 << 20, data.length - off));
        }
        return h;
    }

    public static void main(String[] args) throws Exception {
        writeInput();
    }
}
