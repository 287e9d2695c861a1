package org.quantlens.app.figures;

import java.nio.file.Path;
import org.quantlens.calib.CalibrationRun;
import org.quantlens.calib.CalibrationStatistics;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;

/**
 * The core work behind the figures, synchronous: read the model, measure its weights, and (with data) run the
 * first {@code samples} calibration samples through it keeping one histogram per sample. Only min/max statistics
 * are collected beside the per-sample histograms, so the run is one pass over a few samples.
 *
 * @param weights the weight figures
 * @param samples the per-sample activation curves, or null without data
 */
public record FigureData(WeightFigures weights, SampleCurves samples) {
    /** How many samples the activation figure draws (one curve each). */
    public static final int SAMPLES = 16;

    /** Loads {@code model} and, when {@code data} is not null, its first {@code samples} samples' histograms. */
    public static FigureData load(Path model, Path data, int samples, CancellationToken token,
                                  ProgressMonitor progress) {
        progress.progress(0, 1, "reading " + model.getFileName());
        Model m = OnnxReader.read(model);
        WeightFigures weights = WeightFigures.of(m.graph(), token);
        if (data == null) {
            return new FigureData(weights, null);
        }
        Engine engine = Engine.load(m);
        DataOptions opts = new DataOptions(m.graph().inputNames(), null, null, samples);
        CalibrationRun.Options options = CalibrationRun.Options.of(RangeMethod.MINMAX).withPerSample(samples);
        try (BatchSource source = DataSources.open(data, opts)) {
            CalibrationStatistics stats = CalibrationRun.run(engine, source, options,
                    (done, total, msg) -> progress.progress(done, total, "per-sample histograms"), token);
            return new FigureData(weights, SampleCurves.of(stats));
        }
    }
}
