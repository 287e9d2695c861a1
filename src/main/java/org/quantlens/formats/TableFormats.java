package org.quantlens.formats;

import java.nio.file.Path;
import java.util.List;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.ir.Model;

/**
 * One entry point for every table format (the {@code export} and {@code import} commands). Every write is atomic: a
 * reader of {@code out} sees the old file or the complete new one, never a part.
 */
public final class TableFormats {
    private TableFormats() {
    }

    /**
     * Writes {@code table} in format {@code f} to {@code out} (a folder for {@link TableFormat#ONNXRUNTIME}).
     * {@code model} names the layers for ncnn and is the source model for QDQ; the other formats ignore it.
     *
     * @return warnings about entries the format cannot carry (weights in TensorRT/ORT tables, zero ranges, ...)
     */
    public static List<String> write(CalibrationTable table, TableFormat f, Model model, Path out) {
        return switch (f) {
            case QUANTLENS_JSON -> {
                QuantLensJsonFormat.write(table, out);
                yield List.of();
            }
            case TENSORRT -> TensorRtCacheFormat.write(table, out);
            case NCNN -> NcnnTableFormat.write(table, model, out);
            case ONNXRUNTIME -> OnnxRuntimeTableFormat.write(table, out);
            case ONNX_QDQ -> QdqModelFormat.write(table, model, out);
        };
    }

    /**
     * Reads {@code in} in format {@code f}; entries of tensors {@code model} lacks are listed in
     * {@link ImportedTable#unknownTensors()}. ONNX Runtime tables are read as uint8-asymmetric (ORT's default); for
     * {@link TableFormat#ONNX_QDQ} {@code in} is the QDQ model and {@code model} the FP32 model it was made from.
     */
    public static ImportedTable read(Path in, TableFormat f, Model model) {
        return switch (f) {
            case QUANTLENS_JSON -> QuantLensJsonFormat.read(in, model);
            case TENSORRT -> TensorRtCacheFormat.read(in, model);
            case NCNN -> NcnnTableFormat.read(in, model);
            case ONNXRUNTIME -> OnnxRuntimeTableFormat.read(in, model);
            case ONNX_QDQ -> QdqModelFormat.read(in, model);
        };
    }

    /** As {@link #read(Path, TableFormat, Model)}, with the activation scheme for formats that carry only ranges (ORT). */
    public static ImportedTable read(Path in, TableFormat f, Model model, String activationScheme, int bits) {
        if (f == TableFormat.ONNXRUNTIME) {
            return OnnxRuntimeTableFormat.read(in, model, activationScheme, bits);
        }
        return read(in, f, model);
    }
}
