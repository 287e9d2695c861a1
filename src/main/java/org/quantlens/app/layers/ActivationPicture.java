package org.quantlens.app.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.app.histogram.TensorHistogram;
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.metrics.HistogramErrorModel;

/**
 * What the layer table shows of one calibrated activation and computes its metrics from: the picture of its
 * histogram and that histogram's error model (null for an empty histogram). Built off the FX thread, where a
 * calibration's worth of them is real work (O(bins) each), and handed to
 * {@link LayerBrowserViewModel#applyCalibration}.
 */
public record ActivationPicture(TensorHistogram histogram, HistogramErrorModel errorModel) {
    /** The picture of {@code a}'s histogram and its error model. */
    public static ActivationPicture of(ActivationStatistics a) {
        TensorHistogram h = TensorHistogram.of(a.histogram());
        return new ActivationPicture(h, h.total() > 0 ? h.errorModel() : null);
    }

    /** {@link #of} for every activation, by name, in the map's order. */
    public static Map<String, ActivationPicture> ofAll(Map<String, ActivationStatistics> activations) {
        Map<String, ActivationPicture> out = new LinkedHashMap<>();
        activations.forEach((name, a) -> out.put(name, of(a)));
        return out;
    }
}
