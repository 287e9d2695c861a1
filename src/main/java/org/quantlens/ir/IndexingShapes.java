package org.quantlens.ir;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Output shapes of the operators that select elements or describe shapes: ONNX Slice, Gather, Shape, Constant
 * and Identity. These also carry small integer tensors element-wise, so shape arithmetic built from
 * Shape/Gather/Slice/Concat feeds a later Reshape with known or symbolic sizes.
 */
final class IndexingShapes {
    private IndexingShapes() {
    }

    /** Start and count of a slice along one axis of size {@code dim}, clamped as the ONNX Slice spec says. */
    record Range(long start, long step, long count) {
        static Range of(long start, long end, long step, long dim) {
            long s = start < 0 ? start + dim : start;
            long e = end < 0 ? end + dim : end;
            if (step > 0) {
                s = clamp(s, 0, dim);
                e = clamp(e, 0, dim);
            } else {
                s = clamp(s, 0, dim - 1);
                e = clamp(e, -1, dim - 1);
            }
            long count = step > 0 ? DimMath.ceilDiv(e - s, step) : DimMath.ceilDiv(s - e, -step);
            return new Range(s, step, Math.max(0, count));
        }

        private static long clamp(long v, long lo, long hi) {
            return Math.max(lo, Math.min(hi, v));
        }
    }

    /** Slice: starts/ends/axes/steps from attributes (opset < 10) or constant inputs 1-4. */
    static void slice(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        boolean attrForm = n.has("starts");
        long[] starts = attrForm ? n.attrInts("starts", null) : c.constInts(1);
        long[] ends = attrForm ? n.attrInts("ends", null) : c.constInts(2);
        long[] axes = attrForm ? n.attrInts("axes", null) : n.hasInput(3) ? c.constInts(3) : null;
        long[] steps = attrForm ? null : n.hasInput(4) ? c.constInts(4) : null;
        boolean missing = starts == null || ends == null || (!attrForm && n.hasInput(3) && axes == null)
                || (!attrForm && n.hasInput(4) && steps == null);
        if (x == null || missing) {
            c.output(0, c.inputType(0), x == null ? null : DimMath.unknowns(x.size()));
            return;
        }
        if (ends.length != starts.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length)) {
            throw c.fail("starts, ends, axes and steps differ in length");
        }
        List<Dim> out = new ArrayList<>(x);
        Range[] ranges = new Range[x.size()];
        for (int i = 0; i < starts.length; i++) {
            int axis = LayoutShapes.normalize(c, axes == null ? i : axes[i], x.size());
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw c.fail("step is 0 on axis " + axis);
            }
            Dim d = x.get(axis);
            if (d.isKnown()) {
                ranges[axis] = Range.of(starts[i], ends[i], step, d.value());
                out.set(axis, Dim.of(ranges[axis].count()));
            } else {
                boolean whole = starts[i] == 0 && step == 1 && ends[i] >= Integer.MAX_VALUE;
                out.set(axis, whole ? d : Dim.unknown());
            }
        }
        c.output(0, c.inputType(0), out);
        List<SymInt> v = c.intValue(n.input(0));
        if (v != null && x.size() == 1 && ranges[0] != null) {
            List<SymInt> picked = new ArrayList<>();
            for (long k = 0, idx = ranges[0].start(); k < ranges[0].count(); k++, idx += ranges[0].step()) {
                picked.add(v.get((int) idx));
            }
            c.outputIntValue(0, picked);
        } else if (v != null && x.size() == 1 && out.get(0).equals(x.get(0))) {
            c.outputIntValue(0, v);
        }
    }

    /** Gather: {@code data[:axis] + indices.shape + data[axis+1:]}; constant indices are range-checked. */
    static void gather(InferenceContext c) {
        Node n = c.node();
        List<Dim> data = c.inputDims(0);
        List<Dim> idx = c.inputDims(1);
        if (data == null || idx == null) {
            c.output(0, c.inputType(0), null);
            return;
        }
        if (data.isEmpty()) {
            throw c.fail("data must have rank >= 1");
        }
        int axis = LayoutShapes.normalize(c, n.attrInt("axis", 0), data.size());
        long[] indices = c.constInts(1);
        Dim size = data.get(axis);
        if (indices != null && size.isKnown()) {
            for (int i = 0; i < indices.length; i++) {
                long k = indices[i] < 0 ? indices[i] + size.value() : indices[i];
                if (k < 0 || k >= size.value()) {
                    throw c.fail("index " + indices[i] + " is out of range for axis " + axis + " of size " + size);
                }
                indices[i] = k;
            }
        }
        List<Dim> out = new ArrayList<>(data.subList(0, axis));
        out.addAll(idx);
        out.addAll(data.subList(axis + 1, data.size()));
        c.output(0, c.inputType(0), out);
        List<SymInt> v = c.intValue(n.input(0));
        if (v != null && data.size() == 1 && indices != null && size.isKnown()) {
            List<SymInt> picked = new ArrayList<>(indices.length);
            for (long k : indices) {
                picked.add(v.get((int) k));
            }
            c.outputIntValue(0, picked);
        }
    }

    /** Shape: int64 {@code [rank]} (or the start/end slice of opset 15), tracked element-wise. */
    static void shape(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        if (x == null) {
            c.output(0, DType.INT64, List.of(Dim.unknown()));
            return;
        }
        int rank = x.size();
        long start = n.attrInt("start", 0);
        long end = n.attrInt("end", rank);
        int s = (int) Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        int e = (int) Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        List<SymInt> elems = new ArrayList<>();
        for (int i = s; i < e; i++) {
            elems.add(SymInt.fromDim(x.get(i)));
        }
        c.output(0, DType.INT64, List.of(Dim.of(elems.size())));
        c.outputIntValue(0, elems);
    }

    /** Constant: the tensor of {@code value}, or the scalar/list of value_float(s) / value_int(s). */
    static void constant(InferenceContext c) {
        Node n = c.node();
        Tensor t = null;
        if (n.has("value")) {
            t = n.attr("value").asTensor();
        } else if (n.has("value_float")) {
            t = Tensor.scalar(n.attrFloat("value_float", 0));
        } else if (n.has("value_floats")) {
            float[] f = n.attrFloats("value_floats", null);
            t = Tensor.ofFloats(Shape.of(f.length), f);
        } else if (n.has("value_int")) {
            t = Tensor.ofLongs(Shape.scalar(), n.attrInt("value_int", 0));
        } else if (n.has("value_ints")) {
            long[] v = n.attrInts("value_ints", null);
            t = Tensor.ofLongs(Shape.of(v.length), v);
        }
        if (t == null) {
            c.output(0, null, null); // sparse or string constants: not a QuantLens tensor
        } else if (!n.outputs().isEmpty()) {
            c.putConstant(n.outputs().get(0), t);
        }
    }

    /** Identity: a copy, constants and tracked integers included. */
    static void identity(InferenceContext c) {
        Node n = c.node();
        Tensor t = c.constant(n.input(0));
        if (t != null && !n.outputs().isEmpty()) {
            c.putConstant(n.outputs().get(0), t);
            return;
        }
        c.sameAsInput();
        c.outputIntValue(0, c.intValue(n.input(0)));
    }
}
