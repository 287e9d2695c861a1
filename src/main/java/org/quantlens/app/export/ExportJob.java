package org.quantlens.app.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.quantlens.app.evaluate.TableSource;
import org.quantlens.formats.TableFormat;
import org.quantlens.formats.TableFormats;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;

/**
 * The core work behind the export dialog, synchronous: read the model, resolve the table ({@link TableSource}) and
 * write it with {@link TableFormats#write} (atomic: the old file or the whole new one). The same writer as
 * {@code quantlens export}, so the same table gives the same bytes.
 */
public final class ExportJob {
    private ExportJob() {
    }

    /**
     * What an export produced.
     *
     * @param out      the file (or folder, for onnxruntime) written
     * @param table    which table was written
     * @param warnings the table's and the writer's warnings, in that order
     */
    public record Result(Path out, String table, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /** Writes the table of {@code model} from {@code tables} to {@code out} in {@code format}. */
    public static Result run(Path model, TableSource tables, TableFormat format, Path out, CancellationToken token,
                             ProgressMonitor progress) {
        progress.progress(0, 1, "reading " + model.getFileName());
        Model m = OnnxReader.read(model);
        TableSource.Resolved table = tables.resolve(m, model, token, progress);
        token.throwIfCancelled();
        progress.progress(0, 1, "writing " + out.getFileName());
        List<String> warnings = new ArrayList<>(table.warnings());
        warnings.addAll(TableFormats.write(table.table(), format, m, out));
        return new Result(out, table.origin(), warnings);
    }

    /**
     * Where a format's output goes by default, beside the model: {@code M.quantlens.json}, {@code M.calib.cache}
     * (TensorRT), {@code M.table} (ncnn), the folder {@code M_ort_calibration} (ONNX Runtime),
     * {@code M.qdq.onnx}.
     */
    public static Path defaultOut(Path model, TableFormat format) {
        String n = model.getFileName().toString();
        String stem = n.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
        String name = switch (format) {
            case QUANTLENS_JSON -> stem + ".quantlens.json";
            case TENSORRT -> stem + ".calib.cache";
            case NCNN -> stem + ".table";
            case ONNXRUNTIME -> stem + "_ort_calibration";
            case ONNX_QDQ -> stem + ".qdq.onnx";
        };
        return model.resolveSibling(name);
    }
}
