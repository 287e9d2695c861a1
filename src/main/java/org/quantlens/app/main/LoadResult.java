package org.quantlens.app.main;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.quantlens.app.layers.TensorEntry;
import org.quantlens.app.layers.TensorStats;
import org.quantlens.ir.Model;

/**
 * What a background load hands to the FX thread, immutable.
 *
 * @param modelPath the model file
 * @param model     the parsed model
 * @param entries   its quantizable tensors
 * @param dataPath  the calibration data profiled, or null
 * @param stats     activation statistics by name (empty without data or when profiling failed)
 * @param dataError why the data could not be profiled (one line), or null
 */
record LoadResult(Path modelPath, Model model, List<TensorEntry> entries, Path dataPath,
                  Map<String, TensorStats> stats, String dataError) {
}
