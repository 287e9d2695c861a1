package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelException;

/**
 * The one-dimensional part of Resize: where each output position of one axis samples the input, following the ONNX
 * reference implementation ({@code onnx.reference.ops.op_resize}) term by term.
 *
 * <p>{@link #sourceCoordinates} maps output index x to the input coordinate x_ori with the
 * {@code coordinate_transformation_mode} formulas of the ONNX spec, where {@code scale} is the axis's scale factor
 * and {@code lengthOriginal * scale} the <em>unrounded</em> output length (as in the reference; ONNX Runtime uses
 * the rounded length for align_corners, so the two differ when scales are given and the product is fractional).
 * A coordinate outside the input under tf_crop_and_resize is NaN: the output there is the extrapolation value.
 *
 * <p>{@link #linear} turns coordinates into taps (input index, weight). Plain linear interpolation uses
 * floor(x_ori) and the next index with weights 1-r and r; indices beyond the input clamp to the border (the
 * reference's edge padding). With antialias and scale &lt; 1 the triangle filter is stretched to 1/scale: taps
 * p in (base + start .. base - start + 1), start = floor(-1/scale) + 1, weight max(0, 1 - |p - x_ori| * scale),
 * normalised to sum 1. exclude_outside zeroes the taps outside the input and renormalises. Zero-weight taps are
 * dropped, so a NaN or infinity there does not leak into the output (the reference would compute 0 * NaN).
 */
final class ResizeAxis {
    /** coordinate_transformation_mode values. */
    enum Coordinates {
        HALF_PIXEL, HALF_PIXEL_SYMMETRIC, PYTORCH_HALF_PIXEL, ALIGN_CORNERS, ASYMMETRIC, TF_HALF_PIXEL_FOR_NN,
        TF_CROP_AND_RESIZE
    }

    /** nearest_mode values. */
    enum Rounding { ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL }

    /** Taps of output position o are {@code index[first[o] .. first[o+1])} with the same range of {@code weight}. */
    final int[] first;
    final int[] index;
    final double[] weight;
    /** True where the output takes the extrapolation value (tf_crop_and_resize outside the input). */
    final boolean[] outside;

    private ResizeAxis(int[] first, int[] index, double[] weight, boolean[] outside) {
        this.first = first;
        this.index = index;
        this.weight = weight;
        this.outside = outside;
    }

    int taps(int o) {
        return first[o + 1] - first[o];
    }

    /** x_ori for every output position of an axis of {@code inLen} resized to {@code outLen} (see class doc). */
    static double[] sourceCoordinates(Coordinates mode, int inLen, int outLen, double scale,
                                      double roiStart, double roiEnd) {
        double outWidth = scale * inLen;
        double[] c = new double[outLen];
        for (int x = 0; x < outLen; x++) {
            c[x] = switch (mode) {
                case HALF_PIXEL -> (x + 0.5) / scale - 0.5;
                case HALF_PIXEL_SYMMETRIC -> {
                    double offset = inLen / 2.0 * (1 - outLen / outWidth);
                    yield offset + (x + 0.5) / scale - 0.5;
                }
                case PYTORCH_HALF_PIXEL -> outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
                case ALIGN_CORNERS -> outWidth == 1 ? 0 : x * (inLen - 1) / (outWidth - 1);
                case ASYMMETRIC -> x / scale;
                case TF_HALF_PIXEL_FOR_NN -> (x + 0.5) / scale;
                case TF_CROP_AND_RESIZE -> cropAndResize(x, inLen, outLen, roiStart, roiEnd);
            };
        }
        return c;
    }

    private static double cropAndResize(int x, int inLen, int outLen, double roiStart, double roiEnd) {
        double span = (roiEnd - roiStart) * (inLen - 1);
        double c = (outLen == 1 ? span / 2 : x * span / (outLen - 1)) + roiStart * (inLen - 1);
        return c < 0 || c > inLen - 1 ? Double.NaN : c;
    }

    /** Nearest-neighbour input index per coordinate (clamped to the input), or -1 where it is NaN. */
    static int[] nearest(double[] coords, int inLen, Rounding rounding) {
        int[] idx = new int[coords.length];
        for (int o = 0; o < coords.length; o++) {
            double c = coords[o];
            if (Double.isNaN(c)) {
                idx[o] = -1;
                continue;
            }
            double base = Math.floor(c);
            double r = c - base;
            boolean up = r != 0 && switch (rounding) {
                case ROUND_PREFER_FLOOR -> r > 0.5;
                case ROUND_PREFER_CEIL -> r >= 0.5;
                case FLOOR -> false;
                case CEIL -> true;
            };
            idx[o] = clamp(base + (up ? 1 : 0), inLen);
        }
        return idx;
    }

    /** Linear (optionally antialiased) taps per coordinate; see the class doc. */
    static ResizeAxis linear(double[] coords, int inLen, double scale, boolean antialias, boolean excludeOutside) {
        double s = antialias ? Math.min(scale, 1.0) : 1.0;
        int start = (int) Math.floor(-1 / s) + 1;
        int width = 2 - 2 * start;
        int n = coords.length;
        int[] first = new int[n + 1];
        int[] index = new int[n * width];
        double[] weight = new double[n * width];
        boolean[] outside = new boolean[n];
        for (int o = 0; o < n; o++) {
            first[o] = o * width;
            double c = coords[o];
            outside[o] = Double.isNaN(c);
            if (outside[o]) {
                continue;
            }
            // The reference keeps the fraction in (0, 1]: an integral coordinate is the right tap with weight 1.
            double base = Math.floor(c) == c ? c - 1 : Math.floor(c);
            double sum = 0;
            for (int i = 0; i < width; i++) {
                double p = base + start + i;
                double w = Math.max(0, 1 - Math.abs(p - c) * s);
                if (excludeOutside && (p < 0 || p > inLen - 1)) {
                    w = 0;
                }
                index[o * width + i] = clamp(p, inLen);
                weight[o * width + i] = w;
                sum += w;
            }
            for (int i = 0; i < width; i++) {
                weight[o * width + i] /= sum;
            }
        }
        first[n] = n * width;
        return withoutZeroWeights(first, index, weight, outside);
    }

    /** Drops zero-weight taps, so an axis the resize leaves alone costs one tap per output (not two). */
    private static ResizeAxis withoutZeroWeights(int[] first, int[] index, double[] weight, boolean[] outside) {
        int n = outside.length;
        int[] keptFirst = new int[n + 1];
        int kept = 0;
        for (int o = 0; o < n; o++) {
            keptFirst[o] = kept;
            for (int k = first[o]; k < first[o + 1]; k++) {
                if (weight[k] != 0 || outside[o]) {
                    index[kept] = index[k];
                    weight[kept] = weight[k];
                    kept++;
                }
            }
        }
        keptFirst[n] = kept;
        return new ResizeAxis(keptFirst, java.util.Arrays.copyOf(index, kept), java.util.Arrays.copyOf(weight, kept),
                outside);
    }

    private static int clamp(double p, int inLen) {
        if (inLen == 0) {
            throw new KernelException("cannot resize an empty axis to a non-empty one");
        }
        return (int) Math.max(0, Math.min(inLen - 1, p));
    }
}
