package org.quantlens.calib.search;

/**
 * A clipping range [lo, hi] chosen by a range method; lo <= hi, both finite.
 *
 * @param lo lower clip value
 * @param hi upper clip value
 */
public record Range(double lo, double hi) {
    public Range {
        if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("a range needs finite lo <= hi, got [" + lo + ", " + hi + "]");
        }
    }

    /** The symmetric range [-t, t] for t = max(|lo|, |hi|). */
    public Range symmetric() {
        double t = Math.max(Math.abs(lo), Math.abs(hi));
        return new Range(-t, t);
    }

    /** hi - lo. */
    public double width() {
        return hi - lo;
    }
}
