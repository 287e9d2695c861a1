package org.quantlens.formats;

import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.tensor.InvalidInputException;

/**
 * The checks every table passes before it is written or after it is read: known schemes with 2..16 bits; per entry
 * a finite scale > 0, finite min <= max, a zero point within the scheme's storage range (activations: the activation
 * scheme, weights: the weight scheme), and for weights non-empty arrays of one length, axis >= -1, and axis -1 only
 * with length 1.
 */
final class TableValidator {
    private TableValidator() {
    }

    static void validate(String source, CalibrationTable table) {
        QuantRule.checkScheme(source + ": activations", table.activations().scheme(), table.activations().bits());
        QuantRule.checkScheme(source + ": weights", table.weights().scheme(), table.weights().bits());
        table.tensors().forEach((name, e) -> {
            String where = source + ": tensors \"" + name + "\"";
            if (e instanceof ActivationEntry a) {
                checkOne(where, "", a.scale(), a.min(), a.max(), a.zeroPoint(),
                        table.activations().scheme(), table.activations().bits());
                if (!Double.isFinite(a.observedMin()) || !Double.isFinite(a.observedMax())) {
                    throw new InvalidInputException(where + ": observed range must be finite");
                }
            } else if (e instanceof WeightEntry w) {
                checkWeight(where, w, table.weights().scheme(), table.weights().bits());
            }
        });
    }

    private static void checkWeight(String where, WeightEntry w, String scheme, int bits) {
        int n = w.scale().length;
        if (n == 0 || w.zeroPoint().length != n || w.min().length != n || w.max().length != n) {
            throw new InvalidInputException(where + ": scale, zero_point, min and max must be non-empty arrays of one "
                    + "length (got " + n + ", " + w.zeroPoint().length + ", " + w.min().length + ", " + w.max().length + ")");
        }
        if (w.axis() < -1 || (w.axis() == -1 && n != 1)) {
            throw new InvalidInputException(where + ": axis " + w.axis() + " does not fit " + n + " channel(s)");
        }
        for (int c = 0; c < n; c++) {
            checkOne(where, n == 1 ? "" : "[" + c + "]", w.scale()[c], w.min()[c], w.max()[c], w.zeroPoint()[c], scheme, bits);
        }
    }

    private static void checkOne(String where, String idx, double scale, double min, double max, int zp,
                                 String scheme, int bits) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new InvalidInputException(where + ": scale" + idx + " must be finite and > 0 (got " + scale + ")");
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new InvalidInputException(where + ": need finite min" + idx + " <= max" + idx + " (got " + min + ", " + max + ")");
        }
        int lo = QuantRule.storageMin(scheme, bits);
        int hi = QuantRule.storageMax(scheme, bits);
        if (zp < lo || zp > hi) {
            throw new InvalidInputException(where + ": zero_point" + idx + " " + zp + " outside " + scheme + " "
                    + bits + "-bit range [" + lo + ", " + hi + "]");
        }
    }
}
