package org.quantlens.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quantlens.tensor.Shape;

/**
 * Output shapes of the operators that move or regroup elements without computing on them (ONNX Concat, Flatten,
 * Reshape, Transpose, Squeeze, Unsqueeze, Pad) and of ReduceMean. Axes, target shapes, pads, scales
 * and sizes are read from attributes or from constant inputs depending on the opset; when such an input is not
 * constant the output dims (or rank) are unknown.
 */
final class LayoutShapes {
    private LayoutShapes() {
    }

    /** Concat: non-axis dims must agree; the axis dim is the sum when all are known. */
    static void concat(InferenceContext c) {
        Node n = c.node();
        if (!n.has("axis")) {
            throw c.fail("attribute axis is required");
        }
        List<Dim> out = null;
        long axisSum = 0;
        boolean axisKnown = true;
        int axis = 0;
        for (int i = 0; i < n.inputs().size(); i++) {
            List<Dim> d = c.inputDims(i);
            if (d == null) {
                axisKnown = false;
                continue;
            }
            if (out == null) {
                axis = normalize(c, n.attrInt("axis", 0), d.size());
                out = new ArrayList<>(d);
            } else if (d.size() != out.size()) {
                throw c.fail("inputs differ in rank: " + DimMath.text(out) + " and " + DimMath.text(d));
            }
            for (int k = 0; k < d.size(); k++) {
                if (k != axis) {
                    Dim u = DimMath.unify(out.get(k), d.get(k));
                    if (u == null) {
                        throw c.fail("input " + i + " " + DimMath.text(d) + " differs from " + DimMath.text(out)
                                + " outside axis " + axis);
                    }
                    out.set(k, u);
                }
            }
            axisKnown &= d.get(axis).isKnown();
            axisSum += d.get(axis).isKnown() ? d.get(axis).value() : 0;
        }
        if (out != null) {
            out.set(axis, axisKnown ? Dim.of(axisSum) : n.inputs().size() == 1 ? out.get(axis) : Dim.unknown());
        }
        c.output(0, c.inputType(0), out);
        List<SymInt> joined = new ArrayList<>();
        for (String in : n.inputs()) {
            List<SymInt> v = c.intValue(in);
            if (v == null) {
                return;
            }
            joined.addAll(v);
        }
        c.outputIntValue(0, joined);
    }

    /** Flatten: {@code [prod(d[0..axis)), prod(d[axis..))]}, axis in [-r, r]. */
    static void flatten(InferenceContext c) {
        List<Dim> x = c.inputDims(0);
        if (x == null) {
            c.output(0, c.inputType(0), DimMath.unknowns(2));
            return;
        }
        long a = c.node().attrInt("axis", 1);
        long axis = a < 0 ? a + x.size() : a;
        if (axis < 0 || axis > x.size()) {
            throw c.fail("axis " + a + " out of range for rank " + x.size());
        }
        int k = (int) axis;
        c.output(0, c.inputType(0), List.of(DimMath.product(x.subList(0, k)),
                DimMath.product(x.subList(k, x.size()))));
    }

    /**
     * Reshape with a target known element-wise (constant, or computed from Shape): 0 copies the input dim (unless
     * allowzero), -1 is inferred from the element count; symbolic factors cancel between input and target.
     */
    static void reshape(InferenceContext c) {
        Node n = c.node();
        List<SymInt> target = c.intValue(n.input(1));
        if (target == null) {
            List<Dim> shapeDims = c.inputDims(1);
            boolean rankKnown = shapeDims != null && shapeDims.size() == 1 && shapeDims.get(0).isKnown();
            c.output(0, c.inputType(0), rankKnown ? DimMath.unknowns((int) shapeDims.get(0).value()) : null);
            return;
        }
        List<Dim> x = c.inputDims(0);
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        List<Dim> out = new ArrayList<>(target.size());
        int inferred = -1;
        for (int i = 0; i < target.size(); i++) {
            SymInt t = target.get(i);
            if (t.known() && t.value() == -1) {
                if (inferred >= 0) {
                    throw c.fail("shape has more than one -1");
                }
                inferred = i;
                out.add(Dim.unknown());
            } else if (t.known() && t.value() == 0 && !allowZero) {
                if (x != null && i >= x.size()) {
                    throw c.fail("shape copies dim " + i + " from an input of rank " + x.size());
                }
                out.add(x == null ? Dim.unknown() : x.get(i));
            } else if (t.known() && t.value() < 0) {
                throw c.fail("shape has invalid size " + t.value());
            } else {
                out.add(t.toDim());
            }
        }
        if (x != null) {
            resolveCount(c, x, out, inferred);
        }
        c.output(0, c.inputType(0), out);
        if (x != null && x.size() <= 1) {
            c.outputIntValue(0, c.intValue(n.input(0)));
        }
    }

    /** Fills the -1 slot (if any) and checks element counts when everything is known. */
    private static void resolveCount(InferenceContext c, List<Dim> in, List<Dim> out, int inferred) {
        long inKnown = 1;
        List<String> inSymbols = new ArrayList<>();
        boolean inUnknown = false;
        for (Dim d : in) {
            if (d.isKnown()) {
                inKnown = Math.multiplyExact(inKnown, d.value());
            } else if (d.param() != null) {
                inSymbols.add(d.param());
            } else {
                inUnknown = true;
            }
        }
        long outKnown = 1;
        for (int i = 0; i < out.size(); i++) {
            Dim d = out.get(i);
            if (i == inferred) {
                continue;
            }
            if (d.isKnown()) {
                outKnown = Math.multiplyExact(outKnown, d.value());
            } else if (d.param() == null || !inSymbols.remove(d.param())) {
                return; // an output factor we cannot cancel: nothing more to prove
            }
        }
        if (inUnknown) {
            return;
        }
        if (inferred < 0) {
            if (inSymbols.isEmpty() && inKnown != outKnown) {
                throw c.fail("cannot reshape " + DimMath.text(in) + " (" + inKnown + " elements) to "
                        + DimMath.text(out));
            }
            return;
        }
        if (inSymbols.isEmpty()) {
            if (outKnown == 0 || inKnown % outKnown != 0) {
                throw c.fail("cannot reshape " + DimMath.text(in) + " to " + DimMath.text(out)
                        + ": element count " + inKnown + " is not a multiple of " + outKnown);
            }
            out.set(inferred, Dim.of(inKnown / outKnown));
        } else if (inSymbols.size() == 1 && inKnown == outKnown) {
            out.set(inferred, Dim.symbolic(inSymbols.get(0)));
        }
    }

    /** Transpose: dims permuted by {@code perm} (reversed by default). */
    static void transpose(InferenceContext c) {
        List<Dim> x = c.inputDims(0);
        if (x == null) {
            c.output(0, c.inputType(0), null);
            return;
        }
        long[] perm = c.node().attrInts("perm", null);
        List<Dim> out = new ArrayList<>(x.size());
        if (perm == null) {
            for (int i = x.size() - 1; i >= 0; i--) {
                out.add(x.get(i));
            }
        } else {
            if (perm.length != x.size()) {
                throw c.fail("perm " + Arrays.toString(perm) + " does not match rank " + x.size());
            }
            boolean[] seen = new boolean[x.size()];
            for (long p : perm) {
                int a = normalize(c, p, x.size());
                if (seen[a]) {
                    throw c.fail("perm " + Arrays.toString(perm) + " repeats axis " + a);
                }
                seen[a] = true;
                out.add(x.get(a));
            }
        }
        c.output(0, c.inputType(0), out);
    }

    /** Squeeze: removes the listed axes (which must be 1), or every known 1 when no axes are given. */
    static void squeeze(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        long[] axes = axes(c, 1);
        boolean axesGiven = n.has("axes") || n.hasInput(1);
        c.outputIntValue(0, c.intValue(n.input(0)));
        if (x == null || (axesGiven && axes == null)) {
            c.output(0, c.inputType(0), null);
            return;
        }
        boolean[] drop = new boolean[x.size()];
        if (axes == null) {
            for (int i = 0; i < x.size(); i++) {
                if (!x.get(i).isKnown()) {
                    c.output(0, c.inputType(0), null); // could be 1 at run time: rank unknown
                    return;
                }
                drop[i] = x.get(i).value() == 1;
            }
        } else {
            for (long a : axes) {
                int k = normalize(c, a, x.size());
                if (x.get(k).isKnown() && x.get(k).value() != 1) {
                    throw c.fail("cannot squeeze axis " + a + " of size " + x.get(k) + " in " + DimMath.text(x));
                }
                drop[k] = true;
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            if (!drop[i]) {
                out.add(x.get(i));
            }
        }
        c.output(0, c.inputType(0), out);
    }

    /** Unsqueeze: inserts 1s at the listed axes (normalized against the output rank). */
    static void unsqueeze(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        long[] axes = axes(c, 1);
        if (x == null || axes == null) {
            c.output(0, c.inputType(0), null);
            return;
        }
        int rank = x.size() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int k = normalize(c, a, rank);
            if (inserted[k]) {
                throw c.fail("axes repeat " + a);
            }
            inserted[k] = true;
        }
        List<Dim> out = new ArrayList<>(rank);
        int next = 0;
        for (int i = 0; i < rank; i++) {
            out.add(inserted[i] ? Dim.of(1) : x.get(next++));
        }
        c.output(0, c.inputType(0), out);
        if (rank <= 1) {
            c.outputIntValue(0, c.intValue(n.input(0))); // a scalar becoming a 1-element list
        }
    }

    /** Pad: each dim grows by its begin and end pads (negative pads crop); pads from attribute or input 1. */
    static void pad(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        long[] pads = n.has("pads") ? n.attrInts("pads", null) : c.constInts(1);
        if (x == null || pads == null) {
            c.output(0, c.inputType(0), x == null ? null : DimMath.unknowns(x.size()));
            return;
        }
        long[] axes = n.hasInput(3) ? c.constInts(3) : null;
        if (n.hasInput(3) && axes == null) {
            c.output(0, c.inputType(0), DimMath.unknowns(x.size()));
            return;
        }
        int[] axisList = new int[axes == null ? x.size() : axes.length];
        for (int i = 0; i < axisList.length; i++) {
            axisList[i] = axes == null ? i : normalize(c, axes[i], x.size());
        }
        if (pads.length != 2 * axisList.length) {
            throw c.fail("pads has " + pads.length + " values, expected " + 2 * axisList.length);
        }
        List<Dim> out = new ArrayList<>(x);
        for (int i = 0; i < axisList.length; i++) {
            long grow = pads[i] + pads[i + axisList.length];
            Dim d = x.get(axisList[i]);
            if (d.isKnown()) {
                if (Math.addExact(d.value(), grow) < 0) {
                    throw c.fail("pads " + Arrays.toString(pads) + " crop axis " + axisList[i] + " below zero");
                }
                out.set(axisList[i], Dim.of(d.value() + grow));
            } else if (grow != 0) {
                out.set(axisList[i], Dim.unknown());
            }
        }
        c.output(0, c.inputType(0), out);
    }

    /** ReduceMean: reduced axes become 1 (keepdims) or vanish; no axes means all (unless noop_with_empty_axes). */
    static void reduce(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        boolean keep = n.attrInt("keepdims", 1) != 0;
        long[] axes = axes(c, 1);
        boolean axesGiven = n.has("axes") || n.hasInput(1);
        if (x == null || (axesGiven && axes == null)) {
            c.output(0, c.inputType(0), x != null && keep ? DimMath.unknowns(x.size()) : null);
            return;
        }
        if ((axes == null || axes.length == 0) && n.attrInt("noop_with_empty_axes", 0) != 0) {
            c.sameAsInput();
            return;
        }
        boolean[] reduced = new boolean[x.size()];
        for (int i = 0; i < x.size(); i++) {
            reduced[i] = axes == null || axes.length == 0;
        }
        for (long a : axes == null ? new long[0] : axes) {
            reduced[normalize(c, a, x.size())] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            if (!reduced[i]) {
                out.add(x.get(i));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        c.output(0, c.inputType(0), out);
    }

    /** Axes from the {@code axes} attribute (older opsets) or from constant input {@code inputIdx}; else null. */
    static long[] axes(InferenceContext c, int inputIdx) {
        Node n = c.node();
        if (n.has("axes")) {
            return n.attrInts("axes", null);
        }
        return n.hasInput(inputIdx) ? c.constInts(inputIdx) : null;
    }

    static int normalize(InferenceContext c, long axis, int rank) {
        try {
            return Shape.normalizeAxis(axis, rank);
        } catch (IllegalArgumentException e) {
            throw c.fail(e.getMessage());
        }
    }
}
