package org.quantlens.exec;

import org.quantlens.ir.Node;

/**
 * Creates the kernel for one node. {@code opset} is the model's import version of the node's domain, for operators
 * whose semantics changed between versions (e.g. Clip's min/max moved from attributes to inputs at 11).
 * Throws {@link KernelException} for attributes the operator does not accept (unknown mode, bad rank).
 */
@FunctionalInterface
public interface KernelFactory {
    OpKernel create(Node node, long opset);
}
