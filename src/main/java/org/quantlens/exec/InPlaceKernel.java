package org.quantlens.exec;

import org.quantlens.tensor.Tensor;

/**
 * A kernel that can also write its output over the array of one of its inputs (an activation after a convolution,
 * a residual Add), which saves allocating, zeroing and later collecting one tensor per node.
 *
 * <p>The {@link Engine} calls {@link #computeInPlace} instead of {@link #compute} only when it has proved that
 * nobody can see the overwritten input any more: the input's last reader is this node, it is no graph input,
 * initializer, graph output or Constant value, no other live value shares its array, and no {@link ActivationTap}
 * is attached (a tap could have kept the tensor it was shown). {@code writable[i]} is true for each input that may be
 * overwritten; the kernel may also decline (return null), and the engine then calls {@link #compute}. Both paths
 * must give bit-identical results.
 */
public interface InPlaceKernel extends OpKernel {
    /**
     * The same result as {@link #compute}, possibly stored in the array of an input whose {@code writable} entry is
     * true; null when the kernel does not do these inputs in place (nothing was written then).
     */
    Tensor[] computeInPlace(Tensor[] inputs, boolean[] writable, ExecContext ctx);
}
