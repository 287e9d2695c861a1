package org.quantlens.ir;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.tensor.DType;

/**
 * Output shapes of the sliding-window operators (ONNX Conv, MaxPool, AveragePool and the quantized convolutions),
 * plus the global pools and BatchNormalization. The window formula per spatial axis, with effective kernel
 * {@code e = dilation * (kernel - 1) + 1}:
 * <ul>
 *   <li>explicit pads (auto_pad NOTSET): {@code floor((in + pad_begin + pad_end - e) / stride) + 1}, or with
 *       {@code ceil_mode} the ceiling, minus one when the last window would start inside the right padding
 *       (the ONNX MaxPool/AveragePool rule, matching PyTorch);</li>
 *   <li>SAME_UPPER / SAME_LOWER: {@code ceil(in / stride)};</li>
 *   <li>VALID: {@code ceil((in - e + 1) / stride)}.</li>
 * </ul>
 * A symbolic spatial size survives only a 1x1, stride 1, unpadded window; otherwise it becomes unknown.
 */
final class ConvPoolShapes {
    private ConvPoolShapes() {
    }

    /**
     * Conv-shaped output {@code [N, M, spatial...]} from input {@code x} and weight {@code w} (indices into the
     * node's inputs), checking {@code C == w[1] * group} and the bias length; {@code outType} is the output type.
     */
    static void conv(InferenceContext c, int xIdx, int wIdx, int biasIdx, DType outType) {
        Node n = c.node();
        List<Dim> x = c.inputDims(xIdx);
        List<Dim> w = c.inputDims(wIdx);
        if (x == null && w == null) {
            c.output(0, outType, null);
            return;
        }
        int rank = x != null ? x.size() : w.size();
        if (rank < 3) {
            throw c.fail("input rank " + rank + " is below 3 (N, C, spatial...)");
        }
        if (x != null && w != null && w.size() != x.size()) {
            throw c.fail("weight " + DimMath.text(w) + " and input " + DimMath.text(x) + " differ in rank");
        }
        long group = n.attrInt("group", 1);
        Dim m = w != null ? w.get(0) : Dim.unknown();
        checkChannels(c, x, w, group, biasIdx);
        int spatial = rank - 2;
        long[] kernel = n.attrInts("kernel_shape", null);
        if (kernel != null && kernel.length != spatial) {
            throw c.fail("kernel_shape has " + kernel.length + " values for " + spatial + " spatial dims");
        }
        if (kernel == null && w != null) {
            kernel = knownSizes(w.subList(2, rank));
        } else if (kernel != null && w != null) {
            for (int i = 0; i < spatial; i++) {
                if (w.get(2 + i).isKnown() && w.get(2 + i).value() != kernel[i]) {
                    throw c.fail("kernel_shape " + java.util.Arrays.toString(kernel) + " disagrees with weight "
                            + DimMath.text(w));
                }
            }
        }
        List<Dim> out = new ArrayList<>(rank);
        out.add(x != null ? x.get(0) : Dim.unknown());
        out.add(m);
        out.addAll(windows(c, x, kernel, spatial, false));
        c.output(0, outType, out);
    }

    /** {@code C == w[1] * group}, {@code M % group == 0}, bias of length M. */
    private static void checkChannels(InferenceContext c, List<Dim> x, List<Dim> w, long group, int biasIdx) {
        if (group < 1) {
            throw c.fail("group " + group + " is not positive");
        }
        Dim m = w != null ? w.get(0) : Dim.unknown();
        Node n = c.node();
        if (x != null && w != null && x.get(1).isKnown() && w.get(1).isKnown()
                && x.get(1).value() != Math.multiplyExact(w.get(1).value(), group)) {
            throw c.fail("input has " + x.get(1) + " channels but the weight " + DimMath.text(w) + " with group "
                    + group + " expects " + w.get(1).value() * group);
        }
        if (m.isKnown() && m.value() % group != 0) {
            throw c.fail(m + " output channels are not divisible by group " + group);
        }
        List<Dim> bias = biasIdx >= 0 && n.hasInput(biasIdx) ? c.inputDims(biasIdx) : null;
        if (bias != null && (bias.size() != 1 || DimMath.conflict(bias.get(0), m))) {
            throw c.fail("bias " + DimMath.text(bias) + " does not match " + m + " output channels");
        }
    }

    /** MaxPool / AveragePool: {@code [N, C, windows...]}; MaxPool's Indices output gets the same dims as int64. */
    static void pool(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        long[] kernel = n.attrInts("kernel_shape", null);
        if (kernel == null) {
            throw c.fail("kernel_shape is required");
        }
        if (x == null) {
            c.output(0, c.inputType(0), null);
            c.output(1, DType.INT64, null);
            return;
        }
        if (x.size() != kernel.length + 2) {
            throw c.fail("input " + DimMath.text(x) + " does not have 2 + " + kernel.length + " dims");
        }
        boolean ceil = n.attrInt("ceil_mode", 0) != 0;
        List<Dim> out = new ArrayList<>(x.subList(0, 2));
        out.addAll(windows(c, x, kernel, kernel.length, ceil));
        c.output(0, c.inputType(0), out);
        c.output(1, DType.INT64, out);
    }

    /** GlobalAveragePool / GlobalMaxPool: {@code [N, C, 1, ...]}. */
    static void globalPool(InferenceContext c) {
        List<Dim> x = c.inputDims(0);
        if (x == null) {
            c.sameAsInput();
            return;
        }
        if (x.size() < 2) {
            throw c.fail("input " + DimMath.text(x) + " has no channel axis");
        }
        List<Dim> out = new ArrayList<>(x.subList(0, 2));
        for (int i = 2; i < x.size(); i++) {
            out.add(Dim.of(1));
        }
        c.output(0, c.inputType(0), out);
    }

    /** BatchNormalization: Y like X; scale, B, mean and var must have C elements; training outputs are [C]. */
    static void batchNorm(InferenceContext c) {
        List<Dim> x = c.inputDims(0);
        Dim channels = x != null && x.size() >= 2 ? x.get(1) : Dim.unknown();
        if (x != null && x.size() < 2) {
            throw c.fail("input " + DimMath.text(x) + " has no channel axis");
        }
        String[] names = {"scale", "B", "input_mean", "input_var"};
        for (int i = 1; i <= 4; i++) {
            List<Dim> p = c.inputDims(i);
            if (p != null && (p.size() != 1 || DimMath.conflict(p.get(0), channels))) {
                throw c.fail(names[i - 1] + " " + DimMath.text(p) + " does not match " + channels + " channels");
            }
        }
        c.sameAsInput();
        for (int i = 1; i < c.node().outputs().size(); i++) {
            c.output(i, c.inputType(1), List.of(channels));
        }
    }

    private static List<Dim> windows(InferenceContext c, List<Dim> x, long[] kernel, int spatial, boolean ceil) {
        Node n = c.node();
        String autoPad = n.attrString("auto_pad", "NOTSET");
        long[] strides = n.attrInts("strides", null);
        long[] dilations = n.attrInts("dilations", null);
        long[] pads = n.attrInts("pads", null);
        checkLength(c, "strides", strides, spatial);
        checkLength(c, "dilations", dilations, spatial);
        checkLength(c, "pads", pads, 2 * spatial);
        List<Dim> out = new ArrayList<>(spatial);
        for (int i = 0; i < spatial; i++) {
            Dim in = x != null ? x.get(2 + i) : Dim.unknown();
            if (kernel == null || i >= kernel.length) {
                out.add(Dim.unknown());
                continue;
            }
            long s = strides == null ? 1 : strides[i];
            long d = dilations == null ? 1 : dilations[i];
            long pb = pads == null ? 0 : pads[i];
            long pe = pads == null ? 0 : pads[i + spatial];
            if (s < 1 || d < 1 || kernel[i] < 1 || pb < 0 || pe < 0) {
                throw c.fail("kernel, strides and dilations must be positive and pads non-negative on axis " + i);
            }
            out.add(window(c, in, kernel[i], s, d, pb, pe, autoPad, ceil));
        }
        return out;
    }

    /** The output size along one spatial axis (see the class comment). */
    static Dim window(InferenceContext c, Dim in, long k, long s, long d, long pb, long pe, String autoPad,
                      boolean ceil) {
        long effective = Math.addExact(Math.multiplyExact(d, k - 1), 1);
        if (!in.isKnown()) {
            boolean identity = effective == 1 && s == 1 && (autoPad.startsWith("SAME") || pb + pe == 0);
            return identity ? in : Dim.unknown();
        }
        long size = in.value();
        long out;
        switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER" -> out = DimMath.ceilDiv(size, s);
            case "VALID" -> out = DimMath.ceilDiv(size - effective + 1, s);
            case "NOTSET", "" -> {
                long span = Math.addExact(size, Math.addExact(pb, pe)) - effective;
                out = (ceil ? DimMath.ceilDiv(span, s) : Math.floorDiv(span, s)) + 1;
                if (ceil && out > 0 && (out - 1) * s >= size + pb) {
                    out--;
                }
            }
            default -> throw c.fail("unknown auto_pad '" + autoPad + "'");
        }
        if (out < 1) {
            throw c.fail("window of " + effective + " (kernel " + k + ", dilation " + d + ") does not fit input size "
                    + size + " with pads " + pb + "+" + pe);
        }
        return Dim.of(out);
    }

    private static void checkLength(InferenceContext c, String attr, long[] v, int expected) {
        if (v != null && v.length != expected) {
            throw c.fail(attr + " has " + v.length + " values, expected " + expected);
        }
    }

    /** Known sizes, or null when one of the dims is not known. */
    private static long[] knownSizes(List<Dim> dims) {
        long[] r = new long[dims.size()];
        for (int i = 0; i < r.length; i++) {
            if (!dims.get(i).isKnown()) {
                return null;
            }
            r[i] = dims.get(i).value();
        }
        return r;
    }
}
