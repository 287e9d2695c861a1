package org.quantlens.calib;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One histogram per sample for the first N samples of a tensor (the app draws one curve per image). Every sample's
 * histogram starts as an {@link Histogram#emptyCopy()} of a template, so all curves share the template's lattice
 * (give the template a preset range, e.g. the calibration histogram's, to make the curves directly comparable).
 * Samples after the first N are ignored ({@link #accepts()} tells the caller when to stop slicing).
 */
public final class PerSampleHistograms {
    private final Histogram template;
    private final int limit;
    private final List<Histogram> samples = new ArrayList<>();

    /**
     * @param template histogram whose form, bins and lattice each sample's histogram copies (not modified)
     * @param limit    how many samples to keep (>= 0)
     */
    public PerSampleHistograms(Histogram template, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        this.template = template.emptyCopy();
        this.limit = limit;
    }

    /** True while fewer than N samples have been kept. */
    public boolean accepts() {
        return samples.size() < limit;
    }

    /** Adds one sample's values {@code data[offset .. offset+length)}; ignored once N samples are kept. */
    public void addSample(float[] data, int offset, int length) {
        if (!accepts()) {
            return;
        }
        Histogram h = template.emptyCopy();
        h.add(data, offset, length);
        samples.add(h);
    }

    /**
     * Adds a batch laid out sample after sample ({@code batch} samples of {@code data.length / batch} values each,
     * e.g. an NCHW activation); keeps as many as still fit.
     */
    public void addBatch(float[] data, int batch) {
        if (batch <= 0 || data.length % batch != 0) {
            throw new IllegalArgumentException("batch " + batch + " does not divide " + data.length + " values");
        }
        int per = data.length / batch;
        for (int s = 0; s < batch && accepts(); s++) {
            addSample(data, s * per, per);
        }
    }

    /** The kept per-sample histograms, in sample order (unmodifiable view). */
    public List<Histogram> samples() {
        return Collections.unmodifiableList(samples);
    }
}
