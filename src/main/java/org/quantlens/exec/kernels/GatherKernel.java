package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Gather (ONNX, opset 1-13): picks slices of {@code data} along {@code axis} (default 0, negative counts from the
 * end) at the positions in {@code indices} (any integer type, any rank, negative counts from the end). Output shape
 * is {@code data.shape[:axis] + indices.shape + data.shape[axis+1:]}; a scalar index removes the axis. Works for
 * every data dtype. KernelException for an index outside [-s, s-1], s = data.shape[axis].
 */
final class GatherKernel {
    private GatherKernel() {
    }

    static OpKernel create(Node node, long opset) {
        long axisAttr = node.attrInt("axis", 0);
        return (inputs, ctx) -> {
            Tensor data = ShapeIndexing.required(inputs, 0, "data");
            Tensor indices = ShapeIndexing.required(inputs, 1, "indices");
            int axis = ShapeIndexing.axis(axisAttr, data.rank(), "axis");
            return new Tensor[] {gather(data, ShapeIndexing.integers(indices, "indices"), indices.shape(), axis)};
        };
    }

    static Tensor gather(Tensor data, long[] indices, Shape indexShape, int axis) {
        int[] dims = data.shape().dims();
        int[] strides = data.shape().strides();
        int size = dims[axis];
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= dims[d];
        }
        int inner = strides[axis];
        int[] outerOffsets = new int[outer];
        for (int o = 0; o < outer; o++) {
            outerOffsets[o] = o * size * inner;
        }
        int[] indexOffsets = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            long k = indices[i];
            if (k < -size || k >= size) {
                throw new KernelException("index " + k + " is out of range for axis " + axis + " of size " + size);
            }
            indexOffsets[i] = (int) (k < 0 ? k + size : k) * inner;
        }
        int[] innerOffsets = new int[inner];
        for (int i = 0; i < inner; i++) {
            innerOffsets[i] = i;
        }
        // Gather the [outer, indices, inner] view, then give it the real output shape.
        Shape view = Shape.of(outer, indices.length, inner);
        Tensor flat = ShapeIndexing.gather(data, view, new int[][] {outerOffsets, indexOffsets, innerOffsets}, null);
        int[] outDims = new int[dims.length - 1 + indexShape.rank()];
        System.arraycopy(dims, 0, outDims, 0, axis);
        System.arraycopy(indexShape.dims(), 0, outDims, axis, indexShape.rank());
        System.arraycopy(dims, axis + 1, outDims, axis + indexShape.rank(), dims.length - axis - 1);
        return flat.reshape(Shape.of(outDims));
    }
}
