package org.quantlens.app.main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.app.fx.Messages;
import org.quantlens.app.layers.ActivationProfiler;
import org.quantlens.app.layers.TensorCatalog;
import org.quantlens.app.layers.TensorEntry;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.app.layers.TensorStats;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.data.PreprocessSpec;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.InvalidInputException;

/**
 * The core work behind "open model" and "open data", synchronous (the view model runs it in the background):
 * read and catalogue a model, then optionally run the FP32 engine over calibration data for the activations'
 * ranges and histograms. A data problem does not lose the model: it comes back as {@link LoadResult#dataError()}.
 */
final class ModelLoader {
    static final int PROFILE_BATCH = 16;

    private ModelLoader() {
    }

    static LoadResult load(Path modelPath, Path data, Path preprocess, CancellationToken token,
                           ProgressMonitor progress) {
        if (!Files.isRegularFile(modelPath)) {
            throw InvalidInputException.of(modelPath, "no such file");
        }
        progress.progress(0, 1, "reading " + modelPath.getFileName());
        Model model = OnnxReader.read(modelPath);
        List<TensorEntry> entries = TensorCatalog.build(model, token);
        if (data == null) {
            return new LoadResult(modelPath, model, entries, null, Map.of(), null);
        }
        try {
            Map<String, TensorStats> stats = profile(model, entries, data, preprocess, token, progress);
            return new LoadResult(modelPath, model, entries, data, stats, null);
        } catch (InvalidInputException | IllegalArgumentException e) {
            return new LoadResult(modelPath, model, entries, data, Map.of(), Messages.oneLine(e));
        }
    }

    /** Activation statistics of {@code model} over {@code data}. */
    static Map<String, TensorStats> profile(Model model, List<TensorEntry> entries, Path data, Path preprocess,
                                            CancellationToken token, ProgressMonitor progress) {
        Engine engine = Engine.load(model);
        PreprocessSpec spec = preprocess == null ? null : PreprocessSpec.read(preprocess);
        DataOptions opts = new DataOptions(model.graph().inputNames(), null, spec, 0);
        Set<String> names = new java.util.HashSet<>();
        entries.stream().filter(e -> e.kind() == TensorKind.ACTIVATION).forEach(e -> names.add(e.name()));
        try (BatchSource source = DataSources.open(data, opts)) {
            return new ActivationProfiler(PROFILE_BATCH).profile(engine, source, names, token, progress);
        }
    }
}
