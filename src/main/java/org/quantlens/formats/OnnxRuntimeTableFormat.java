package org.quantlens.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.ActivationSpec;
import org.quantlens.calib.CalibrationTable.ModelRef;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightSpec;
import org.quantlens.ir.Model;
import org.quantlens.tensor.InvalidInputException;

/**
 * ONNX Runtime's calibration table folder, as {@code onnxruntime.quantization.quant_utils.write_calibration_table}
 * writes it:
 * <ul>
 * <li>{@code calibration.json}: {@code json.dumps} of ORT's {@code TensorsData}:
 * {@code {"CLS": "TensorsData", "data": {"<tensor>": {"lowest": {"data": [lo], "dtype": "float32", "CLS":
 * "numpy.array"}, "highest": {...}, "CLS": "TensorData"}, ...}, "calibration_method": {"CLS": "CalibrationMethod",
 * "value": "CalibrationMethod.MinMax"}}}, numbers as Python's repr of the float32 value, strings ASCII-escaped;</li>
 * <li>{@code calibration.cache}: lines {@code <tensor> <value>} sorted by name, value = {@code str(max(highest,
 * lowest))} - ORT takes the larger of the two, not the larger magnitude (so a range [-30, 26] writes 26);</li>
 * <li>{@code calibration.flatbuffers}: the same key/value strings, see {@link OrtFlatBuffers}.</li>
 * </ul>
 * Only activations are written (ORT's table has no weights); lowest/highest are the table's clip range min/max.
 *
 * <p>Reading takes {@code calibration.json} (the folder's, or the file itself): lowest/highest (a number or a
 * one-element array) become the observed range, and the clip range, scale and zero point follow with ONNX Runtime's
 * rule ({@link QuantRule}) under the caller's activation scheme, uint8-asymmetric by default.
 */
public final class OnnxRuntimeTableFormat {
    static final String JSON = "calibration.json";
    static final String CACHE = "calibration.cache";
    static final String FLATBUFFERS = "calibration.flatbuffers";

    private static final Map<String, String> ORT_METHOD = Map.of("minmax", "MinMax", "kl-onnxruntime", "Entropy",
            "percentile", "Percentile");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OnnxRuntimeTableFormat() {
    }

    /** Writes the three files into folder {@code out} (created; existing files replaced only once all are written). */
    public static List<String> write(CalibrationTable table, Path out) {
        List<String> warnings = new ArrayList<>();
        Map<String, ActivationEntry> acts = table.activationEntries();
        if (!table.weightEntries().isEmpty()) {
            warnings.add("weights are not part of an ONNX Runtime calibration table; "
                    + table.weightEntries().size() + " weight entries not written");
        }
        List<Map.Entry<String, String>> sorted = new ArrayList<>();
        acts.forEach((name, a) -> sorted.add(new AbstractMap.SimpleEntry<>(name,
                PythonRepr.repr(Math.max((double) (float) a.max(), (double) (float) a.min())))));
        sorted.sort(Map.Entry.comparingByKey(OnnxRuntimeTableFormat::compareCodePoints));
        StringBuilder cache = new StringBuilder();
        for (Map.Entry<String, String> e : sorted) {
            cache.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(JSON, calibrationJson(acts).getBytes(StandardCharsets.UTF_8));
        files.put(FLATBUFFERS, OrtFlatBuffers.encode(sorted));
        files.put(CACHE, cache.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeFolder(out, files);
        return warnings;
    }

    /** Python sorts strings by code point; Java's compareTo by UTF-16 unit differs above U+FFFF. */
    static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    static String calibrationJson(Map<String, ActivationEntry> acts) {
        StringBuilder b = new StringBuilder("{\"CLS\": \"TensorsData\", \"data\": {");
        boolean first = true;
        for (Map.Entry<String, ActivationEntry> e : acts.entrySet()) {
            b.append(first ? "" : ", ").append(PythonRepr.jsonString(e.getKey())).append(": {\"lowest\": ")
                    .append(numpyArray(e.getValue().min())).append(", \"highest\": ").append(numpyArray(e.getValue().max()))
                    .append(", \"CLS\": \"TensorData\"}");
            first = false;
        }
        String method = acts.values().stream().map(ActivationEntry::method).distinct().count() == 1 && !acts.isEmpty()
                ? ORT_METHOD.getOrDefault(acts.values().iterator().next().method(), "MinMax") : "MinMax";
        return b.append("}, \"calibration_method\": {\"CLS\": \"CalibrationMethod\", \"value\": \"CalibrationMethod.")
                .append(method).append("\"}}").toString();
    }

    private static String numpyArray(double v) {
        return "{\"data\": [" + PythonRepr.repr((float) v) + "], \"dtype\": \"float32\", \"CLS\": \"numpy.array\"}";
    }

    /** Reads with the default scheme, uint8-asymmetric 8 bits (ONNX Runtime's default for activations). */
    public static ImportedTable read(Path in, Model model) {
        return read(in, model, QuantRule.UINT8_ASYMMETRIC, 8);
    }

    /** Reads {@code calibration.json} ({@code in} is the folder or the file) under the given activation scheme. */
    public static ImportedTable read(Path in, Model model, String scheme, int bits) {
        QuantRule.checkScheme("scheme", scheme, bits);
        Path file = Files.isDirectory(in) ? in.resolve(JSON) : in;
        String source = file.toString();
        JsonNode root = parseJson(source, TextLines.readBytes(file));
        JsonFields f = new JsonFields(source);
        if (!root.isObject() || !"TensorsData".equals(root.path("CLS").asText(null))) {
            throw InvalidInputException.of(source, "not an ONNX Runtime calibration table (expected {\"CLS\": \"TensorsData\", ...})");
        }
        String method = methodOf(root.path("calibration_method").path("value").asText(""));
        Set<String> known = ModelTensors.names(model);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (var it = f.object(root, "data").fields(); it.hasNext(); ) {
            var field = it.next();
            JsonFields tf = f.at("data \"" + field.getKey() + "\"");
            JsonNode t = field.getValue();
            if (!t.isObject()) {
                throw tf.fail("is not an object");
            }
            double lo = scalar(tf, t, "lowest");
            double hi = scalar(tf, t, "highest");
            if (lo > hi) {
                throw tf.fail("lowest " + lo + " > highest " + hi);
            }
            if (model != null && !known.contains(field.getKey())) {
                unknown.add(field.getKey());
                continue;
            }
            QuantRule.Params p = QuantRule.fromRange(scheme, bits, lo, hi);
            entries.put(field.getKey(), new ActivationEntry(method, false, p.min(), p.max(), p.scale(), p.zeroPoint(), lo, hi));
        }
        CalibrationTable table = new CalibrationTable(new ModelRef("", ""), new ActivationSpec(scheme, bits),
                new WeightSpec(QuantRule.INT8_SYMMETRIC, 8, true), entries);
        return new ImportedTable(table, unknown, List.of());
    }

    private static JsonNode parseJson(String source, byte[] bytes) {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw InvalidInputException.of(source, "empty file");
            }
            return root;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new InvalidInputException(source + where + ": not valid JSON (" + e.getOriginalMessage().lines()
                    .findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw InvalidInputException.of(source, "cannot read: " + e.getMessage());
        }
    }

    private static String methodOf(String ortValue) {
        return switch (ortValue) {
            case "CalibrationMethod.Entropy" -> "kl-onnxruntime";
            case "CalibrationMethod.Percentile" -> "percentile";
            case "CalibrationMethod.MinMax" -> "minmax";
            default -> "imported";
        };
    }

    /** A TensorData field: {"data": x or [x], ...} or a bare number or one-element list; must be finite. */
    private static double scalar(JsonFields f, JsonNode tensor, String field) {
        JsonNode n = tensor.get(field);
        if (n == null) {
            throw f.fail("missing \"" + field + "\"");
        }
        if (n.isObject()) {
            n = n.get("data");
        }
        if (n != null && n.isArray() && n.size() == 1) {
            n = n.get(0);
        }
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw f.fail("\"" + field + "\" is not one finite number");
        }
        if (Math.abs(n.asDouble()) > Float.MAX_VALUE / 2) {
            throw f.fail("\"" + field + "\" " + n.asDouble() + " is outside the float32 range");
        }
        return n.asDouble();
    }
}
