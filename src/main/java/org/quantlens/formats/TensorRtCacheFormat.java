package org.quantlens.formats;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.ActivationSpec;
import org.quantlens.calib.CalibrationTable.ModelRef;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightSpec;
import org.quantlens.ir.Model;
import org.quantlens.tensor.InvalidInputException;

/**
 * TensorRT's calibration cache, as {@code IInt8Calibrator::writeCalibrationCache} receives it: a header line
 * {@code TRT-<version>-<algorithm>} (e.g. {@code TRT-8601-EntropyCalibration2} from TensorRT 8.6.1), then one line
 * per activation tensor {@code <name>: <hex>}, the big-endian IEEE-754 bits of the float32 scale, written with 8
 * lowercase hex digits. TensorRT's int8 is symmetric: scale = threshold/127 with threshold = max(|min|, |max|), and
 * the quantized range is (-threshold, threshold). Weights are not in the cache (TensorRT quantizes them itself).
 *
 * <p>Writing: the algorithm is {@code MinMaxCalibration} when every activation entry's method is "minmax", else
 * {@code EntropyCalibration2}; a tensor whose range is [0, 0] has no positive scale and is left out with a warning.
 * Reading: threshold = scale*127, entries become int8-symmetric with range (-t, t), scale t/127, zero point 0; the
 * method follows the header ({@code kl-tensorrt} for the entropy calibrators, {@code minmax}, or {@code imported}
 * for the legacy calibrator). One to eight hex digits are accepted, as are blank lines and a missing final newline.
 */
public final class TensorRtCacheFormat {
    /** The TensorRT version written into the header: 8601 is TensorRT 8.6.1 (major*1000 + minor*100 + patch). */
    public static final int TRT_VERSION = 8601;
    static final String ENTROPY = "EntropyCalibration2";
    static final String MINMAX = "MinMaxCalibration";

    private static final Pattern HEADER = Pattern.compile("TRT-(\\d{1,9})-([A-Za-z0-9]+)");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,8}");
    private static final Map<String, String> METHOD_OF_ALGORITHM = Map.of(
            ENTROPY, "kl-tensorrt", "EntropyCalibration", "kl-tensorrt", MINMAX, "minmax", "LegacyCalibration", "imported");

    private TensorRtCacheFormat() {
    }

    /** Writes the activation entries of {@code table} to {@code out} (atomically); returns warnings. */
    public static List<String> write(CalibrationTable table, Path out) {
        List<String> warnings = new ArrayList<>();
        AtomicFiles.write(out, toText(table, warnings).getBytes(StandardCharsets.UTF_8));
        return warnings;
    }

    static String toText(CalibrationTable table, List<String> warnings) {
        Map<String, ActivationEntry> acts = table.activationEntries();
        boolean minmax = !acts.isEmpty() && acts.values().stream().allMatch(a -> a.method().equals("minmax"));
        StringBuilder b = new StringBuilder("TRT-" + TRT_VERSION + "-" + (minmax ? MINMAX : ENTROPY) + "\n");
        acts.forEach((name, a) -> {
            if (name.contains("\n") || name.contains("\r")) {
                throw new InvalidInputException("tensor name " + TextLines.quote(name) + " has a line break; a TensorRT cache cannot hold it");
            }
            float scale = (float) (Math.max(Math.abs(a.min()), Math.abs(a.max())) / 127.0);
            if (!(scale > 0) || Float.isInfinite(scale)) {
                warnings.add(name + ": range [" + a.min() + ", " + a.max() + "] gives no positive float32 scale; left out");
                return;
            }
            b.append(name).append(": ").append(String.format(Locale.ROOT, "%08x", Float.floatToIntBits(scale))).append('\n');
        });
        if (!table.weightEntries().isEmpty()) {
            warnings.add("weights are not part of a TensorRT cache; " + table.weightEntries().size() + " weight entries not written");
        }
        return b.toString();
    }

    /** Reads a cache; tensors the model lacks go to {@code unknownTensors} (no check when model is null). */
    public static ImportedTable read(Path in, Model model) {
        TextLines text = TextLines.read(in);
        String header = text.line(1).trim();
        Matcher h = HEADER.matcher(header);
        if (!h.matches() || !METHOD_OF_ALGORITHM.containsKey(h.group(2))) {
            throw text.fail(1, "not a TensorRT calibration cache header " + TextLines.quote(header)
                    + " (expected TRT-<version>-" + ENTROPY + " or another calibrator name)");
        }
        String method = METHOD_OF_ALGORITHM.get(h.group(2));
        Set<String> known = ModelTensors.names(model);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 2; i <= text.count(); i++) {
            String line = text.line(i);
            if (line.isBlank()) {
                continue;
            }
            int colon = line.lastIndexOf(": ");
            if (colon <= 0) {
                throw text.fail(i, "expected '<tensor>: <hex scale>', got " + TextLines.quote(line));
            }
            String name = line.substring(0, colon);
            String hex = line.substring(colon + 2).trim();
            if (!HEX.matcher(hex).matches()) {
                throw text.fail(i, "bad hex " + TextLines.quote(hex));
            }
            float scale = Float.intBitsToFloat((int) Long.parseLong(hex, 16));
            if (!(scale > 0) || Float.isInfinite(scale)) {
                throw text.fail(i, "scale must be finite and > 0 (got " + scale + " from " + hex + ")");
            }
            Integer first = firstLine.putIfAbsent(name, i);
            if (first != null) {
                throw text.fail(i, "duplicate tensor " + TextLines.quote(name) + " (first on line " + first + ")");
            }
            double t = scale * 127.0;
            if (model != null && !known.contains(name)) {
                unknown.add(name);
            } else {
                entries.put(name, new ActivationEntry(method, false, -t, t, scale, 0, -t, t));
            }
        }
        CalibrationTable table = new CalibrationTable(new ModelRef("", ""),
                new ActivationSpec(QuantRule.INT8_SYMMETRIC, 8), new WeightSpec(QuantRule.INT8_SYMMETRIC, 8, true), entries);
        return new ImportedTable(table, unknown, List.of());
    }
}
