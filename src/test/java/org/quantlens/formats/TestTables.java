package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.ActivationSpec;
import org.quantlens.calib.CalibrationTable.ModelRef;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.calib.CalibrationTable.WeightSpec;

/** Small tables built by hand for the format tests. */
final class TestTables {
    private TestTables() {
    }

    static ActivationEntry act(String method, double min, double max, double scale, int zp) {
        return new ActivationEntry(method, false, min, max, scale, zp, min, max);
    }

    /** An int8-symmetric activation entry with threshold t (scale t/127). */
    static ActivationEntry sym(String method, double t) {
        return act(method, -t, t, t / 127, 0);
    }

    static CalibrationTable table(String actScheme, Map<String, TensorEntry> entries) {
        return new CalibrationTable(new ModelRef("model.onnx", "ab12"), new ActivationSpec(actScheme, 8),
                new WeightSpec("int8-symmetric", 8, true), entries);
    }

    /** The table of the TensorRT golden file: ranges whose thresholds are 2.54, 6.35 and 127, plus a weight. */
    static CalibrationTable trtGoldenTable() {
        Map<String, TensorEntry> m = new LinkedHashMap<>();
        m.put("input", act("kl-tensorrt", -1.0, 2.54, 2.54 / 127, 0));
        m.put("conv1/out:0", act("kl-tensorrt", 0.0, 6.35, 6.35 / 127, 0));
        m.put("relu", act("kl-tensorrt", -127.0, 3.0, 1.0, 0));
        m.put("conv1.weight", new WeightEntry(0, new double[] {0.01, 0.02}, new int[2],
                new double[] {-1.27, -2.54}, new double[] {1.27, 2.54}));
        return table("int8-symmetric", m);
    }

    /** Asserts that every activation of {@code expected} reads back with the same symmetric threshold (float32 precision). */
    static void assertSameThresholds(CalibrationTable expected, CalibrationTable actual) {
        expected.activationEntries().forEach((name, e) -> {
            ActivationEntry a = actual.activationEntries().get(name);
            assertTrue(a != null, "missing " + name);
            double t = Math.max(Math.abs(e.min()), Math.abs(e.max()));
            assertEquals(t, a.max(), t * 2e-7, name + " max");
            assertEquals(-t, a.min(), t * 2e-7, name + " min");
        });
    }

    /** Asserts that every activation of {@code expected} reads back with the same [min, max] (float32 precision). */
    static void assertSameRanges(CalibrationTable expected, CalibrationTable actual) {
        assertEquals(expected.activationEntries().keySet(), actual.activationEntries().keySet());
        expected.activationEntries().forEach((name, e) -> {
            ActivationEntry a = actual.activationEntries().get(name);
            double tol = Math.max(Math.abs(e.min()), Math.abs(e.max())) * 2e-7;
            assertEquals(e.min(), a.min(), tol, name + " min");
            assertEquals(e.max(), a.max(), tol, name + " max");
        });
    }
}
