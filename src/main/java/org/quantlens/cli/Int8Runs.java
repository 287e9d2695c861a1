package org.quantlens.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.ExecContext;
import org.quantlens.formats.ImportedTable;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.runtime.Int8Engine;
import org.quantlens.runtime.QuantizedModelBuilder;
import org.quantlens.runtime.RequantMode;
import org.quantlens.runtime.RuntimeOptions;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.SafeText;

/** What {@code run --int8} and {@code evaluate} share: the table for a model, the runtime options, the engine. */
final class Int8Runs {
    private Int8Runs() {
    }

    /**
     * The INT8 engine for {@code model} and the quantlens-json table at {@code tablePath}: requantization as
     * {@code --requantize} says, weights per channel or per tensor as the table's {@code weights.per_channel} says.
     * Notes name tensors the model lacks and a table recorded for another model file.
     */
    static Int8Engine engine(Path modelPath, Model model, Path tablePath, String requantize, Consumer<String> note) {
        RequantMode mode = requantMode(requantize);
        CalibrationTable table = readTable(tablePath, model, note);
        ModelFiles.noteIfOtherModel(tablePath, table.model(), modelPath, note);
        RuntimeOptions opts = RuntimeOptions.defaults().withRequantMode(mode)
                .withPerChannelWeights(table.weights().perChannel());
        return new Int8Engine(QuantizedModelBuilder.build(model, table, opts), ExecContext.defaultContext());
    }

    /**
     * The quantlens-json table at {@code path}, checked against {@code model}: entries of tensors the model lacks
     * are left out with a note; a table without any tensor the model has is bad input (it is for another model).
     */
    static CalibrationTable readTable(Path path, Model model, Consumer<String> note) {
        ImportedTable imp = TableFormats.read(path, TableFormat.QUANTLENS_JSON, model);
        List<String> unknown = imp.unknownTensors();
        if (imp.table().tensors().isEmpty() && !unknown.isEmpty()) {
            throw InvalidInputException.of(path, "none of its " + unknown.size() + " tensor(s) is in the model (first: "
                    + SafeText.printable(unknown.get(0), 80) + "); is it for another model?");
        }
        if (!unknown.isEmpty()) {
            note.accept(path + ": ignoring " + unknown.size() + " tensor(s) the model does not have: "
                    + SafeText.printable(String.join(", ", unknown), 400));
        }
        return imp.table();
    }

    /** {@code --requantize fixed-point|float}; anything else is a usage error. */
    static RequantMode requantMode(String requantize) {
        return switch (requantize) {
            case "fixed-point" -> RequantMode.FIXED_POINT;
            case "float" -> RequantMode.FLOAT;
            default -> throw new InvalidInputException("--requantize must be fixed-point or float, got '"
                    + SafeText.printable(requantize, 40) + "'");
        };
    }

    /** True when the model already holds QuantizeLinear/DequantizeLinear (or QLinear*) nodes: a QDQ model. */
    static boolean isQdqModel(Model model) {
        for (Node n : model.graph().nodes()) {
            String op = n.opType();
            if (op.equals("QuantizeLinear") || op.equals("DequantizeLinear") || op.startsWith("QLinear")) {
                return true;
            }
        }
        return false;
    }
}
