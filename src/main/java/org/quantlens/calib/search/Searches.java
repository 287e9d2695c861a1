package org.quantlens.calib.search;

import org.quantlens.calib.Histogram;

/** Small helpers shared by the range methods. */
final class Searches {
    private Searches() {
    }

    /** The observed [min, max] of a histogram, or [0, 0] when it saw no finite value. */
    static Range observedOrZero(Histogram h) {
        float min = h.min();
        float max = h.max();
        if (Float.isNaN(min) || Float.isNaN(max)) {
            return new Range(0, 0);
        }
        return new Range(min, max);
    }
}
