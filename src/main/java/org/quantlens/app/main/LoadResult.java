package org.quantlens.app.main;

import java.nio.file.Path;
import java.util.List;
import org.quantlens.app.layers.TensorEntry;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.formats.ImportedTable;
import org.quantlens.ir.Model;

/**
 * What a background load hands to the FX thread, immutable.
 *
 * @param modelPath   the model file
 * @param model       the parsed model
 * @param entries     its quantizable tensors
 * @param dataPath    the calibration data, or null
 * @param calibration the calibration on that data, or null (no data, or it failed)
 * @param dataError   why the data could not be used (one line), or null
 * @param project     the saved project beside the model, or null
 * @param weightsTable the table of the weights alone (what export writes before any calibration)
 */
record LoadResult(Path modelPath, Model model, List<TensorEntry> entries, Path dataPath, Calibrator.Result calibration,
                  String dataError, ImportedTable project,
                  CalibrationTable weightsTable) {
}
