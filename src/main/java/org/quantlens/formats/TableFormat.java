package org.quantlens.formats;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.quantlens.tensor.InvalidInputException;

/** The calibration table formats QuantLens writes and reads, by their command-line names (CONTRACTS.md). */
public enum TableFormat {
    /** QuantLens's own canonical JSON table. */
    QUANTLENS_JSON("quantlens-json"),
    /** TensorRT calibration cache (activations only, symmetric int8 scales as float32 hex bits). */
    TENSORRT("tensorrt"),
    /** ncnn2table's text table (per-layer weight scales and input blob scales, multiplying scales). */
    NCNN("ncnn"),
    /** ONNX Runtime's write_calibration_table folder (calibration.json, .cache, .flatbuffers). */
    ONNXRUNTIME("onnxruntime"),
    /** An ONNX QDQ model (QuantizeLinear/DequantizeLinear pairs). */
    ONNX_QDQ("onnx-qdq");

    private final String cliName;

    TableFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The format named {@code name} on the command line; an unknown name is bad input listing the valid names. */
    public static TableFormat fromCliName(String name) {
        for (TableFormat f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        throw new InvalidInputException("unknown table format '" + name + "' (valid: " + validNames() + ")");
    }

    /** The valid names, comma separated, for messages and help. */
    public static String validNames() {
        return Arrays.stream(values()).map(TableFormat::cliName).collect(Collectors.joining(", "));
    }
}
