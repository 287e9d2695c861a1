package org.quantlens.app.layers;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.app.histogram.TensorHistogram;
import org.quantlens.data.BatchSource;
import org.quantlens.exec.ActivationTap;
import org.quantlens.exec.Engine;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Runs the FP32 engine over a data set and collects, for each named activation, its range and a
 * {@link TensorHistogram#DEFAULT_BINS}-bin histogram over that range. Two passes over the data: the first finds
 * [min, max] (through an {@link ActivationTap}), the second counts into bins fixed by it, so the histogram is exact
 * and no activation is kept in memory. A preview for the layer browser until the calibration engine's streaming
 * histograms arrive; synchronous, polls the token at every node.
 */
public final class ActivationProfiler {
    private final int batchSize;

    /** A profiler that feeds the engine {@code batchSize} samples at a time. */
    public ActivationProfiler(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * Statistics of the activations named in {@code names} over all of {@code source}; names the engine never
     * produced as float are absent from the result.
     *
     * @throws InvalidInputException when the data does not fit the model or has no samples
     */
    public Map<String, TensorStats> profile(Engine engine, BatchSource source, Set<String> names,
                                            CancellationToken token, ProgressMonitor progress) {
        if (source.sampleCount() == 0) {
            throw new InvalidInputException(source.description() + ": no samples");
        }
        long total = 2L * source.sampleCount();
        Map<String, double[]> ranges = new HashMap<>();
        runPass(engine, source, token, progress, 0, total, "measuring ranges", (name, t) -> {
            if (names.contains(name)) {
                double[] r = ranges.computeIfAbsent(name, k -> new double[] {Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY});
                for (float v : t.floats()) {
                    if (Float.isFinite(v)) {
                        r[0] = Math.min(r[0], v);
                        r[1] = Math.max(r[1], v);
                    }
                }
            }
        });
        Map<String, TensorHistogram.Accumulator> acc = new LinkedHashMap<>();
        ranges.forEach((name, r) -> acc.put(name, new TensorHistogram.Accumulator(r[0], r[1],
                TensorHistogram.DEFAULT_BINS)));
        runPass(engine, source, token, progress, source.sampleCount(), total, "histograms", (name, t) -> {
            TensorHistogram.Accumulator a = acc.get(name);
            if (a != null) {
                a.add(t.floats());
            }
        });
        Map<String, TensorStats> out = new LinkedHashMap<>();
        acc.forEach((name, a) -> out.put(name, TensorStats.of(a.toHistogram(), List.of())));
        return out;
    }

    private void runPass(Engine engine, BatchSource source, CancellationToken token, ProgressMonitor progress,
                         long doneBefore, long total, String what, ActivationTap tap) {
        long done = doneBefore;
        for (Iterator<Map<String, Tensor>> it = source.batches(batchSize); it.hasNext(); ) {
            token.throwIfCancelled();
            Map<String, Tensor> feeds = it.next();
            engine.run(feeds, tap, token);
            done += feeds.values().iterator().next().shape().dim(0);
            progress.progress(done, total, what);
        }
    }
}
