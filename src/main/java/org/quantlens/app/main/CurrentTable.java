package org.quantlens.app.main;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.app.layers.ClipState;
import org.quantlens.app.layers.LayerBrowserViewModel;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTables;
import org.quantlens.calib.search.Range;
import org.quantlens.quant.QuantSpec;

/**
 * The calibration table the app holds, assembled from the last calibration's table and the layer browser's rows,
 * and the way back from a saved table to the rows. An activation whose range is still the calibrated one keeps the
 * calibration's entry unchanged (so an export equals what {@code calibrate} writes for the same settings); one that
 * was dragged, typed, adopted or searched gets a fresh entry by {@link CalibrationTables#entry} (ONNX Runtime's
 * widening, scale and zero point under the current activation grid), flagged manual when set by hand. Weight
 * entries come from the calibration (or, before any, from the weights alone).
 */
final class CurrentTable {
    private CurrentTable() {
    }

    /**
     * @param base   the last calibration's table, or the weights-only table of the model
     * @param layers the rows (clip ranges and the grid they are under)
     */
    static CalibrationTable of(CalibrationTable base, LayerBrowserViewModel layers) {
        QuantSpec spec = layers.specProperty().get();
        boolean sameGrid = base.activations().scheme().equals(spec.scheme().cliName())
                && base.activations().bits() == spec.bits();
        CalibrationTable t = sameGrid ? base : new CalibrationTable(base.model(),
                new CalibrationTable.ActivationSpec(spec.scheme().cliName(), spec.bits()), base.weights(),
                base.tensors());
        List<String> ignored = new ArrayList<>();
        for (TensorRow r : layers.rows()) {
            ClipState c = r.clip();
            if (r.kind() != TensorKind.ACTIVATION || c == null) {
                continue;
            }
            ActivationEntry calibrated = r.calibrated();
            if (sameGrid && calibrated != null && unchanged(calibrated, c)) {
                continue;
            }
            double obsMin = r.stats() != null && !Double.isNaN(r.stats().min()) ? r.stats().min() : c.lo();
            double obsMax = r.stats() != null && !Double.isNaN(r.stats().max()) ? r.stats().max() : c.hi();
            ActivationEntry e = CalibrationTables.entry(c.method(), new Range(c.lo(), c.hi()), obsMin, obsMax, spec,
                    r.name(), ignored);
            t = t.withTensor(r.name(), new ActivationEntry(e.method(), c.manual(), e.min(), e.max(), e.scale(),
                    e.zeroPoint(), e.observedMin(), e.observedMax()));
        }
        return t;
    }

    private static boolean unchanged(ActivationEntry calibrated, ClipState c) {
        return calibrated.method().equals(c.method()) && calibrated.min() == c.lo() && calibrated.max() == c.hi();
    }

    /**
     * Puts the saved table's activation ranges back on the rows where they differ from what the calibration chose
     * now (set by hand, adopted from another method, or no calibration yet); returns how many were restored.
     */
    static int restore(CalibrationTable saved, LayerBrowserViewModel layers) {
        int n = 0;
        for (var e : saved.activationEntries().entrySet()) {
            TensorRow row = layers.find(e.getKey());
            ActivationEntry a = e.getValue();
            if (row == null || row.kind() != TensorKind.ACTIVATION || !(a.min() <= a.max())) {
                continue;
            }
            ActivationEntry now = row.calibrated();
            boolean same = now != null && !a.manual() && now.method().equals(a.method()) && now.min() == a.min()
                    && now.max() == a.max();
            if (!same) {
                layers.setClip(row, a.min(), a.max(), a.manual() ? ClipState.MANUAL : a.method());
                n++;
            }
        }
        return n;
    }
}
