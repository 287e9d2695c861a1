package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code MovingAverageMinMaxObserver}: the first batch sets min/max to the batch's min/max; every later
 * batch moves them by min += c * (batch_min - min), max += c * (batch_max - max) with averaging constant c
 * (default 0.01). The result therefore depends on how the data is cut into batches. PyTorch keeps min/max as
 * float32 tensors; this class rounds each update to float32 the same way (c*(b - m) and the sum are float32
 * operations). Batches with no finite value are skipped (PyTorch would propagate NaN); NaN/Inf elements are
 * ignored. Not ONNX Runtime's moving average, which averages per-batch min/max with np.mean at the end.
 */
public final class MovingAverageMinMax {
    /** PyTorch's default averaging constant. */
    public static final double DEFAULT_AVERAGING_CONSTANT = 0.01;

    private final float c;
    private float min = Float.NaN;
    private float max = Float.NaN;
    private long batches;

    public MovingAverageMinMax(double averagingConstant) {
        if (!(averagingConstant >= 0 && averagingConstant <= 1)) {
            throw new IllegalArgumentException("averaging constant must be in [0, 1], got " + averagingConstant);
        }
        this.c = (float) averagingConstant;
    }

    public MovingAverageMinMax() {
        this(DEFAULT_AVERAGING_CONSTANT);
    }

    /** Feeds one batch. */
    public void update(float[] batch) {
        update(batch, 0, batch.length);
    }

    /** Feeds {@code batch[offset .. offset+length)} as one batch. */
    public void update(float[] batch, int offset, int length) {
        float bmin = Float.POSITIVE_INFINITY;
        float bmax = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + length; i++) {
            float v = batch[i];
            if (v - v == 0) {
                bmin = Math.min(bmin, v);
                bmax = Math.max(bmax, v);
            }
        }
        if (bmin > bmax) {
            return;
        }
        update(bmin, bmax);
    }

    /** Feeds one batch given by its min and max. */
    public void update(float batchMin, float batchMax) {
        if (batches == 0) {
            min = batchMin;
            max = batchMax;
        } else {
            min = min + c * (batchMin - min);
            max = max + c * (batchMax - max);
        }
        batches++;
    }

    /** Number of batches that moved the statistics. */
    public long batches() {
        return batches;
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    /** The range (symmetric: (-t, t), t = max(|min|, |max|)); [0, 0] with a warning before any batch. */
    public SearchResult result(boolean symmetric) {
        if (batches == 0) {
            List<String> w = new ArrayList<>();
            w.add("no batch observed: range [0, 0]");
            return SearchResult.of(new Range(0, 0), w);
        }
        return MinMax.of(min, max, symmetric);
    }
}
