package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Pad (ONNX, opsets 2-25) for every dtype: modes {@code constant} (default), {@code edge}, {@code reflect} and
 * {@code wrap}.
 *
 * <p>Operands: before opset 11 {@code pads} and {@code value} (float, default 0) are attributes; from 11
 * {@code pads} is input 1 and the optional scalar {@code constant_value} input 2 (default 0); from 18 the optional
 * input 3 {@code axes} (negative counts from the end) says which axes {@code pads} covers. {@code pads} is
 * [x1_begin, x2_begin, ..., x1_end, x2_end], one pair per covered axis.
 *
 * <p>A negative pad crops. As in ONNX Runtime, cropping happens first and the edge/reflect/wrap modes then pad the
 * cropped extent L: edge repeats its border element, reflect mirrors without repeating the border (numpy
 * "reflect", period 2(L-1), repeated as often as needed), wrap repeats it periodically (numpy "wrap").
 * KernelException when an output dim would be negative, for a pads length that does not fit, or for a non-constant
 * mode that has to extend an empty axis.
 */
public final class PadKernel {
    private enum Mode { CONSTANT, EDGE, REFLECT, WRAP }

    private PadKernel() {
    }

    public static void register(KernelRegistry registry) {
        registry.register("Pad", PadKernel::create);
    }

    static OpKernel create(Node node, long opset) {
        Mode mode = parseMode(node.attrString("mode", "constant"), opset);
        if (opset < 11) {
            long[] pads = node.attrInts("pads", node.attrInts("paddings", null));
            if (pads == null) {
                throw new KernelException("Pad-" + opset + " needs the pads attribute");
            }
            double value = node.attrFloat("value", 0f);
            return (inputs, ctx) -> {
                Tensor x = ShapeIndexing.required(inputs, 0, "data");
                return new Tensor[] {pad(x, pads, null, mode, ShapeIndexing.scalarOf(x.dtype(), value))};
            };
        }
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "data");
            long[] pads = ShapeIndexing.integers(ShapeIndexing.required(inputs, 1, "pads"), "pads");
            Tensor constant = ShapeIndexing.optional(inputs, 2);
            Tensor axes = opset >= 18 ? ShapeIndexing.optional(inputs, 3) : null;
            Object fill = constant == null || constant.size() == 0
                    ? ShapeIndexing.scalarOf(x.dtype(), 0) : ShapeIndexing.scalarFrom(constant, x.dtype());
            return new Tensor[] {pad(x, pads, axes == null ? null : ShapeIndexing.integers(axes, "axes"), mode, fill)};
        };
    }

    private static Mode parseMode(String mode, long opset) {
        return switch (mode) {
            case "constant" -> Mode.CONSTANT;
            case "edge" -> Mode.EDGE;
            case "reflect" -> Mode.REFLECT;
            case "wrap" -> Mode.WRAP;
            default -> throw new KernelException("unknown Pad mode '" + mode + "'");
        };
    }

    /** {@code x} padded; {@code axes} null means all axes; {@code fill} is a one-element storage array. */
    static Tensor pad(Tensor x, long[] pads, long[] axes, Mode mode, Object fill) {
        int rank = x.rank();
        int[] ax = axes == null ? allAxes(rank) : ShapeIndexing.distinctAxes(axes, rank, "axis");
        if (pads.length != 2 * ax.length) {
            throw new KernelException("pads " + Arrays.toString(pads) + " needs " + 2 * ax.length + " values");
        }
        long[] begin = new long[rank];
        long[] end = new long[rank];
        for (int i = 0; i < ax.length; i++) {
            begin[ax[i]] = pads[i];
            end[ax[i]] = pads[i + ax.length];
        }
        int[] strides = x.shape().strides();
        int[] outDims = new int[rank];
        int[][] offsets = new int[rank][];
        for (int d = 0; d < rank; d++) {
            offsets[d] = axisOffsets(x.shape().dim(d), begin[d], end[d], mode, d);
            outDims[d] = offsets[d].length;
            for (int j = 0; j < outDims[d]; j++) {
                offsets[d][j] = offsets[d][j] < 0 ? -1 : offsets[d][j] * strides[d];
            }
        }
        return ShapeIndexing.gather(x, Shape.of(outDims), offsets, fill);
    }

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    /** For each output position along one axis: the source index, or -1 for the constant fill. */
    private static int[] axisOffsets(int n, long begin, long end, Mode mode, int axis) {
        long outLen = n + begin + end;
        if (outLen < 0 || outLen > Integer.MAX_VALUE) {
            throw new KernelException("pads " + begin + ", " + end + " give axis " + axis + " of size " + n
                    + " the invalid length " + outLen);
        }
        long lo = Math.max(0, -begin);
        long kept = Math.max(0, n - lo - Math.max(0, -end));
        long lead = Math.max(0, begin);
        if (kept == 0 && mode != Mode.CONSTANT && outLen > 0) {
            throw new KernelException("cannot " + mode.name().toLowerCase(java.util.Locale.ROOT)
                    + "-pad axis " + axis + ": nothing is left to repeat");
        }
        int[] src = new int[(int) outLen];
        for (int o = 0; o < src.length; o++) {
            long j = o - lead;
            if (j < 0 || j >= kept) {
                j = switch (mode) {
                    case CONSTANT -> -1 - lo;
                    case EDGE -> j < 0 ? 0 : kept - 1;
                    case WRAP -> Math.floorMod(j, kept);
                    case REFLECT -> reflect(j, kept);
                };
            }
            src[o] = (int) (lo + j);
        }
        return src;
    }

    /** numpy "reflect": mirror about the border elements without repeating them; period 2(L-1). */
    private static long reflect(long j, long length) {
        if (length == 1) {
            return 0;
        }
        long period = 2 * (length - 1);
        long m = Math.floorMod(j, period);
        return m < length ? m : period - m;
    }
}
