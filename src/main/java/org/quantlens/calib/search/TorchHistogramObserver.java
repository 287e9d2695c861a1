package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code torch.ao.quantization.HistogramObserver} (2.x): builds its float32 histogram batch by batch the
 * way the observer does, so the lead can feed the real activations and compare with torch_observers.json.
 *
 * <p>Per batch: NaN elements are dropped (PyTorch would propagate them; documented deviation), +-Inf elements are
 * dropped with a warning (as PyTorch does). The first batch: min_val/max_val = batch min/max and
 * histogram = histc(x, bins, min, max). Later batches: new range = [min(min_val, bmin), max(max_val, bmax)],
 * update = histc(x, bins, new range); same range: add; otherwise the old histogram is <i>upsampled</i>: each old bin
 * is split into {@code upsampleRate} (128) equal sub-bins carrying count/rate each, every sub-bin's midpoint
 * (old linspace + half a sub-bin) is bucketed into the new range's linspace edges (right-closed bucketize - 1,
 * clamped to [0, bins-1]) and the weights are added to the update. If the old range was a single point, PyTorch puts
 * sum(update) (sic, not the old count) into the bin of that point; reproduced.
 *
 * <p>histc: if min == max the range becomes [min-1, max+1]; bin = (long)((x - lo) * bins / (hi - lo)) in float32,
 * x == hi goes to the last bin, values outside are ignored. linspace is float32 with PyTorch's symmetric rule
 * (first half start + i*step, second half end - (n-1-i)*step).
 *
 * <p>{@link #search(int)} is {@code _non_linear_param_search} (see {@link Mse}).
 */
public final class TorchHistogramObserver {
    private final int bins;
    private final int upsampleRate;
    private float[] histogram;
    private float minVal = Float.POSITIVE_INFINITY;
    private float maxVal = Float.NEGATIVE_INFINITY;
    private final List<String> warnings = new ArrayList<>();

    /** PyTorch's defaults: 2048 bins, upsample rate 128. */
    public TorchHistogramObserver() {
        this(2048, 128);
    }

    public TorchHistogramObserver(int bins, int upsampleRate) {
        if (bins < 1 || upsampleRate < 1) {
            throw new IllegalArgumentException("bins and upsample rate must be >= 1");
        }
        this.bins = bins;
        this.upsampleRate = upsampleRate;
        this.histogram = new float[bins];
    }

    /** Observes every batch in order, as a calibration loop calling the observer once per batch would. */
    public void observeAll(Iterable<float[]> batches) {
        for (float[] b : batches) {
            observe(b);
        }
    }

    /** Observes one batch (PyTorch's forward). */
    public void observe(float[] batch) {
        float[] x = finiteOnly(batch);
        if (x.length == 0) {
            return;
        }
        float bmin = Float.POSITIVE_INFINITY;
        float bmax = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            bmin = Math.min(bmin, v);
            bmax = Math.max(bmax, v);
        }
        if (minVal == Float.POSITIVE_INFINITY || maxVal == Float.NEGATIVE_INFINITY) {
            minVal = bmin;
            maxVal = bmax;
            histogram = histc(x, bins, bmin, bmax);
            return;
        }
        float newMin = Math.min(minVal, bmin);
        float newMax = Math.max(maxVal, bmax);
        float[] update = histc(x, bins, newMin, newMax);
        if (newMin == minVal && newMax == maxVal) {
            for (int i = 0; i < bins; i++) {
                histogram[i] += update[i];
            }
        } else if (minVal == maxVal) {
            float binValue = 0;
            for (float u : update) {
                binValue += u;
            }
            float[] point = histc(new float[] {minVal}, bins, newMin, newMax);
            for (int i = 0; i < bins; i++) {
                histogram[i] = point[i] * binValue + update[i];
            }
        } else {
            float[] up = upscale(histogram, minVal, maxVal, newMin, newMax);
            for (int i = 0; i < bins; i++) {
                histogram[i] = update[i] + up[i];
            }
        }
        minVal = newMin;
        maxVal = newMax;
    }

    private float[] finiteOnly(float[] batch) {
        int finite = 0;
        boolean inf = false;
        for (float v : batch) {
            if (v - v == 0) {
                finite++;
            } else {
                inf |= !Float.isNaN(v);
            }
        }
        if (inf) {
            warnings.add("inf detected in input tensor, ignoring those elements (as PyTorch does)");
        }
        if (finite == batch.length) {
            return batch;
        }
        float[] x = new float[finite];
        int k = 0;
        for (float v : batch) {
            if (v - v == 0) {
                x[k++] = v;
            }
        }
        return x;
    }

    private float[] upscale(float[] hist, float origMin, float origMax, float updMin, float updMax) {
        int fine = bins * upsampleRate;
        float binSize = (origMax - origMin) / fine;
        float[] mids = linspace(origMin, origMax, fine + 1);
        float[] edges = linspace(updMin, updMax, bins + 1);
        float[] out = new float[bins];
        for (int j = 0; j < fine; j++) {
            float mid = mids[j] + 0.5f * binSize;
            int b = bucketizeRight(edges, mid) - 1;
            b = Math.max(0, Math.min(bins - 1, b));
            out[b] += hist[j / upsampleRate] / upsampleRate;
        }
        return out;
    }

    /** torch.bucketize(v, edges, right=True): number of edges <= v. */
    private static int bucketizeRight(float[] edges, float v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** torch.linspace in float32 (CPU kernel's symmetric evaluation). */
    static float[] linspace(float start, float end, int steps) {
        float[] y = new float[steps];
        if (steps == 1) {
            y[0] = start;
            return y;
        }
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            y[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        }
        return y;
    }

    /** torch.histc(x, bins, lo, hi) on float32 data. */
    static float[] histc(float[] x, int bins, double lo, double hi) {
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        float[] edges = linspace((float) lo, (float) hi, bins + 1);
        float left = edges[0];
        float right = edges[bins];
        float[] h = new float[bins];
        for (float v : x) {
            if (v >= left && v <= right) {
                long pos = (long) ((v - left) * (float) bins / (right - left));
                if (pos == bins) {
                    pos--;
                }
                h[(int) pos] += 1f;
            }
        }
        return h;
    }

    public float minVal() {
        return minVal;
    }

    public float maxVal() {
        return maxVal;
    }

    /** A copy of the float32 histogram over [minVal, maxVal]. */
    public float[] histogram() {
        return histogram.clone();
    }

    public int bins() {
        return bins;
    }

    /** Notes gathered while observing (dropped infinities). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** PyTorch's L2 search for a {@code bits}-bit destination (dst_nbins = 2^bits); see {@link Mse}. */
    public SearchResult search(int bits) {
        if (minVal > maxVal) {
            List<String> w = new ArrayList<>(warnings);
            w.add("no batch observed: range [0, 0]");
            return SearchResult.of(new Range(0, 0), w);
        }
        return Mse.search(histogram, minVal, maxVal, 1 << bits, warnings);
    }
}
