package org.quantlens.calib;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.quantlens.calib.search.MovingAverageMinMax;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.data.BatchSource;
import org.quantlens.exec.ActivationTap;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Runs the FP32 engine over calibration data in batches and streams every float activation into statistics
 * ({@link ActivationStatistics}); weights are measured from the graph's initializers ({@link WeightStatistics}).
 *
 * <p><b>Passes.</b> The first pass feeds each batch through the engine; the {@link ActivationTap} hands each float
 * tensor (graph inputs and node outputs) to its statistics, whose collectors update in parallel on the engine's
 * workers, and the tensor is let go as soon as it is counted: no activation outlives its step. A second pass over
 * the same data runs only when ONNX Runtime's exact histograms are wanted ({@code kl-onnxruntime} or
 * {@code percentile} in {@link Options#methods()}): ORT bins all batches in a single call, so its edges depend on
 * the global extremes, which the first pass supplies.
 *
 * <p><b>Batches.</b> Each engine batch is one update of the moving average (PyTorch's observers see one batch per
 * forward call), so ema results depend on {@link Options#batchSize()}; histograms and min/max do not.
 *
 * <p><b>Progress and cancellation.</b> Progress counts samples over all passes ("pass 1/2"...); the token is
 * checked between batches and by the engine between nodes; a cancelled run throws
 * {@link CancellationToken.CancelledException} and returns nothing.
 */
public final class CalibrationRun {
    private CalibrationRun() {
    }

    /**
     * @param batchSize   samples per engine call (>= 1; ONNX Runtime's reference data used 16)
     * @param bins        histogram bins (>= 8, divisible by 4; 2048 as TensorRT, ncnn and ONNX Runtime)
     * @param emaConstant PyTorch's averaging constant for ema (0.01)
     * @param methods     the range methods the statistics must support (decides the optional collectors)
     * @param perSample   keep one histogram per sample for the first this many samples of every activation whose
     *                    first axis is the batch (0: none); the app draws them as one curve per image
     */
    public record Options(int batchSize, int bins, double emaConstant, Set<RangeMethod> methods, int perSample) {
        public Options {
            if (perSample < 0) {
                throw new IllegalArgumentException("per-sample count must be >= 0, got " + perSample);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            if (bins < 8 || bins % 4 != 0) {
                throw new IllegalArgumentException("bins must be >= 8 and divisible by 4, got " + bins);
            }
            methods = methods.isEmpty() ? EnumSet.noneOf(RangeMethod.class) : EnumSet.copyOf(methods);
        }

        /** Batches of 16, 2048 bins, constant 0.01, statistics for {@code methods}. */
        public static Options of(RangeMethod... methods) {
            Set<RangeMethod> s = EnumSet.noneOf(RangeMethod.class);
            s.addAll(java.util.List.of(methods));
            return new Options(16, Histogram.DEFAULT_BINS, MovingAverageMinMax.DEFAULT_AVERAGING_CONSTANT, s, 0);
        }

        /** Statistics for every method (what the app wants). */
        public static Options all() {
            return of(RangeMethod.values());
        }

        public Options withBatchSize(int b) {
            return new Options(b, bins, emaConstant, methods, perSample);
        }

        public Options withBins(int b) {
            return new Options(batchSize, b, emaConstant, methods, perSample);
        }

        public Options withEmaConstant(double c) {
            return new Options(batchSize, bins, c, methods, perSample);
        }

        public Options withPerSample(int n) {
            return new Options(batchSize, bins, emaConstant, methods, n);
        }

        boolean needsSecondPass() {
            return methods.contains(RangeMethod.KL_ONNXRUNTIME) || methods.contains(RangeMethod.PERCENTILE);
        }
    }

    /**
     * Calibrates {@code engine}'s model on {@code data}.
     *
     * @throws InvalidInputException when the data holds no sample or does not fit the model
     */
    public static CalibrationStatistics run(Engine engine, BatchSource data, Options options,
                                            ProgressMonitor progress, CancellationToken token) {
        int samples = data.sampleCount();
        if (samples <= 0) {
            throw new InvalidInputException(data.description() + ": no samples to calibrate with");
        }
        boolean second = options.needsSecondPass();
        int passes = second ? 2 : 1;
        Set<RangeMethod> m = options.methods();
        boolean keepAbs = m.contains(RangeMethod.KL_TENSORRT) || m.contains(RangeMethod.KL_NCNN);
        boolean keepTorch = m.contains(RangeMethod.MSE);
        Map<String, ActivationStatistics> stats = new LinkedHashMap<>();
        int[] batch = new int[1];
        ActivationTap first = (name, value) -> stats
                .computeIfAbsent(name, n -> new ActivationStatistics(n, options.bins(), options.emaConstant(),
                        keepAbs, keepTorch, options.perSample()))
                .observe(value.floats(), samplesIn(value, batch[0]), engine.context());
        long seen = pass(engine, data, options.batchSize(), first, batch, 0, (long) samples * passes,
                label(1, passes), progress, token);
        if (second) {
            for (ActivationStatistics s : stats.values()) {
                s.startSecondPass(options.bins(), true, m.contains(RangeMethod.PERCENTILE));
            }
            ActivationTap again = (name, value) -> {
                ActivationStatistics s = stats.get(name);
                if (s != null) {
                    s.observeSecondPass(value.floats(), engine.context());
                }
            };
            pass(engine, data, options.batchSize(), again, batch, seen, (long) samples * passes, label(2, passes),
                    progress, token);
            stats.values().forEach(ActivationStatistics::finishSecondPass);
        }
        return new CalibrationStatistics(stats, WeightStatistics.collect(engine.graph()), seen,
                options.batchSize(), options);
    }

    /**
     * Statistics of one array of values, as if it were one activation seen over a calibration run: the first
     * {@code samples} axis is cut into batches of {@link Options#batchSize()} samples (one moving-average update,
     * one HistogramObserver call each), single-threaded. {@code range --npy} uses this.
     *
     * @param values  the values, sample after sample
     * @param samples how many samples they hold (>= 1, dividing values.length)
     */
    public static ActivationStatistics observeArray(String name, float[] values, int samples, Options options) {
        if (samples < 1 || values.length % samples != 0) {
            throw new IllegalArgumentException(samples + " samples do not divide " + values.length + " values");
        }
        Set<RangeMethod> m = options.methods();
        ActivationStatistics s = new ActivationStatistics(name, options.bins(), options.emaConstant(),
                m.contains(RangeMethod.KL_TENSORRT) || m.contains(RangeMethod.KL_NCNN), m.contains(RangeMethod.MSE),
                options.perSample());
        int per = values.length / samples;
        ExecContext one = ExecContext.singleThreaded();
        for (int start = 0; start < samples; start += options.batchSize()) {
            int n = Math.min(options.batchSize(), samples - start);
            s.observe(Arrays.copyOfRange(values, start * per, (start + n) * per), n, one);
        }
        if (options.needsSecondPass()) {
            s.startSecondPass(options.bins(), true, m.contains(RangeMethod.PERCENTILE));
            s.observeSecondPass(values, one);
            s.finishSecondPass();
        }
        return s;
    }

    /** The samples a tensor holds when its first axis is the batch of {@code n}; 0 when it is not laid out so. */
    static int samplesIn(Tensor t, int n) {
        return t.rank() >= 1 && t.shape().dim(0) == n && n > 0 ? n : 0;
    }

    private static String label(int pass, int passes) {
        return passes == 1 ? "" : "pass " + pass + "/" + passes;
    }

    /** One pass over the data; returns the samples it fed. */
    private static long pass(Engine engine, BatchSource data, int batchSize, ActivationTap tap, int[] batch,
                             long doneBefore, long total, String label, ProgressMonitor progress,
                             CancellationToken token) {
        long done = 0;
        for (Iterator<Map<String, Tensor>> it = data.batches(batchSize); it.hasNext(); ) {
            token.throwIfCancelled();
            Map<String, Tensor> feeds = it.next();
            batch[0] = feeds.values().iterator().next().shape().dim(0);
            engine.run(feeds, tap, token);
            done += batch[0];
            progress.progress(doneBefore + done, total, label);
        }
        token.throwIfCancelled();
        return done;
    }
}
