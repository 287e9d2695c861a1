package org.quantlens.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic on {@link Dim}s where a size may be known, symbolic ("N") or unknown. The rules follow ONNX shape
 * inference: a symbolic size only survives operations that provably keep it (copy, broadcast against 1, a product
 * whose other factors are all 1); anything else turns it unknown rather than guessing.
 */
final class DimMath {
    private DimMath() {
    }

    /** Same size for sure: both known and equal, or the same symbol. */
    static boolean sameDim(Dim a, Dim b) {
        if (a.isKnown() || b.isKnown()) {
            return a.isKnown() && b.isKnown() && a.value() == b.value();
        }
        return a.param() != null && a.param().equals(b.param());
    }

    /** Both known and different: a proven mismatch. */
    static boolean conflict(Dim a, Dim b) {
        return a.isKnown() && b.isKnown() && a.value() != b.value();
    }

    /**
     * Two dims that must be equal (Concat's non-axis dims, MatMul's K): the more informative one (known, then
     * symbolic, then unknown); null when they are known and differ.
     */
    static Dim unify(Dim a, Dim b) {
        if (conflict(a, b)) {
            return null;
        }
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown()) {
            return b;
        }
        return a.param() != null ? a : b;
    }

    /**
     * Multidirectional (numpy) broadcast of two dims: 1 yields the other; equal yields itself; a known size other
     * than 1 wins over a symbolic or unknown one (the other must be 1 or equal to it, as ONNX infers); two
     * different symbols, or unknown against 1 or a symbol, stay unknown. Null when both are known, differ and
     * neither is 1.
     */
    static Dim broadcast(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            if (a.value() == b.value() || b.value() == 1) {
                return a;
            }
            return a.value() == 1 ? b : null;
        }
        if (a.isKnown()) {
            return a.value() == 1 ? b : a;
        }
        if (b.isKnown()) {
            return b.value() == 1 ? a : b;
        }
        return sameDim(a, b) ? a : Dim.unknown();
    }

    /** Broadcast of two shapes, right-aligned; null for unknown rank; throws via {@code ctx} on a mismatch. */
    static List<Dim> broadcast(InferenceContext ctx, List<Dim> a, List<Dim> b) {
        if (a == null || b == null) {
            return null;
        }
        int rank = Math.max(a.size(), b.size());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.size());
            int ib = i - (rank - b.size());
            Dim da = ia >= 0 ? a.get(ia) : Dim.of(1);
            Dim db = ib >= 0 ? b.get(ib) : Dim.of(1);
            Dim r = broadcast(da, db);
            if (r == null) {
                throw ctx.fail("cannot broadcast " + text(a) + " with " + text(b));
            }
            out.add(r);
        }
        return out;
    }

    /**
     * The product of dims: known when all are; the one symbolic or unknown dim when every other factor is known
     * and multiplies to 1; unknown otherwise.
     */
    static Dim product(List<Dim> dims) {
        long known = 1;
        Dim open = null;
        int openCount = 0;
        for (Dim d : dims) {
            if (d.isKnown()) {
                known = Math.multiplyExact(known, d.value());
            } else {
                open = d;
                openCount++;
            }
        }
        if (openCount == 0) {
            return Dim.of(known);
        }
        return openCount == 1 && known == 1 ? open : Dim.unknown();
    }

    /** ceil(a / b) for b > 0 and any sign of a. */
    static long ceilDiv(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }

    /** "[N,3,?]" for messages. */
    static String text(List<Dim> dims) {
        if (dims == null) {
            return "[?rank]";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            b.append(i > 0 ? "," : "").append(dims.get(i));
        }
        return b.append(']').toString();
    }

    /** {@code n} unknown dims. */
    static List<Dim> unknowns(int n) {
        List<Dim> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            r.add(Dim.unknown());
        }
        return r;
    }

    /** Known dims from sizes. */
    static List<Dim> known(long... sizes) {
        List<Dim> r = new ArrayList<>(sizes.length);
        for (long s : sizes) {
            r.add(Dim.of(s));
        }
        return r;
    }
}
