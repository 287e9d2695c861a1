package org.quantlens.calib;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.calib.search.RangeMethod;

/**
 * The result of a {@link CalibrationRun}: per float activation its {@link ActivationStatistics} (in the order the
 * engine produced them: graph inputs, then node outputs in execution order) and per weight its
 * {@link WeightStatistics}. Turn it into a table with {@link CalibrationTables#build}; save the histograms with
 * {@link #histogramsFor} and {@link HistogramFile#write} so that later range searches need no model run.
 *
 * @param activations statistics by tensor name, in production order
 * @param weights     weight statistics by initializer name, in graph order
 * @param samples     samples seen in the first pass
 * @param batchSize   samples per engine batch (the ema result depends on it)
 * @param options     the run's options
 */
public record CalibrationStatistics(Map<String, ActivationStatistics> activations,
                                    Map<String, WeightStatistics> weights, long samples, int batchSize,
                                    CalibrationRun.Options options) {
    public CalibrationStatistics {
        activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** For every activation the histogram {@code method} works on ({@link ActivationStatistics#histogramFor}). */
    public Map<String, Histogram> histogramsFor(RangeMethod method, boolean symmetricPercentile) {
        Map<String, Histogram> out = new LinkedHashMap<>();
        activations.forEach((k, v) -> out.put(k, v.histogramFor(method, symmetricPercentile)));
        return out;
    }
}
