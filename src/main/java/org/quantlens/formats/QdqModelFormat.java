package org.quantlens.formats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.ActivationSpec;
import org.quantlens.calib.CalibrationTable.ModelRef;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.calib.CalibrationTable.WeightSpec;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.onnx.OnnxWriter;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * ONNX QDQ models (CONTRACTS.md, "ONNX QDQ model"). Writing: {@link QdqModelBuilder}. Reading: the table a QDQ
 * model carries, from ours or from ONNX Runtime's {@code quantize_static(..., quant_format=QDQ)}.
 * <ul>
 * <li>Activations: every {@code QuantizeLinear(X, s, zp)} gives X's entry with that scale and zero point and the clip
 * range [(qmin - zp)*s, (qmax - zp)*s]; the scheme follows the zero point's type: uint8 is uint8-asymmetric, int8
 * with zero point 0 int8-symmetric (range [-127, 127], as ORT's ActivationSymmetric and TensorRT), other int8
 * int8-asymmetric.</li>
 * <li>Weights: every {@code DequantizeLinear} whose input is an int8/uint8 initializer gives a weight entry under
 * the initializer's name without ORT's {@code _quantized} suffix (the FP32 model's weight name); per channel along
 * {@code axis} (default 1, as ONNX) when the scale has more than one element. int32 inputs (biases) are skipped.</li>
 * </ul>
 * A graph output X that ONNX Runtime renamed to {@code X_QuantizeLinear_Input} is reported as X.
 * Scales and zero points must be initializers or Constant outputs; anything else is reported as a warning.
 */
public final class QdqModelFormat {
    private static final String QUANTIZED_SUFFIX = "_quantized";
    private static final String ORT_OUTPUT_SUFFIX = "_QuantizeLinear_Input";

    private QdqModelFormat() {
    }

    /**
     * Writes the QDQ model for {@code fp32Model} quantized with {@code table} (see {@link QdqModelBuilder} for the
     * layout) to {@code out}, atomically; returns notes about entries that could not be applied.
     */
    public static List<String> write(CalibrationTable table, Model fp32Model, Path out) {
        List<String> warnings = new ArrayList<>();
        Model qdq = QdqModelBuilder.build(fp32Model, table, warnings);
        AtomicFiles.write(out, OnnxWriter.toBytes(qdq));
        return warnings;
    }

    /** Reads the table of QDQ model {@code in}; names {@code fp32Model} lacks go to unknownTensors (no check if null). */
    public static ImportedTable read(Path in, Model fp32Model) {
        return tableOf(OnnxReader.read(in), in.toString(), fp32Model);
    }

    /** The table of an already loaded QDQ model. */
    static ImportedTable tableOf(Model qdq, String source, Model fp32Model) {
        Graph g = qdq.graph();
        Set<String> known = ModelTensors.names(fp32Model);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String actScheme = null;
        String weightScheme = null;
        boolean perChannel = false;
        for (Node n : g.nodes()) {
            boolean quantize = n.opType().equals("QuantizeLinear");
            boolean weight = n.opType().equals("DequantizeLinear") && g.initializers().containsKey(n.input(0));
            if (!n.domain().isEmpty() || !(quantize || weight)) {
                continue;
            }
            Tensor scale = constant(g, n.input(1));
            Tensor zp = n.hasInput(2) ? constant(g, n.input(2)) : null;
            DType qtype = weight ? g.initializers().get(n.input(0)).dtype() : zp == null ? DType.UINT8 : zp.dtype();
            if (qtype == DType.INT32) {
                continue;
            }
            if (scale == null || (n.hasInput(2) && zp == null) || (qtype != DType.UINT8 && qtype != DType.INT8)
                    || scale.size() == 0 || (zp != null && zp.size() != scale.size())) {
                warnings.add(source + ": " + n.displayName() + " (" + n.opType() + ") has no constant 8-bit scale/zero point; skipped");
                continue;
            }
            String scheme = schemeOf(qtype, zp);
            String name = quantize ? activationName(g, n) : stripSuffix(n.input(0), QUANTIZED_SUFFIX);
            if (fp32Model != null && !known.contains(name)) {
                unknown.add(name);
                continue;
            }
            if (quantize) {
                actScheme = noteScheme(actScheme, scheme, "activations", source, warnings);
                entries.putIfAbsent(name, activation(scale, zp, scheme));
            } else {
                weightScheme = noteScheme(weightScheme, scheme, "weights", source, warnings);
                int rank = g.initializers().get(n.input(0)).rank();
                int axis = scale.size() == 1 ? -1 : (int) Math.floorMod(n.attrInt("axis", 1), Math.max(1, rank));
                perChannel |= axis >= 0;
                entries.putIfAbsent(name, weightEntry(scale, zp, scheme, axis));
            }
        }
        CalibrationTable table = new CalibrationTable(new ModelRef("", ""),
                new ActivationSpec(actScheme == null ? QuantRule.UINT8_ASYMMETRIC : actScheme, 8),
                new WeightSpec(weightScheme == null ? QuantRule.INT8_SYMMETRIC : weightScheme, 8, perChannel), entries);
        TableValidator.validate(source, table);
        return new ImportedTable(table, unknown, warnings);
    }

    private static String noteScheme(String before, String now, String what, String source, List<String> warnings) {
        if (before != null && !before.equals(now)) {
            warnings.add(source + ": " + what + " mix " + before + " and " + now + "; the table says " + before);
            return before;
        }
        return now;
    }

    private static String stripSuffix(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }

    /**
     * The FP32 name of the tensor a QuantizeLinear quantizes: its input, except that ONNX Runtime renames a graph
     * output X to {@code X_QuantizeLinear_Input} and lets the DequantizeLinear after it produce X; then X.
     */
    private static String activationName(Graph g, Node q) {
        String x = q.input(0);
        if (x.endsWith(ORT_OUTPUT_SUFFIX)) {
            for (Node d : g.nodes()) {
                if (d.opType().equals("DequantizeLinear") && d.input(0).equals(q.outputs().isEmpty() ? "" : q.outputs().get(0))
                        && !d.outputs().isEmpty() && g.outputNames().contains(d.outputs().get(0))) {
                    return d.outputs().get(0);
                }
            }
            return stripSuffix(x, ORT_OUTPUT_SUFFIX);
        }
        return x;
    }

    private static String schemeOf(DType qtype, Tensor zp) {
        if (qtype == DType.UINT8) {
            return QuantRule.UINT8_ASYMMETRIC;
        }
        if (zp != null) {
            for (int i = 0; i < zp.size(); i++) {
                if (zp.getLong(i) != 0) {
                    return QuantRule.INT8_ASYMMETRIC;
                }
            }
        }
        return QuantRule.INT8_SYMMETRIC;
    }

    private static ActivationEntry activation(Tensor scale, Tensor zp, String scheme) {
        double s = scale.getDouble(0);
        int z = zp == null ? 0 : (int) zp.getLong(0);
        double min = (qmin(scheme) - z) * s;
        double max = (qmax(scheme) - z) * s;
        return new ActivationEntry("imported", false, min, max, s, z, min, max);
    }

    private static WeightEntry weightEntry(Tensor scale, Tensor zp, String scheme, int axis) {
        int n = scale.size();
        double[] s = new double[n];
        int[] z = new int[n];
        double[] min = new double[n];
        double[] max = new double[n];
        for (int c = 0; c < n; c++) {
            s[c] = scale.getDouble(c);
            z[c] = zp == null ? 0 : (int) zp.getLong(c);
            min[c] = (qmin(scheme) - z[c]) * s[c];
            max[c] = (qmax(scheme) - z[c]) * s[c];
        }
        return new WeightEntry(axis, s, z, min, max);
    }

    static int qmin(String scheme) {
        return switch (scheme) {
            case QuantRule.UINT8_ASYMMETRIC -> 0;
            case QuantRule.INT8_SYMMETRIC -> -127;
            default -> -128;
        };
    }

    static int qmax(String scheme) {
        return scheme.equals(QuantRule.UINT8_ASYMMETRIC) ? 255 : 127;
    }

    /** An initializer, or the value of the Constant node producing {@code name}; null when neither. */
    static Tensor constant(Graph g, String name) {
        Tensor t = g.initializers().get(name);
        if (t != null) {
            return t;
        }
        Node p = g.producer(name);
        if (p != null && p.opType().equals("Constant") && p.has("value")) {
            try {
                return p.attr("value").asTensor();
            } catch (RuntimeException e) {
                throw InvalidInputException.of(name, "Constant without a tensor value");
            }
        }
        return null;
    }
}
