package org.quantlens.calib;

import java.util.Arrays;

/**
 * Builds one tensor's histogram exactly as ONNX Runtime's {@code HistogramCollector} (calibrate.py) does, so that
 * {@link org.quantlens.calib.search.KlOnnxRuntime} and {@link org.quantlens.calib.search.Percentile} reproduce ORT.
 *
 * <p>One {@link #collect} call corresponds to one ORT {@code collect()} call for this tensor. Note that ORT's
 * {@code collect_data} gathers <i>all</i> batches of a data reader first and calls {@code collect()} once with
 * them concatenated; to match it, pass all values in one call.
 *
 * <p><b>Signed</b> ({@code collect_value}: entropy, distribution, and percentile with symmetric=False): t = max(|min|,
 * |max|) of the call's values; the first call is {@code np.histogram(x, num_bins, range=(-t, t))}; later calls with
 * t <= old t bin into the old edges and add; a larger t grows the histogram by whole old bins on both sides:
 * stride = 2 t_old / bins, k = int((t - t_old) // stride + 1), bins += 2k, t = k*stride + t_old (float32), the old
 * counts land in the middle; if t_old == 0 the old counts are added index by index into the new histogram (ORT's
 * quirk). <b>Absolute</b> ({@code collect_absolute_value}: percentile with symmetric=True): the first call is
 * {@code np.histogram(|x|, num_bins)} over [min|x|, max|x|]; later calls extend the edges to the right with
 * {@code np.arange(last + w, max + w, w)} (float32, evaluated as last + i*w) and values below the first edge are
 * dropped (ORT's behaviour).
 *
 * <p>Edges are float32 {@code np.linspace} (step = (b - a) / bins, edge i = i*step + a, last = b); a value's bin
 * follows NumPy's linear index with its one-step correction against the edges. An empty range (all values equal)
 * is widened by 0.5 each side as NumPy does. NaN in the data makes ORT's np.histogram fail; here NaN and +-Inf are
 * skipped and counted by this collector ({@link #nanCount()}, ...). Min/max are the raw signed float extremes.
 * The float32 floor division of the growth step and np.arange's fill are emulated in float32; multi-call growth is
 * therefore faithful to ORT's rule but only the single-call case is checked against ORT's own files.
 */
public final class OrtHistogramCollector {
    private final boolean absolute;
    private final int numBins;
    private long[] hist;
    private float[] edges;
    private float threshold;
    private float min = Float.NaN;
    private float max = Float.NaN;
    private long nan;
    private long posInf;
    private long negInf;

    /**
     * @param absolute true for ORT's percentile calibrator with symmetric=True (histogram of |x|), false otherwise
     * @param numBins  ORT's num_bins
     */
    public OrtHistogramCollector(boolean absolute, int numBins) {
        if (numBins < 1) {
            throw new IllegalArgumentException("num_bins must be >= 1");
        }
        this.absolute = absolute;
        this.numBins = numBins;
    }

    /** One ORT collect() call with these values for this tensor. */
    public void collect(float[] values) {
        float[] x = finite(values);
        float cmin = 0f;
        float cmax = 0f;
        if (x.length > 0) {
            cmin = Float.POSITIVE_INFINITY;
            cmax = Float.NEGATIVE_INFINITY;
            for (float v : x) {
                cmin = Math.min(cmin, v);
                cmax = Math.max(cmax, v);
            }
        }
        if (absolute) {
            collectAbsolute(x);
        } else {
            collectSigned(x, Math.max(Math.abs(cmin), Math.abs(cmax)));
        }
        if (x.length > 0 || hist != null) {
            min = Float.isNaN(min) ? cmin : Math.min(min, cmin);
            max = Float.isNaN(max) ? cmax : Math.max(max, cmax);
        }
    }

    private float[] finite(float[] values) {
        int k = 0;
        float[] x = new float[values.length];
        for (float v : values) {
            if (v != v) {
                nan++;
            } else if (v == Float.POSITIVE_INFINITY) {
                posInf++;
            } else if (v == Float.NEGATIVE_INFINITY) {
                negInf++;
            } else {
                x[k++] = v;
            }
        }
        return k == x.length ? x : Arrays.copyOf(x, k);
    }

    private void collectSigned(float[] x, float t) {
        if (hist == null) {
            edges = uniformEdges(-t, t, numBins);
            hist = binUniform(x, edges);
            threshold = t;
        } else if (t <= threshold) {
            long[] add = binUniform(x, uniformEdges(-threshold, threshold, hist.length));
            for (int i = 0; i < hist.length; i++) {
                hist[i] += add[i];
            }
        } else if (threshold == 0f) {
            float[] e = uniformEdges(-t, t, hist.length);
            long[] h = binUniform(x, e);
            for (int i = 0; i < h.length; i++) {
                h[i] += hist[i];
            }
            hist = h;
            edges = e;
            threshold = t;
        } else {
            int oldBins = hist.length;
            float stride = 2 * threshold / oldBins;
            int half = (int) ((float) Math.floor((t - threshold) / stride) + 1);
            int newBins = oldBins + 2 * half;
            float newT = half * stride + threshold;
            float[] e = uniformEdges(-newT, newT, newBins);
            long[] h = binUniform(x, e);
            for (int i = 0; i < oldBins; i++) {
                h[half + i] += hist[i];
            }
            hist = h;
            edges = e;
            threshold = newT;
        }
    }

    private void collectAbsolute(float[] x) {
        float[] a = new float[x.length];
        float amin = Float.POSITIVE_INFINITY;
        float amax = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            a[i] = Math.abs(x[i]);
            amin = Math.min(amin, a[i]);
            amax = Math.max(amax, a[i]);
        }
        if (hist == null) {
            if (a.length == 0) {
                amin = 0f;
                amax = 1f; // np.histogram of an empty array uses the range [0, 1]
            }
            edges = uniformEdges(amin, amax, numBins);
            hist = binUniform(a, edges);
            return;
        }
        if (a.length > 0 && amax > edges[edges.length - 1]) {
            float width = edges[1] - edges[0];
            float start = edges[edges.length - 1] + width;
            float stop = amax + width;
            int extra = (int) Math.max(0, Math.ceil(((double) stop - start) / width));
            float[] e = Arrays.copyOf(edges, edges.length + extra);
            for (int i = 0; i < extra; i++) {
                e[edges.length + i] = start + i * width;
            }
            edges = e;
        }
        long[] h = binSorted(a, edges);
        for (int i = 0; i < hist.length; i++) {
            h[i] += hist[i];
        }
        hist = h;
    }

    /** np.histogram's float32 edges for an integer bin count over [lo, hi] (widened by 0.5 if empty). */
    private static float[] uniformEdges(float lo, float hi, int bins) {
        if (lo == hi) {
            lo = lo - 0.5f;
            hi = hi + 0.5f;
        }
        return NumpyCompat.linspaceFloat32(lo, hi, bins + 1);
    }

    private static long[] binUniform(float[] x, float[] e) {
        int bins = e.length - 1;
        long[] h = new long[bins];
        for (float v : x) {
            if (v >= e[0] && v <= e[bins]) {
                h[NumpyCompat.histogramBin(v, e, bins)]++;
            }
        }
        return h;
    }

    /** np.histogram with explicit edges: edges[i] <= x < edges[i+1], last bin closed, outside dropped. */
    private static long[] binSorted(float[] x, float[] e) {
        int bins = e.length - 1;
        long[] h = new long[bins];
        for (float v : x) {
            if (v < e[0] || v > e[bins]) {
                continue;
            }
            int lo = 0;
            int hi = bins;
            while (lo < hi) { // last i with e[i] <= v
                int mid = (lo + hi + 1) >>> 1;
                if (e[mid] <= v) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            h[Math.min(lo, bins - 1)]++;
        }
        return h;
    }

    /** The histogram so far, with ORT's float32 edges (empty SIGNED/ABSOLUTE histogram before any call). */
    public Histogram histogram() {
        if (hist == null) {
            return absolute ? Histogram.absolute(numBins) : Histogram.signed(Math.max(4, numBins - numBins % 4));
        }
        double[] e = new double[edges.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = edges[i];
        }
        Histogram.Form form = absolute ? Histogram.Form.ABSOLUTE : Histogram.Form.SIGNED;
        return Histogram.withEdges(form, hist, e, Float.isNaN(min) ? 0f : min, Float.isNaN(max) ? 0f : max);
    }

    /** ORT's stored threshold (half-range) of the signed histogram; 0 for the absolute form. */
    public float threshold() {
        return threshold;
    }

    public long nanCount() {
        return nan;
    }

    public long positiveInfinityCount() {
        return posInf;
    }

    public long negativeInfinityCount() {
        return negInf;
    }
}
