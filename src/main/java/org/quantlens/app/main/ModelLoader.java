package org.quantlens.app.main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.quantlens.app.fx.Messages;
import org.quantlens.app.layers.TensorCatalog;
import org.quantlens.app.layers.TensorEntry;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.formats.ImportedTable;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.InvalidInputException;

/**
 * The core work behind "open model", synchronous (the view model runs it in the background): read and catalogue
 * a model, read its project file, and when data is given calibrate on it ({@link Calibrator}). A data problem does
 * not lose the model: it comes back as {@link LoadResult#dataError()}; an unreadable project file neither (it is
 * reported the same way and left untouched).
 */
final class ModelLoader {
    private ModelLoader() {
    }

    static LoadResult load(Path modelPath, Path data, Path preprocess, Calibrator.Settings settings,
                           CancellationToken token, ProgressMonitor progress) {
        if (!Files.isRegularFile(modelPath)) {
            throw InvalidInputException.of(modelPath, "no such file");
        }
        progress.progress(0, 1, "reading " + modelPath.getFileName());
        Model model = OnnxReader.read(modelPath);
        List<TensorEntry> entries = TensorCatalog.build(model, token);
        ImportedTable project;
        String problem = null;
        try {
            project = ProjectFile.read(modelPath, model);
        } catch (InvalidInputException e) {
            project = null;
            problem = Messages.oneLine(e);
        }
        CalibrationTable weights = Calibrator.weightsOnly(model, modelPath, settings).table();
        if (data == null) {
            return new LoadResult(modelPath, model, entries, null, null, problem, project, weights);
        }
        try {
            Calibrator.Result r = Calibrator.run(model, modelPath, data, preprocess, settings, token, progress);
            return new LoadResult(modelPath, model, entries, data, r, problem, project, weights);
        } catch (InvalidInputException | IllegalArgumentException e) {
            return new LoadResult(modelPath, model, entries, data, null, Messages.oneLine(e), project, weights);
        }
    }
}
