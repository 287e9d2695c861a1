package org.quantlens.exec;

import org.quantlens.ir.Node;

/**
 * Creates one kernel for a node followed by {@code Clip(min, max)} or {@code Relu} ({@code min = 0, max = +inf}):
 * the node's output clamped to {@code min(max, max(y, min))}, bit-identical to running the node and then the
 * engine's Clip or Relu. The {@link Engine} uses it only when nothing else observes the pre-activation tensor.
 */
@FunctionalInterface
public interface ClampFusionFactory {
    OpKernel create(Node node, long opset, float min, float max);
}
