package org.quantlens.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.CalibrationRun;
import org.quantlens.calib.CalibrationStatistics;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.calib.search.SearchBatch;
import org.quantlens.calib.search.SearchResult;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;

/**
 * The like-for-like of ONNX Runtime's anchor: its entropy calibrator's {@code compute_s} in
 * ../shared/reference/MODEL/calibrators.json is the time to search every one of the model's {@code n_tensors}
 * tensors. Here: every activation of the same model calibrated on the same calib.npy (2048 bins), searched with one
 * KL method, as {@code calibrate} builds its table and the app's "search all" runs it ({@link SearchBatch}: one
 * tensor per worker). The score is per call, i.e. for all tensors; divide by the tensor count this prints at setup
 * for the per-tensor figure. {@code curve}: true is the app's "search all" (every candidate's value, for the
 * plots), false is {@code calibrate}'s table build ({@link RangeOptions#rangeOnly}: kl-ncnn skips candidates that
 * cannot be chosen), which is what ONNX Runtime's {@code compute_s} times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KlAllTensorsBenchmark {
    @Param({"digits_lenet", "digits_mlp"})
    public String model;
    @Param({"kl-tensorrt", "kl-ncnn", "kl-onnxruntime"})
    public String method;
    @Param({"1", "2"})
    public int threads;
    @Param({"true", "false"})
    public boolean curve;

    private List<ActivationStatistics> activations;
    private RangeMethod rangeMethod;
    private RangeOptions options;
    private ExecContext ctx;

    @Setup(Level.Trial)
    public void calibrate() throws IOException {
        Path dir = Path.of(System.getProperty("quantlens.shared", "../shared"), "reference", model);
        Model m = OnnxReader.read(dir.resolve("model.onnx"));
        Engine engine = Engine.load(m);
        CalibrationStatistics stats;
        try (BatchSource source = DataSources.open(dir.resolve("calib.npy"),
                DataOptions.forInputs(m.graph().inputNames()))) {
            stats = CalibrationRun.run(engine, source, CalibrationRun.Options.all(), ProgressMonitor.NONE,
                    CancellationToken.none());
        }
        activations = List.copyOf(stats.activations().values());
        rangeMethod = RangeMethod.fromCli(method);
        options = curve ? RangeOptions.DEFAULT : RangeOptions.DEFAULT.rangeOnly();
        ctx = ExecContext.withThreads(threads);
        System.out.println("\n" + model + ": " + activations.size() + " tensors");
    }

    @Benchmark
    public SearchResult[] searchAllTensors() {
        return SearchBatch.run(activations.size(), ctx,
                i -> activations.get(i).range(rangeMethod, options));
    }
}
