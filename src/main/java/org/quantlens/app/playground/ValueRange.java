package org.quantlens.app.playground;

/** The observed range of a value array: min and max, both 0 for an empty array (nothing to draw). */
final class ValueRange {
    private ValueRange() {
    }

    static double min(float[] v) {
        double m = v.length == 0 ? 0 : Double.POSITIVE_INFINITY;
        for (float f : v) {
            m = Math.min(m, f);
        }
        return m;
    }

    static double max(float[] v) {
        double m = v.length == 0 ? 0 : Double.NEGATIVE_INFINITY;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }
}
