package org.quantlens.calib;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical calibration result (CONTRACTS.md, "Calibration table"): per tensor the clip range actually used and
 * the quantization parameters that follow from it under the table's schemes. Immutable; the app and the formats
 * build new tables with {@link #withTensor}.
 *
 * @param model       the model file the table was made for and its SHA-256 (hex), either may be "" when unknown
 * @param activations the activation scheme (CLI name, e.g. "uint8-asymmetric") and bit width
 * @param weights     the weight scheme, bit width and whether weights are per channel
 * @param tensors     entries by tensor name, in a stable (insertion) order
 */
public record CalibrationTable(ModelRef model, ActivationSpec activations, WeightSpec weights,
                               Map<String, TensorEntry> tensors) {

    public static final String FORMAT = "quantlens-calibration";
    public static final int VERSION = 1;

    public CalibrationTable {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** A copy with {@code name}'s entry replaced (or added at the end). */
    public CalibrationTable withTensor(String name, TensorEntry entry) {
        Map<String, TensorEntry> m = new LinkedHashMap<>(tensors);
        m.put(name, entry);
        return new CalibrationTable(model, activations, weights, m);
    }

    /** The activation entries only, in order. */
    public Map<String, ActivationEntry> activationEntries() {
        Map<String, ActivationEntry> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (v instanceof ActivationEntry a) {
                m.put(k, a);
            }
        });
        return m;
    }

    /** The weight entries only, in order. */
    public Map<String, WeightEntry> weightEntries() {
        Map<String, WeightEntry> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (v instanceof WeightEntry w) {
                m.put(k, w);
            }
        });
        return m;
    }

    public record ModelRef(String file, String sha256) {
        public ModelRef {
            file = file == null ? "" : file;
            sha256 = sha256 == null ? "" : sha256;
        }
    }

    public record ActivationSpec(String scheme, int bits) {
    }

    public record WeightSpec(String scheme, int bits, boolean perChannel) {
    }

    /** One tensor's calibration: an activation (one range) or a weight (one range per channel or one overall). */
    public sealed interface TensorEntry permits ActivationEntry, WeightEntry {
    }

    /**
     * An activation's clip range [min, max] (after widening to include 0 where the scheme needs it), the scale and
     * zero point that follow, the method that chose it, whether a person set it by hand, and the observed range.
     */
    public record ActivationEntry(String method, boolean manual, double min, double max, double scale, int zeroPoint,
                                  double observedMin, double observedMax) implements TensorEntry {
    }

    /**
     * A weight's per-channel (along {@code axis}) or per-tensor (arrays of length 1, axis -1) parameters.
     * Arrays are not copied; treat them as read-only.
     */
    public record WeightEntry(int axis, double[] scale, int[] zeroPoint, double[] min, double[] max)
            implements TensorEntry {
        public boolean perChannel() {
            return axis >= 0;
        }
    }
}
