package org.quantlens.ir;

/**
 * One dimension of a declared tensor type: a known size ({@code value >= 0}), a symbolic name ({@code param},
 * e.g. "batch"), or unknown (value -1, param null; also how a literal -1 in a file is kept).
 */
public record Dim(long value, String param) {
    public static Dim of(long v) {
        return new Dim(v, null);
    }

    public static Dim symbolic(String p) {
        return new Dim(-1, p);
    }

    public static Dim unknown() {
        return new Dim(-1, null);
    }

    public boolean isKnown() {
        return value >= 0;
    }

    @Override
    public String toString() {
        return isKnown() ? Long.toString(value) : param != null ? param : "?";
    }
}
