package org.quantlens.ir;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.tensor.Tensor;

/** Output shape of ONNX Resize (opsets 10 to 19), from constant scales or sizes. */
final class ResizeShapes {
    private ResizeShapes() {
    }

    /**
     * Resize (and opset 10's two-input form), as the ONNX spec computes sizes: constant {@code sizes} give the
     * dims directly ("stretch"), or, with keep_aspect_ratio_policy not_larger / not_smaller, one scale
     * {@code min} / {@code max} of {@code sizes[i] / in[i]} over the resized axes and {@code round(scale * in)}
     * (half away from zero, in float as ONNX does); constant {@code scales} give {@code floor(in * scale)}, times
     * {@code roi_end - roi_start} for tf_crop_and_resize. The {@code axes} attribute (opset 18) limits all of
     * them to those axes. Non-constant inputs leave the resized dims unknown.
     */
    static void resize(InferenceContext c) {
        Node n = c.node();
        List<Dim> x = c.inputDims(0);
        if (x == null) {
            c.output(0, c.inputType(0), null);
            return;
        }
        boolean opset10Form = n.inputs().size() == 2 && c.opset() < 11;
        int scalesIdx = opset10Form ? 1 : 2;
        long[] sizes = opset10Form ? null : c.constInts(3);
        Tensor scales = n.hasInput(scalesIdx) ? c.constant(n.input(scalesIdx)) : null;
        if (scales != null && scales.size() == 0) {
            scales = null;
        }
        long[] axesAttr = n.attrInts("axes", null);
        int[] axes = new int[axesAttr == null ? x.size() : axesAttr.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axesAttr == null ? i : LayoutShapes.normalize(c, axesAttr[i], x.size());
        }
        if ((sizes != null && sizes.length != axes.length) || (sizes == null && scales != null
                && scales.size() != axes.length)) {
            throw c.fail("scales/sizes do not have one value per resized axis (" + axes.length + ")");
        }
        List<Dim> out = new ArrayList<>(x);
        for (int i = 0; i < axes.length; i++) {
            out.set(axes[i], Dim.unknown());
        }
        if (sizes != null) {
            resizeToSizes(c, x, axes, sizes, out);
        } else if (scales != null) {
            float[] roiSpan = roiSpans(c, x.size(), axes);
            for (int i = 0; i < axes.length; i++) {
                float s = (float) scales.getDouble(i);
                if (!(s > 0)) {
                    throw c.fail("scale " + s + " on axis " + axes[i] + " is not positive");
                }
                Dim in = x.get(axes[i]);
                if (in.isKnown() && roiSpan != null) {
                    out.set(axes[i], Dim.of((long) Math.floor((float) in.value() * roiSpan[i] * s)));
                } else if (s == 1 && roiSpan != null && roiSpan[i] == 1) {
                    out.set(axes[i], in);
                }
            }
        }
        c.output(0, c.inputType(0), out);
    }

    private static void resizeToSizes(InferenceContext c, List<Dim> x, int[] axes, long[] sizes, List<Dim> out) {
        String policy = c.node().attrString("keep_aspect_ratio_policy", "stretch");
        if (policy.equals("stretch")) {
            for (int i = 0; i < axes.length; i++) {
                out.set(axes[i], Dim.of(sizes[i]));
            }
            return;
        }
        boolean notLarger = policy.equals("not_larger");
        if (!notLarger && !policy.equals("not_smaller")) {
            throw c.fail("unknown keep_aspect_ratio_policy '" + policy + "'");
        }
        float scale = notLarger ? Float.MAX_VALUE : 0f;
        for (int i = 0; i < axes.length; i++) {
            Dim in = x.get(axes[i]);
            if (!in.isKnown() || in.value() == 0) {
                return;
            }
            float r = (float) sizes[i] / (float) in.value();
            scale = notLarger ? Math.min(scale, r) : Math.max(scale, r);
        }
        for (int axis : axes) {
            out.set(axis, Dim.of(Math.round(scale * (float) x.get(axis).value())));
        }
    }

    /**
     * Per resized axis the factor {@code roi_end - roi_start} (1 unless tf_crop_and_resize), or null when the roi
     * is needed but not constant.
     */
    private static float[] roiSpans(InferenceContext c, int rank, int[] axes) {
        float[] span = new float[axes.length];
        java.util.Arrays.fill(span, 1f);
        Node n = c.node();
        if (!n.attrString("coordinate_transformation_mode", "half_pixel").equals("tf_crop_and_resize")) {
            return span;
        }
        Tensor roi = n.hasInput(1) ? c.constant(n.input(1)) : null;
        if (roi == null || roi.size() != 2 * axes.length) {
            return null;
        }
        for (int i = 0; i < axes.length; i++) {
            span[i] = (float) (roi.getDouble(i + axes.length) - roi.getDouble(i));
        }
        return span;
    }
}
