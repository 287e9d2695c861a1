package org.quantlens.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.tensor.AtomicFiles;

/**
 * Writes a {@link CalibrationTable} in the {@code quantlens-json} layout of CONTRACTS.md. A stop-gap until
 * {@code org.quantlens.formats} lands on main (then the formats writer replaces this class).
 *
 * <p>Beyond the contract's keys (readers ignore unknown keys): a top-level {@code "calibration"} object describing
 * the run (method, samples, batch size, bins, and for ema the averaging constant with a note that the result
 * depends on the batch size). Per-tensor weights are written with {@code "axis": -1} and one-element arrays,
 * mirroring {@link WeightEntry}.
 */
final class TableJson {
    private TableJson() {
    }

    static Map<String, Object> toJson(CalibrationTable t, Map<String, Object> calibration) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", CalibrationTable.FORMAT);
        doc.put("version", CalibrationTable.VERSION);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("file", t.model().file());
        model.put("sha256", t.model().sha256());
        doc.put("model", model);
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("scheme", t.activations().scheme());
        act.put("bits", t.activations().bits());
        doc.put("activations", act);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("scheme", t.weights().scheme());
        w.put("bits", t.weights().bits());
        w.put("per_channel", t.weights().perChannel());
        doc.put("weights", w);
        if (calibration != null && !calibration.isEmpty()) {
            doc.put("calibration", calibration);
        }
        Map<String, Object> tensors = new LinkedHashMap<>();
        t.tensors().forEach((name, e) -> tensors.put(name, e instanceof ActivationEntry a ? activation(a)
                : weight((WeightEntry) e)));
        doc.put("tensors", tensors);
        return doc;
    }

    private static Map<String, Object> activation(ActivationEntry a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "activation");
        m.put("method", a.method());
        m.put("manual", a.manual());
        m.put("min", a.min());
        m.put("max", a.max());
        m.put("scale", a.scale());
        m.put("zero_point", a.zeroPoint());
        m.put("observed_min", a.observedMin());
        m.put("observed_max", a.observedMax());
        return m;
    }

    private static Map<String, Object> weight(WeightEntry w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "weight");
        m.put("axis", w.axis());
        m.put("scale", w.scale());
        m.put("zero_point", w.zeroPoint());
        m.put("min", w.min());
        m.put("max", w.max());
        return m;
    }

    /** Writes the table atomically (the old file stays intact if anything fails). */
    static void write(CalibrationTable t, Map<String, Object> calibration, Path file) {
        String text = Json.toString(toJson(t, calibration)) + System.lineSeparator();
        AtomicFiles.write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
