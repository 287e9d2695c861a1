package org.quantlens.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.quantlens.ir.Model;
import org.quantlens.tensor.InvalidInputException;

/**
 * The canonical {@code quantlens-json} table (CONTRACTS.md, "Calibration table"): {@code format}
 * "quantlens-calibration", {@code version} 1, {@code model}, {@code activations}, {@code weights}, {@code tensors}.
 * Weights are always written with arrays (length 1 and axis -1 when per tensor); a reader also accepts plain numbers.
 *
 * <p>Both directions validate every entry with {@link TableValidator}: scale finite and > 0, min <= max (finite),
 * zero point within the scheme's storage range, per-channel arrays of equal length. Syntax errors are reported with
 * the file's line and column; semantic errors with the tensor's name.
 */
public final class QuantLensJsonFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private QuantLensJsonFormat() {
    }

    /** Writes {@code table} to {@code out} (atomically). */
    public static void write(CalibrationTable table, Path out) {
        TableValidator.validate(out.toString(), table);
        AtomicFiles.write(out, toJson(table).getBytes(StandardCharsets.UTF_8));
    }

    /** The table as pretty-printed JSON text (ends with a newline). */
    public static String toJson(CalibrationTable table) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", CalibrationTable.FORMAT);
        root.put("version", CalibrationTable.VERSION);
        root.putObject("model").put("file", table.model().file()).put("sha256", table.model().sha256());
        root.putObject("activations").put("scheme", table.activations().scheme()).put("bits", table.activations().bits());
        root.putObject("weights").put("scheme", table.weights().scheme()).put("bits", table.weights().bits())
                .put("per_channel", table.weights().perChannel());
        ObjectNode tensors = root.putObject("tensors");
        table.tensors().forEach((name, e) -> {
            ObjectNode t = tensors.putObject(name);
            if (e instanceof ActivationEntry a) {
                t.put("kind", "activation").put("method", a.method()).put("manual", a.manual())
                        .put("min", a.min()).put("max", a.max()).put("scale", a.scale()).put("zero_point", a.zeroPoint())
                        .put("observed_min", a.observedMin()).put("observed_max", a.observedMax());
            } else if (e instanceof WeightEntry w) {
                t.put("kind", "weight").put("axis", w.axis());
                ArrayNode s = t.putArray("scale");
                ArrayNode z = t.putArray("zero_point");
                ArrayNode lo = t.putArray("min");
                ArrayNode hi = t.putArray("max");
                for (int c = 0; c < w.scale().length; c++) {
                    s.add(w.scale()[c]);
                    z.add(w.zeroPoint()[c]);
                    lo.add(w.min()[c]);
                    hi.add(w.max()[c]);
                }
            }
        });
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and validates {@code in}; tensors the model lacks go to {@code unknownTensors} (no check when model is null). */
    public static ImportedTable read(Path in, Model model) {
        CalibrationTable all = parse(in.toString(), TextLines.readBytes(in));
        Set<String> known = ModelTensors.names(model);
        List<String> unknown = new ArrayList<>();
        Map<String, TensorEntry> kept = new LinkedHashMap<>();
        all.tensors().forEach((name, e) -> {
            if (model != null && !known.contains(name)) {
                unknown.add(name);
            } else {
                kept.put(name, e);
            }
        });
        return new ImportedTable(new CalibrationTable(all.model(), all.activations(), all.weights(), kept),
                unknown, List.of());
    }

    /** Parses and validates the JSON text in {@code bytes}; {@code source} names the file in messages. */
    static CalibrationTable parse(String source, byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new InvalidInputException(source + where + ": not valid JSON (" + e.getOriginalMessage().lines()
                    .findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw InvalidInputException.of(source, "cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw InvalidInputException.of(source, root == null || root.isMissingNode() ? "empty file" : "top level is not a JSON object");
        }
        JsonFields f = new JsonFields(source);
        String format = f.text(root, "format", null);
        if (!CalibrationTable.FORMAT.equals(format)) {
            throw InvalidInputException.of(source, "unknown format '" + format + "' (expected '" + CalibrationTable.FORMAT + "')");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || version.asLong() != CalibrationTable.VERSION) {
            throw InvalidInputException.of(source, "unsupported version " + version + " (this QuantLens reads version "
                    + CalibrationTable.VERSION + ")");
        }
        JsonNode m = root.path("model");
        ModelRef modelRef = new ModelRef(f.text(m, "file", ""), f.text(m, "sha256", ""));
        JsonNode act = f.object(root, "activations");
        ActivationSpec acts = new ActivationSpec(f.text(act, "scheme", null), f.integer(act, "bits", 8));
        JsonNode wt = f.object(root, "weights");
        WeightSpec weights = new WeightSpec(f.text(wt, "scheme", null), f.integer(wt, "bits", 8), f.bool(wt, "per_channel", true));
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        JsonNode ts = f.object(root, "tensors");
        for (var it = ts.fields(); it.hasNext(); ) {
            var field = it.next();
            tensors.put(field.getKey(), entry(f.at("tensors \"" + field.getKey() + "\""), field.getValue()));
        }
        CalibrationTable table = new CalibrationTable(modelRef, acts, weights, tensors);
        TableValidator.validate(source, table);
        return table;
    }

    private static TensorEntry entry(JsonFields f, JsonNode t) {
        if (!t.isObject()) {
            throw f.fail("is not an object");
        }
        String kind = f.text(t, "kind", null);
        if (kind.equals("activation")) {
            double min = f.number(t, "min");
            double max = f.number(t, "max");
            return new ActivationEntry(f.text(t, "method", ""), f.bool(t, "manual", false), min, max,
                    f.number(t, "scale"), f.integer(t, "zero_point", 0),
                    t.has("observed_min") ? f.number(t, "observed_min") : min,
                    t.has("observed_max") ? f.number(t, "observed_max") : max);
        }
        if (kind.equals("weight")) {
            double[] scale = f.numbers(t, "scale");
            double[] zp = f.numbers(t, "zero_point");
            int[] zeroPoint = new int[zp.length];
            for (int i = 0; i < zp.length; i++) {
                if (zp[i] != Math.rint(zp[i])) {
                    throw f.fail("zero_point[" + i + "] is not an integer (" + zp[i] + ")");
                }
                zeroPoint[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, zp[i]));
            }
            return new WeightEntry(f.integer(t, "axis", -1), scale, zeroPoint, f.numbers(t, "min"), f.numbers(t, "max"));
        }
        throw f.fail("unknown kind '" + kind + "' (expected activation or weight)");
    }
}
