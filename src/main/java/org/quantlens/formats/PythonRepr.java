package org.quantlens.formats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's text for floats and strings, so files that ONNX Runtime's Python code writes can be reproduced byte for
 * byte: {@code repr(float)} (the shortest decimal that reads back as the same double, nearest when several are
 * equally short; positional for decimal exponents -4 < decpt <= 16, else {@code d.ddde±XX}; "0.0" style with a
 * trailing ".0" for integers) and {@code json.dumps} string literals (ensure_ascii: everything outside space..'~'
 * escaped, {@code \\uXXXX} with lowercase hex).
 */
final class PythonRepr {
    private PythonRepr() {
    }

    /** {@code repr(d)} as Python 3 prints it ({@code nan}, {@code inf}, {@code -inf} for the specials). */
    static String repr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(d)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int decpt = digits.length() - shortest.scale();
        String body = decpt > -4 && decpt <= 16 ? positional(digits, decpt) : scientific(digits, decpt);
        return d < 0 ? "-" + body : body;
    }

    /** The shortest decimal that parses back to {@code d} (positive, finite), nearest among equally short ones. */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p <= 17; p++) {
            BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == d) {
                return nearest;
            }
            // near a power of two the round-trip interval is lopsided: the other neighbour may read back when the
            // nearest does not
            for (RoundingMode m : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal other = exact.round(new MathContext(p, m));
                if (other.doubleValue() == d) {
                    return other;
                }
            }
        }
        return exact.round(MathContext.DECIMAL64);
    }

    private static String positional(String digits, int decpt) {
        if (decpt <= 0) {
            return "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt < digits.length()) {
            return digits.substring(0, decpt) + "." + digits.substring(decpt);
        }
        return digits + "0".repeat(decpt - digits.length()) + ".0";
    }

    private static String scientific(String digits, int decpt) {
        int exp = decpt - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.valueOf(Math.abs(exp));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    /** {@code json.dumps(s)} for a string with Python's default ensure_ascii=True. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        b.append(c);
                    } else {
                        b.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
