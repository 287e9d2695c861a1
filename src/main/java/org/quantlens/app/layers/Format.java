package org.quantlens.app.layers;

import java.util.Locale;

/** Number formatting shared by the app's tables and panels: short, locale-independent. */
public final class Format {
    private Format() {
    }

    /** Four significant digits, scientific notation outside [1e-3, 1e5). */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** A fraction as a percentage with three significant digits, e.g. "0.0123%". */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.3g%%", fraction * 100);
    }

    /** Decibels with one decimal. */
    public static String decibels(double db) {
        return String.format(Locale.ROOT, "%.1f dB", db);
    }
}
