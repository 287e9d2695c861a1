package org.quantlens.exec.kernels;

import java.util.function.Function;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.InPlaceKernel;
import org.quantlens.exec.OpKernel;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Tensor;

/**
 * An elementwise activation (Relu, Clip, Sigmoid, ...) that the engine may run in place: {@link #compute} is the
 * operator's ordinary kernel for every type; {@link #computeInPlace} runs the same float32 loop with the input's
 * own array as output. Each output element depends only on the input element with the same index, so writing over
 * the input gives bit-identical results.
 */
final class FloatMapKernel implements InPlaceKernel {
    private final long costPerItem;
    private final Function<Tensor[], ActivationKernels.FloatLoop> floatLoop;
    private final OpKernel general;

    /**
     * @param floatLoop the float32 loop for given inputs (X already known to be float32), or null when these inputs
     *                  must go through {@code general} (which then reports what is wrong with them)
     * @param general   the kernel for every input type, the reference of the in-place path
     */
    FloatMapKernel(long costPerItem, Function<Tensor[], ActivationKernels.FloatLoop> floatLoop, OpKernel general) {
        this.costPerItem = costPerItem;
        this.floatLoop = floatLoop;
        this.general = general;
    }

    @Override
    public Tensor[] compute(Tensor[] inputs, ExecContext ctx) {
        return general.compute(inputs, ctx);
    }

    @Override
    public Tensor[] computeInPlace(Tensor[] inputs, boolean[] writable, ExecContext ctx) {
        Tensor x = inputs.length > 0 ? inputs[0] : null;
        if (x == null || !writable[0] || x.dtype() != DType.FLOAT32) {
            return null;
        }
        ActivationKernels.FloatLoop loop = floatLoop.apply(inputs);
        if (loop == null) {
            return null;
        }
        float[] data = x.floats();
        ctx.parallelFor(data.length, costPerItem, (s, e) -> loop.run(data, data, s, e));
        return new Tensor[] {Tensor.of(DType.FLOAT32, x.shape(), data)};
    }
}
