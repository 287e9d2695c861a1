package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.OutputArrays;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernels that only move or re-label data, for every {@link DType}: Concat, Flatten, Reshape,
 * Squeeze, Unsqueeze, Shape and Constant here; Transpose ({@link TransposeKernel}), Slice ({@link SliceKernel})
 * and Gather ({@link GatherKernel}) in their own files. Semantics follow the ONNX operator specification.
 *
 * <p>Flatten, Reshape, Squeeze and Unsqueeze return a view sharing the input's array (tensors are never mutated
 * once made, so sharing is safe).
 */
public final class ShapeKernels {
    private ShapeKernels() {
    }

    public static void register(KernelRegistry registry) {
        registry.register("Concat", ShapeKernels::concat);
        registry.register("Flatten", ShapeKernels::flatten);
        registry.register("Reshape", ShapeKernels::reshape);
        registry.register("Squeeze", ShapeKernels::squeeze);
        registry.register("Unsqueeze", ShapeKernels::unsqueeze);
        registry.register("Shape", ShapeKernels::shape);
        registry.register("Constant", ShapeKernels::constant);
        registry.register("Transpose", TransposeKernel::create);
        registry.register("Slice", SliceKernel::create);
        registry.register("Gather", GatherKernel::create);
    }

    /**
     * Concat: joins the inputs along {@code axis} (required from opset 4, before that default 1; negative counts
     * from the end). All inputs must have the
     * same dtype, rank and the same dims except on {@code axis}; inputs with a zero-length axis contribute nothing.
     */
    static OpKernel concat(Node node, long opset) {
        if (!node.has("axis") && opset >= 4) {
            throw new KernelException("Concat needs the axis attribute");
        }
        long axisAttr = node.attrInt("axis", 1);
        return (inputs, ctx) -> {
            Tensor first = ShapeIndexing.required(inputs, 0, "inputs");
            int rank = first.rank();
            int axis = ShapeIndexing.axis(axisAttr, rank, "axis");
            int[] outDims = first.shape().dims();
            outDims[axis] = 0;
            for (Tensor t : inputs) {
                checkConcatOperand(t, first, axis);
                outDims[axis] = Math.addExact(outDims[axis], t.shape().dim(axis));
            }
            Shape outShape = Shape.of(outDims);
            int outer = 1;
            for (int d = 0; d < axis; d++) {
                outer *= outDims[d];
            }
            int outBlock = outer == 0 ? 0 : outShape.numElements() / outer;
            // Every element is copied from an input, so a recycled float array is fine.
            Object out = first.dtype() == DType.FLOAT32 ? OutputArrays.floats(outShape.numElements())
                    : Tensor.allocate(first.dtype(), outShape.numElements());
            int offset = 0;
            for (Tensor t : inputs) {
                int block = outer == 0 ? 0 : t.size() / outer;
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(t.data(), o * block, out, o * outBlock + offset, block);
                }
                offset += block;
            }
            return new Tensor[] {Tensor.of(first.dtype(), outShape, out)};
        };
    }

    private static void checkConcatOperand(Tensor t, Tensor first, int axis) {
        if (t == null) {
            throw new KernelException("Concat input is missing");
        }
        if (t.dtype() != first.dtype()) {
            throw new KernelException("Concat inputs mix " + first.dtype().displayName() + " and " + t.dtype().displayName());
        }
        boolean same = t.rank() == first.rank();
        for (int d = 0; same && d < t.rank(); d++) {
            same = d == axis || t.shape().dim(d) == first.shape().dim(d);
        }
        if (!same) {
            throw new KernelException("Concat inputs " + first.shape() + " and " + t.shape() + " differ off axis " + axis);
        }
    }

    /**
     * Flatten: reshapes to 2-D [d0*...*d(axis-1), d(axis)*...*d(r-1)]; {@code axis} (default 1) in [-r, r], negative
     * counts from the end; axis 0 gives [1, total].
     */
    static OpKernel flatten(Node node, long opset) {
        long axisAttr = node.attrInt("axis", 1);
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "input");
            int rank = x.rank();
            if (axisAttr < -rank || axisAttr > rank) {
                throw new KernelException("axis " + axisAttr + " is out of range for rank " + rank);
            }
            int axis = (int) (axisAttr < 0 ? axisAttr + rank : axisAttr);
            long rows = 1;
            for (int d = 0; d < axis; d++) {
                rows = Math.multiplyExact(rows, x.shape().dim(d));
            }
            long cols = 1;
            for (int d = axis; d < rank; d++) {
                cols = Math.multiplyExact(cols, x.shape().dim(d));
            }
            return new Tensor[] {x.reshape(Shape.of(rows, cols))};
        };
    }

    /**
     * Reshape: the target shape comes from input 1 (opset 5+) or the {@code shape} attribute (opset 1-4). A 0 copies
     * the input's dim at the same index (unless {@code allowzero=1}, opset 14+, where it means a zero dim); one -1
     * is inferred from the element count. KernelException when the counts differ, for two -1s, for a 0 copying a dim
     * beyond the input's rank, for -1 with allowzero zeros, or for a dim below -1.
     */
    static OpKernel reshape(Node node, long opset) {
        boolean allowZero = node.attrInt("allowzero", 0) != 0;
        long[] attrShape = opset < 5 ? node.attrInts("shape", null) : null;
        if (opset < 5 && attrShape == null) {
            throw new KernelException("Reshape-" + opset + " needs the shape attribute");
        }
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "data");
            long[] target = attrShape != null ? attrShape
                    : ShapeIndexing.integers(ShapeIndexing.required(inputs, 1, "shape"), "shape");
            return new Tensor[] {x.reshape(Shape.of(resolveReshape(x.shape(), target, allowZero)))};
        };
    }

    /** The concrete dims of a Reshape target (see {@link #reshape}). */
    static long[] resolveReshape(Shape in, long[] target, boolean allowZero) {
        long[] dims = new long[target.length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            long d = target[i];
            if (d == 0 && !allowZero) {
                if (i >= in.rank()) {
                    throw new KernelException("shape " + Arrays.toString(target) + ": 0 at index " + i
                            + " copies a dim the " + in + " input does not have");
                }
                d = in.dim(i);
            } else if (d == -1) {
                if (inferred >= 0) {
                    throw new KernelException("shape " + Arrays.toString(target) + " has more than one -1");
                }
                inferred = i;
                continue;
            } else if (d < -1) {
                throw new KernelException("shape " + Arrays.toString(target) + " has the invalid dim " + d);
            }
            dims[i] = d;
            known = Math.multiplyExact(known, d);
        }
        long total = in.size();
        if (inferred >= 0) {
            if (known == 0 || total % known != 0) {
                throw new KernelException("cannot reshape " + in + " to " + Arrays.toString(target));
            }
            dims[inferred] = total / known;
        } else if (known != total) {
            throw new KernelException("cannot reshape " + in + " (" + total + " elements) to " + Arrays.toString(target));
        }
        return dims;
    }

    /**
     * Squeeze: removes the listed axes (attribute before opset 13, optional int64 input from 13), which must have
     * size 1 (KernelException otherwise); negative axes count from the end, order and repeats do not matter.
     * Without axes, or with an empty axes tensor (as ONNX Runtime reads it), removes every dim of size 1.
     */
    static OpKernel squeeze(Node node, long opset) {
        long[] attrAxes = opset < 13 ? node.attrInts("axes", null) : null;
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "data");
            long[] axes = attrAxes;
            Tensor axesInput = opset >= 13 ? ShapeIndexing.optional(inputs, 1) : null;
            if (axesInput != null && axesInput.size() > 0) {
                axes = ShapeIndexing.integers(axesInput, "axes");
            }
            int rank = x.rank();
            boolean[] drop = new boolean[rank];
            if (axes == null) {
                for (int d = 0; d < rank; d++) {
                    drop[d] = x.shape().dim(d) == 1;
                }
            } else {
                for (long a : axes) {
                    int d = ShapeIndexing.axis(a, rank, "axis");
                    if (x.shape().dim(d) != 1) {
                        throw new KernelException("cannot squeeze axis " + a + " of " + x.shape() + ": its size is not 1");
                    }
                    drop[d] = true;
                }
            }
            int[] out = new int[rank];
            int n = 0;
            for (int d = 0; d < rank; d++) {
                if (!drop[d]) {
                    out[n++] = x.shape().dim(d);
                }
            }
            return new Tensor[] {x.reshape(Shape.of(Arrays.copyOf(out, n)))};
        };
    }

    /**
     * Unsqueeze: inserts size-1 dims at the listed positions of the output (attribute before opset 13, required
     * input from 13). Axes are in [-(r+k), r+k) for k axes, any order, no repeats (KernelException otherwise).
     */
    static OpKernel unsqueeze(Node node, long opset) {
        long[] attrAxes = opset < 13 ? node.attrInts("axes", null) : null;
        if (opset < 13 && attrAxes == null) {
            throw new KernelException("Unsqueeze-" + opset + " needs the axes attribute");
        }
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "data");
            long[] axes = attrAxes != null ? attrAxes
                    : ShapeIndexing.integers(ShapeIndexing.required(inputs, 1, "axes"), "axes");
            int outRank = x.rank() + axes.length;
            boolean[] inserted = new boolean[outRank];
            for (int a : ShapeIndexing.distinctAxes(axes, outRank, "axis")) {
                inserted[a] = true;
            }
            int[] out = new int[outRank];
            int src = 0;
            for (int d = 0; d < outRank; d++) {
                out[d] = inserted[d] ? 1 : x.shape().dim(src++);
            }
            return new Tensor[] {x.reshape(Shape.of(out))};
        };
    }

    /**
     * Shape: the input's dims as a 1-D int64 tensor, sliced to [start, end) (opset 15+, defaults 0 and rank);
     * negative values add the rank, then both clamp to [0, rank]; start &ge; end gives an empty tensor.
     */
    static OpKernel shape(Node node, long opset) {
        long startAttr = node.attrInt("start", 0);
        Long endAttr = node.has("end") ? node.attrInt("end", 0) : null;
        return (inputs, ctx) -> {
            Tensor x = ShapeIndexing.required(inputs, 0, "data");
            int rank = x.rank();
            int start = clampShapeBound(startAttr, rank);
            int end = endAttr == null ? rank : clampShapeBound(endAttr, rank);
            int n = Math.max(0, end - start);
            long[] dims = Arrays.copyOfRange(x.shape().dimsLong(), start, start + n);
            return new Tensor[] {Tensor.ofLongs(Shape.of(n), dims)};
        };
    }

    private static int clampShapeBound(long v, int rank) {
        long r = v < 0 ? v + rank : v;
        return (int) Math.max(0, Math.min(rank, r));
    }

    /**
     * Constant: exactly one of {@code value} (a tensor), {@code value_float} (float32 scalar), {@code value_floats}
     * (1-D float32), {@code value_int} (int64 scalar) or {@code value_ints} (1-D int64). {@code sparse_value} and
     * the string forms are not supported (KernelException). The same tensor is returned on every run.
     */
    static OpKernel constant(Node node, long opset) {
        Tensor value = constantValue(node);
        return (inputs, ctx) -> new Tensor[] {value};
    }

    private static Tensor constantValue(Node node) {
        if (node.attributes().size() != 1) {
            throw new KernelException("Constant needs exactly one value attribute, has " + node.attributes().keySet());
        }
        String name = node.attributes().keySet().iterator().next();
        return switch (name) {
            case "value" -> node.attr(name).asTensor();
            case "value_float" -> Tensor.scalar(node.attr(name).asFloat());
            case "value_floats" -> {
                float[] v = node.attr(name).asFloats();
                yield Tensor.ofFloats(Shape.of(v.length), v);
            }
            case "value_int" -> Tensor.ofLongs(Shape.scalar(), node.attr(name).asInt());
            case "value_ints" -> {
                long[] v = node.attr(name).asInts();
                yield Tensor.ofLongs(Shape.of(v.length), v);
            }
            case "sparse_value" -> throw new KernelException("Constant with sparse_value is not supported");
            case "value_string", "value_strings" -> throw new KernelException("string constants are not supported");
            default -> throw new KernelException("Constant has the unknown attribute " + name);
        };
    }
}
