package org.quantlens.exec;

import org.quantlens.tensor.Tensor;

/**
 * A prepared operator instance for one node. Attributes were parsed and checked when it was created
 * ({@link KernelFactory#create}); {@code compute} only does the arithmetic.
 *
 * <p>{@code inputs} is aligned with the node's input list: element i is the value of input i, or null when that
 * optional input is omitted (empty name). It may be shorter than the operator's maximum arity. The result holds one
 * tensor per node output (an output the node does not name may be null). Kernels never mutate their inputs.
 * A kernel reports bad runtime values (shape mismatch, index out of range) with {@link KernelException}.
 */
@FunctionalInterface
public interface OpKernel {
    Tensor[] compute(Tensor[] inputs, ExecContext ctx);
}
