package org.quantlens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.formats.ImportedTable;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens export T.json --format F --model MODEL --out PATH}: writes a quantlens-json table in another
 * format (CONTRACTS.md). The write is atomic (PATH holds the old content or the complete new one). Whatever the
 * target format cannot carry (weights in a TensorRT cache, tensors the model lacks, ...) is a note on stderr,
 * never a silent loss; a table made for a different model file (other SHA-256) is a note too, not an error, since
 * re-exported or re-saved models keep their tensor names.
 */
@Command(name = "export", description = "Write a calibration table (quantlens-json) in another format.")
final class ExportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "T.json", description = "The calibration table (quantlens-json).")
    Path tablePath;

    @Option(names = "--format", required = true, paramLabel = "F",
            description = "quantlens-json, tensorrt, ncnn, onnxruntime (a folder) or onnx-qdq (a model).")
    String format;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "The FP32 model the table is for (layer names for ncnn, the graph for onnx-qdq).")
    Path modelPath;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Where to write.")
    Path out;

    @Override
    public Integer call() {
        TableFormat f = TableFormat.fromCliName(format);
        Model model = OnnxReader.read(modelPath);
        ImportedTable in = TableFormats.read(tablePath, TableFormat.QUANTLENS_JSON, model);
        noteUnknown(in.unknownTensors());
        ModelFiles.noteIfOtherModel(tablePath, in.table().model(), modelPath, this::note);
        CalibrationTable table = in.table();
        List<String> warnings = TableFormats.write(table, f, model, out);
        warnings.forEach(this::note);
        spec.commandLine().getOut().println("wrote " + out + " (" + f.cliName() + ") from "
                + table.activationEntries().size() + " activation and " + table.weightEntries().size()
                + " weight entries of " + tablePath);
        return QuantLensCommand.OK;
    }

    private void noteUnknown(List<String> unknown) {
        if (!unknown.isEmpty()) {
            note(tablePath + ": left out " + unknown.size() + " tensor(s) that " + modelPath.getFileName()
                    + " does not have: " + SafeText.printable(String.join(", ", unknown), 400));
        }
    }

    private void note(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("quantlens: note: " + QuantLensCommand.firstLine(message));
    }
}
