package org.quantlens.exec.kernels;

import java.util.Arrays;
import java.util.Locale;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Resize (ONNX opsets 10-19+), modes {@code nearest} and {@code linear}, matching the ONNX reference implementation.
 *
 * <p>Inputs: opset 10 {@code X, scales}; from 11 {@code X, roi, scales, sizes}, where omitted (null) or empty
 * tensors count as absent and exactly one of scales/sizes must be given. From 18 the {@code axes} attribute says
 * which axes scales/sizes/roi cover (others keep scale 1 and roi [0, 1]).
 *
 * <p>Output length per axis: with scales floor(in * scale); with sizes the size itself and scale = size / in, or,
 * for {@code keep_aspect_ratio_policy} not_larger / not_smaller, one scale (the min / max of size/in over the axes)
 * and length floor(in * scale + 0.5) on those axes. The coordinate transform and the taps are in
 * {@link ResizeAxis}. Opset 10 uses asymmetric coordinates and floor rounding (the ONNX version converter's
 * Resize 10 to 11 mapping); later opsets default to half_pixel and round_prefer_floor.
 *
 * <p>Nearest copies elements (every dtype, bit-exact). Linear is the tensor product of the per-axis taps over
 * all axes, accumulated in double and stored in the input dtype (integers round half to even and saturate).
 * {@code antialias=1} widens the linear filter when downsampling. {@code cubic} is rejected with a KernelException.
 * Under tf_crop_and_resize, outputs whose coordinate falls outside the input take {@code extrapolation_value}.
 */
public final class ResizeKernel {
    private enum AspectPolicy { STRETCH, NOT_LARGER, NOT_SMALLER }

    private record Spec(boolean linear, ResizeAxis.Coordinates coordinates, ResizeAxis.Rounding rounding,
                        boolean antialias, boolean excludeOutside, double extrapolation, long[] axes,
                        AspectPolicy policy, long opset) {
    }

    /** Per-axis output length, scale and roi after resolving scales/sizes/axes. */
    private record Plan(int[] outDims, double[] scales, double[] roiStart, double[] roiEnd) {
    }

    private ResizeKernel() {
    }

    public static void register(KernelRegistry registry) {
        registry.register("Resize", ResizeKernel::create);
    }

    static OpKernel create(Node node, long opset) {
        Spec spec = parse(node, opset);
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "X");
            Tensor roi = opset >= 11 ? present(ShapeIndexing.optional(inputs, 1)) : null;
            Tensor scales = present(ShapeIndexing.optional(inputs, opset >= 11 ? 2 : 1));
            Tensor sizes = opset >= 11 ? present(ShapeIndexing.optional(inputs, 3)) : null;
            Plan plan = plan(x.shape(), roi, scales, sizes, spec);
            return new Tensor[] {resize(x, plan, spec, ctx)};
        };
    }

    private static Tensor present(Tensor t) {
        return t == null || t.size() == 0 ? null : t;
    }

    private static Spec parse(Node node, long opset) {
        String mode = node.attrString("mode", "nearest");
        if (mode.equals("cubic")) {
            throw new KernelException("cubic mode is not supported");
        }
        if (!mode.equals("nearest") && !mode.equals("linear")) {
            throw new KernelException("unknown Resize mode '" + mode + "'");
        }
        ResizeAxis.Coordinates coordinates = opset < 11 ? ResizeAxis.Coordinates.ASYMMETRIC
                : enumValue(ResizeAxis.Coordinates.class, "coordinate_transformation_mode",
                        node.attrString("coordinate_transformation_mode", "half_pixel"));
        ResizeAxis.Rounding rounding = opset < 11 ? ResizeAxis.Rounding.FLOOR
                : enumValue(ResizeAxis.Rounding.class, "nearest_mode", node.attrString("nearest_mode", "round_prefer_floor"));
        AspectPolicy policy = enumValue(AspectPolicy.class, "keep_aspect_ratio_policy",
                node.attrString("keep_aspect_ratio_policy", "stretch"));
        return new Spec(mode.equals("linear"), coordinates, rounding, node.attrInt("antialias", 0) != 0,
                node.attrInt("exclude_outside", 0) != 0, node.attrFloat("extrapolation_value", 0f),
                node.attrInts("axes", null), policy, opset);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String attr, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new KernelException("unknown " + attr + " '" + value + "'");
        }
    }

    private static Plan plan(Shape in, Tensor roi, Tensor scales, Tensor sizes, Spec spec) {
        int rank = in.rank();
        int[] axes = spec.axes() == null ? allAxes(rank) : ShapeIndexing.distinctAxes(spec.axes(), rank, "axis");
        if ((scales == null) == (sizes == null)) {
            throw new KernelException("Resize needs exactly one of scales and sizes");
        }
        Tensor given = scales != null ? scales : sizes;
        if (given.size() != axes.length) {
            throw new KernelException((scales != null ? "scales" : "sizes") + " has " + given.size()
                    + " values for " + axes.length + " axes");
        }
        int[] outDims = in.dims();
        double[] scale = new double[rank];
        Arrays.fill(scale, 1.0);
        if (scales != null) {
            for (int i = 0; i < axes.length; i++) {
                scale[axes[i]] = scales.getDouble(i);
                if (!(scale[axes[i]] > 0) || Double.isInfinite(scale[axes[i]])) {
                    throw new KernelException("scale " + scale[axes[i]] + " for axis " + axes[i] + " is not positive");
                }
                outDims[axes[i]] = checkedLength(Math.floor(in.dim(axes[i]) * scale[axes[i]]), axes[i]);
            }
        } else {
            long[] sz = ShapeIndexing.integers(sizes, "sizes");
            for (int i = 0; i < axes.length; i++) {
                outDims[axes[i]] = checkedLength(sz[i], axes[i]);
                scale[axes[i]] = (double) sz[i] / in.dim(axes[i]);
            }
            if (spec.policy() != AspectPolicy.STRETCH) {
                keepAspectRatio(in, axes, outDims, scale, spec.policy());
            }
        }
        double[] roiStart = new double[rank];
        double[] roiEnd = new double[rank];
        Arrays.fill(roiEnd, 1.0);
        if (roi != null && spec.coordinates() == ResizeAxis.Coordinates.TF_CROP_AND_RESIZE) {
            if (roi.size() != 2 * axes.length) {
                throw new KernelException("roi has " + roi.size() + " values, needs " + 2 * axes.length);
            }
            for (int i = 0; i < axes.length; i++) {
                roiStart[axes[i]] = roi.getDouble(i);
                roiEnd[axes[i]] = roi.getDouble(axes.length + i);
            }
        }
        return new Plan(outDims, scale, roiStart, roiEnd);
    }

    private static void keepAspectRatio(Shape in, int[] axes, int[] outDims, double[] scale, AspectPolicy policy) {
        double s = scale[axes[0]];
        for (int a : axes) {
            s = policy == AspectPolicy.NOT_LARGER ? Math.min(s, scale[a]) : Math.max(s, scale[a]);
        }
        for (int a : axes) {
            scale[a] = s;
            outDims[a] = checkedLength(Math.floor(in.dim(a) * s + 0.5), a);
        }
    }

    private static int checkedLength(double len, int axis) {
        if (!(len >= 0) || len > Integer.MAX_VALUE) {
            throw new KernelException("output length " + len + " of axis " + axis + " is out of range");
        }
        return (int) len;
    }

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    private static Tensor resize(Tensor x, Plan plan, Spec spec, ExecContext ctx) {
        int rank = x.rank();
        Shape outShape = Shape.of(plan.outDims());
        int[] inStrides = x.shape().strides();
        if (outShape.size() == 0) {
            return Tensor.zeros(x.dtype(), outShape);
        }
        if (!spec.linear()) {
            int[][] offsets = new int[rank][];
            for (int d = 0; d < rank; d++) {
                offsets[d] = ResizeAxis.nearest(coordinates(x.shape(), plan, spec, d), x.shape().dim(d), spec.rounding());
                for (int j = 0; j < offsets[d].length; j++) {
                    offsets[d][j] = offsets[d][j] < 0 ? -1 : offsets[d][j] * inStrides[d];
                }
            }
            return ShapeIndexing.gather(x, outShape, offsets, ShapeIndexing.scalarOf(x.dtype(), spec.extrapolation()));
        }
        ResizeAxis[] taps = new ResizeAxis[rank];
        for (int d = 0; d < rank; d++) {
            taps[d] = ResizeAxis.linear(coordinates(x.shape(), plan, spec, d), x.shape().dim(d), plan.scales()[d],
                    spec.antialias(), spec.excludeOutside());
        }
        return ResizeLinear.interpolate(x, outShape, taps, spec.extrapolation(), ctx);
    }

    private static double[] coordinates(Shape in, Plan plan, Spec spec, int d) {
        return ResizeAxis.sourceCoordinates(spec.coordinates(), in.dim(d), plan.outDims()[d], plan.scales()[d],
                plan.roiStart()[d], plan.roiEnd()[d]);
    }
}
