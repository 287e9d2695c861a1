package org.quantlens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.formats.ImportedTable;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.quant.QuantScheme;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens import PATH --format F --model MODEL --out T.json [--scheme S] [--bits B]}: reads a foreign
 * table (or a QDQ model's table) into quantlens-json (CONTRACTS.md). Entries whose tensor MODEL lacks are listed
 * on stdout and left out, never dropped silently; a file none of whose tensors MODEL has is bad input (exit 2),
 * as it is almost certainly meant for another model. The written table names MODEL (file name and SHA-256).
 * {@code --scheme}/{@code --bits} say how to read ONNX Runtime tables, which carry only ranges; the other formats
 * carry their scheme and a note says the options were not used.
 */
@Command(name = "import", description = "Read a TensorRT, ncnn, ONNX Runtime or QDQ table into quantlens-json.")
final class ImportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The table (a folder for onnxruntime, a model for onnx-qdq).")
    Path in;

    @Option(names = "--format", required = true, paramLabel = "F",
            description = "quantlens-json, tensorrt, ncnn, onnxruntime or onnx-qdq.")
    String format;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The FP32 model the table is for.")
    Path modelPath;

    @Option(names = "--out", required = true, paramLabel = "T.json", description = "The quantlens-json table to write.")
    Path out;

    @Option(names = "--scheme", paramLabel = "S",
            description = "Activation scheme for onnxruntime tables (default uint8-asymmetric, ORT's default).")
    String scheme;

    @Option(names = "--bits", paramLabel = "B", description = "Activation bits for onnxruntime tables (2..16, default 8).")
    Integer bits;

    @Override
    public Integer call() {
        TableFormat f = TableFormat.fromCliName(format);
        String actScheme = checkedScheme();
        int actBits = checkedBits();
        if (f != TableFormat.ONNXRUNTIME && (scheme != null || bits != null)) {
            note("--scheme/--bits only apply to onnxruntime tables; " + f.cliName() + " carries its own scheme");
        }
        Model model = OnnxReader.read(modelPath);
        ImportedTable imp = TableFormats.read(in, f, model, actScheme, actBits);
        imp.warnings().forEach(this::note);
        CalibrationTable read = imp.table();
        if (read.tensors().isEmpty() && !imp.unknownTensors().isEmpty()) {
            throw InvalidInputException.of(in, "none of its " + imp.unknownTensors().size() + " tensor(s) is in "
                    + modelPath.getFileName() + " (first: " + SafeText.printable(imp.unknownTensors().get(0), 80) + "); is it for another model?");
        }
        CalibrationTable table = new CalibrationTable(ModelFiles.reference(modelPath), read.activations(),
                read.weights(), read.tensors());
        QuantLensJsonFormat.write(table, out);
        report(table, imp.unknownTensors());
        return QuantLensCommand.OK;
    }

    private String checkedScheme() {
        if (scheme == null) {
            return QuantScheme.UINT8_ASYMMETRIC.cliName();
        }
        try {
            return QuantScheme.fromCliName(scheme).cliName();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--scheme: " + e.getMessage());
        }
    }

    private int checkedBits() {
        int b = bits == null ? 8 : bits;
        if (b < 2 || b > 16) {
            throw new InvalidInputException("--bits must be in 2..16, got " + b);
        }
        return b;
    }

    private void report(CalibrationTable table, List<String> unknown) {
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out + ": " + table.activationEntries().size() + " activation and "
                + table.weightEntries().size() + " weight entries from " + in + " (" + format + ", activations "
                + table.activations().scheme() + " " + table.activations().bits() + "-bit)");
        if (!unknown.isEmpty()) {
            o.println(unknown.size() + " tensor(s) in " + in + " that " + modelPath.getFileName()
                    + " does not have (not imported):");
            unknown.forEach(name -> o.println("  " + SafeText.printable(name)));
        }
    }

    private void note(String message) {
        spec.commandLine().getErr().println("quantlens: note: " + QuantLensCommand.firstLine(message));
    }
}
