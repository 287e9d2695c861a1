package org.quantlens.app.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.CalibrationStatistics;
import org.quantlens.calib.Histogram;

/**
 * The data of the activation figure (as in Migacz, "8-bit Inference with TensorRT", GTC 2017): for each
 * activation, one curve per calibration sample, each the fraction of that sample's values per bin, drawn on a
 * log y axis. The per-sample histograms ({@code CalibrationRun.Options.withPerSample}) may sit on different
 * lattices; each is moved onto a common grid of {@link #BINS} bins over [min, max] of all its samples, every source
 * bin whole into the display bin holding its centre, so the curves compare bin by bin.
 *
 * @param byTensor per activation name (in production order) its per-sample curves; activations without per-sample
 *                 histograms (first axis not the batch) are absent
 */
public record SampleCurves(Map<String, List<Curve>> byTensor) {
    /** Bins of the drawn curves. */
    public static final int BINS = 128;

    public SampleCurves {
        byTensor = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTensor));
    }

    /** The curves of every activation of {@code stats} that kept per-sample histograms. */
    public static SampleCurves of(CalibrationStatistics stats) {
        Map<String, List<Curve>> out = new LinkedHashMap<>();
        for (ActivationStatistics a : stats.activations().values()) {
            List<Histogram> samples = a.perSampleHistograms();
            if (!samples.isEmpty()) {
                out.put(a.name(), curves(samples));
            }
        }
        return new SampleCurves(out);
    }

    /** One curve per histogram on a common grid over all of them. */
    static List<Curve> curves(List<Histogram> samples) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Histogram h : samples) {
            if (!h.isEmpty()) {
                lo = Math.min(lo, h.edge(0));
                hi = Math.max(hi, h.edge(h.bins()));
            }
        }
        List<Curve> curves = new ArrayList<>();
        if (!(lo <= hi)) {
            return curves;
        }
        for (int s = 0; s < samples.size(); s++) {
            Histogram h = samples.get(s);
            DisplayGrid grid = new DisplayGrid(lo, hi, BINS);
            for (int i = 0; i < h.bins(); i++) {
                long c = h.count(i);
                if (c > 0) {
                    grid.add(0.5 * (h.edge(i) + h.edge(i + 1)), c);
                }
            }
            curves.add(grid.fractions("sample " + (s + 1)));
        }
        return curves;
    }
}
