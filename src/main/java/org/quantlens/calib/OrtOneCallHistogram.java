package org.quantlens.calib;

import java.util.Arrays;

/**
 * The histogram ONNX Runtime's {@code HistogramCollector} builds when, as its calibrators do, it is handed every
 * batch at once in a single {@code collect()} call, rebuilt here without keeping the activations: the first
 * calibration pass finds the global statistics that fix the edges, the second bins each batch into them. Binning
 * is element-wise once the edges are known, so the counts equal ORT's one-call {@code np.histogram} exactly.
 *
 * <p><b>Signed</b> ({@code collect_value}; entropy, and percentile with symmetric=False): t = max(|min|, |max|) over
 * all finite values (float32), edges = float32 {@code np.linspace(-t, t, bins + 1)}. <b>Absolute</b>
 * ({@code collect_absolute_value}; percentile with symmetric=True): edges = float32
 * {@code np.linspace(min|x|, max|x|, bins + 1)}. An empty range (t = 0, or all |x| equal) is widened by 0.5 on each
 * side as NumPy does; no finite value at all gives NumPy's [0, 1]. A value's bin follows NumPy
 * ({@link NumpyCompat#histogramBin}); NaN and +-Inf are skipped (ORT's np.histogram would fail on them).
 */
final class OrtOneCallHistogram {
    private final boolean absolute;
    private final float[] edges;
    private final long[] counts;

    /**
     * @param absolute bin |x| (ORT's symmetric percentile) instead of x
     * @param bins     ORT's num_bins
     * @param lo       -t (signed) or min|x| (absolute), from the first pass; NaN when no finite value was seen
     * @param hi       t (signed) or max|x| (absolute)
     */
    OrtOneCallHistogram(boolean absolute, int bins, float lo, float hi) {
        this.absolute = absolute;
        if (Float.isNaN(lo) || Float.isNaN(hi)) {
            lo = 0f;
            hi = 1f;
        } else if (lo == hi) {
            lo -= 0.5f;
            hi += 0.5f;
        }
        this.edges = NumpyCompat.linspaceFloat32(lo, hi, bins + 1);
        this.counts = new long[bins];
    }

    /** Bins the finite values of one batch. */
    void add(float[] data) {
        int bins = counts.length;
        float first = edges[0];
        float last = edges[bins];
        for (float v : data) {
            float x = absolute ? Math.abs(v) : v;
            if (x >= first && x <= last) { // false for NaN; +-Inf lie outside any finite range
                counts[NumpyCompat.histogramBin(x, edges, bins)]++;
            }
        }
    }

    /** The counts with their float32 edges as a {@link Histogram}, carrying the observed min/max of x. */
    Histogram toHistogram(float min, float max) {
        double[] e = new double[edges.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = edges[i];
        }
        Histogram.Form form = absolute ? Histogram.Form.ABSOLUTE : Histogram.Form.SIGNED;
        return Histogram.withEdges(form, Arrays.copyOf(counts, counts.length), e,
                Float.isNaN(min) ? 0f : min, Float.isNaN(max) ? 0f : max);
    }
}
