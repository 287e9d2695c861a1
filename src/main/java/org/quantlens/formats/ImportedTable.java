package org.quantlens.formats;

import java.util.List;
import org.quantlens.calib.CalibrationTable;

/**
 * What a reader made of a foreign file.
 *
 * @param table          the entries whose tensors the model has
 * @param unknownTensors names in the file that the model does not have (left out of {@code table}, never silently
 *                       dropped: the command line prints them)
 * @param warnings       anything else the user should know (approximations, entries that could not be mapped)
 */
public record ImportedTable(CalibrationTable table, List<String> unknownTensors, List<String> warnings) {
    public ImportedTable {
        unknownTensors = List.copyOf(unknownTensors);
        warnings = List.copyOf(warnings);
    }
}
