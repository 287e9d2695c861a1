package org.quantlens.ir;

/**
 * One element of a small integer tensor whose value is known while inferring shapes: a known number (which, unlike
 * a {@link Dim}, may be negative, e.g. the -1 of a Reshape target), a symbolic dimension carried from a
 * {@code Shape} node (e.g. the batch "N"), or unknown.
 */
record SymInt(long value, String param, boolean known) {

    static SymInt of(long v) {
        return new SymInt(v, null, true);
    }

    static SymInt unknown() {
        return new SymInt(0, null, false);
    }

    /** The element a {@code Shape} node yields for dimension {@code d}. */
    static SymInt fromDim(Dim d) {
        if (d.isKnown()) {
            return of(d.value());
        }
        return d.param() != null ? new SymInt(0, d.param(), false) : unknown();
    }

    /** This element used as a dimension size: negative known values become unknown. */
    Dim toDim() {
        if (known) {
            return value >= 0 ? Dim.of(value) : Dim.unknown();
        }
        return param != null ? Dim.symbolic(param) : Dim.unknown();
    }
}
