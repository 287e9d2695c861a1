package org.quantlens.exec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Which steps of an {@link Engine}'s order compute the Relu or Clip that follows them in the same pass (a
 * {@link ClampFusionFactory}, Conv's). A pair qualifies when the producer's only output has that activation as its
 * single reader (as input 0), is no graph output, and the Clip's bounds are constant (attributes before opset 11,
 * float32 one-value initializers or absent from 11 on). The engine uses the plan only in runs without a tap, where
 * the pre-activation tensor is unobserved.
 */
final class ClampFusionPlan {
    private final Graph graph;
    /** Per step: the fused kernel (producer + activation), or null. */
    final OpKernel[] fusedKernels;
    /** Per step with a fused kernel: the step of the absorbed activation, whose outputs the fused kernel makes. */
    final int[] absorbedStep;
    /** Per step: true for an activation a fused kernel computes (skipped when fusing). */
    final boolean[] absorbed;

    /**
     * Finds each node with a {@link ClampFusionFactory} whose only output has a single reader, a Relu or a Clip
     * with constant bounds (attributes, initializers or absent), and is no graph output; prepares the fused kernel.
     */
    ClampFusionPlan(Model model, KernelRegistry registry, List<Node> order, int[][] inputSlots, int[][] outputSlots,
                    int[] graphOutputSlots, int slotCount) {
        this.graph = model.graph();
        this.fusedKernels = new OpKernel[order.size()];
        this.absorbedStep = new int[order.size()];
        this.absorbed = new boolean[order.size()];
        int[] readers = new int[slotCount];
        int[] readerStep = new int[slotCount];
        for (int i = 0; i < order.size(); i++) {
            for (int in : inputSlots[i]) {
                if (in >= 0) {
                    readers[in]++;
                    readerStep[in] = i;
                }
            }
        }
        Set<Integer> outputs = new HashSet<>();
        for (int s : graphOutputSlots) {
            outputs.add(s);
        }
        for (int step = 0; step < order.size(); step++) {
            Node n = order.get(step);
            ClampFusionFactory fusion = n.domain().isEmpty() ? registry.findClampFusion(n.opType()) : null;
            if (fusion == null || outputSlots[step].length != 1 || outputSlots[step][0] < 0) {
                continue;
            }
            int y = outputSlots[step][0];
            if (readers[y] != 1 || outputs.contains(y) || inputSlots[readerStep[y]][0] != y) {
                continue;
            }
            int act = readerStep[y];
            float[] bounds = clampBounds(order.get(act), model.opsets().getOrDefault("", model.defaultOpset()));
            if (bounds == null || absorbed[step]) {
                continue;
            }
            try {
                fusedKernels[step] = fusion.create(n, model.opsets().getOrDefault("", model.defaultOpset()),
                        bounds[0], bounds[1]);
            } catch (KernelException | IllegalArgumentException e) {
                throw new InvalidInputException("node " + n.displayName() + " (" + n.opType() + "): " + e.getMessage(), e);
            }
            absorbedStep[step] = act;
            absorbed[act] = true;
        }
    }

    /** {min, max} of a Relu or a Clip with constant float bounds, as the Clip kernel reads them; else null. */
    private float[] clampBounds(Node act, long opset) {
        if (!act.domain().isEmpty() || act.outputs().size() != 1) {
            return null;
        }
        if (act.opType().equals("Relu") && act.inputs().size() == 1) {
            return new float[] {0f, Float.POSITIVE_INFINITY};
        }
        if (!act.opType().equals("Clip")) {
            return null;
        }
        if (opset < 11) {
            return new float[] {act.attrFloat("min", -Float.MAX_VALUE), act.attrFloat("max", Float.MAX_VALUE)};
        }
        float[] bounds = {-Float.MAX_VALUE, Float.MAX_VALUE};
        for (int k = 1; k <= 2; k++) {
            if (k < act.inputs().size() && !act.inputs().get(k).isEmpty()) {
                Tensor b = graph.initializers().get(act.inputs().get(k));
                if (b == null || b.dtype() != DType.FLOAT32 || b.size() != 1) {
                    return null;
                }
                bounds[k - 1] = b.floats()[0];
            }
        }
        return act.inputs().size() <= 3 ? bounds : null;
    }
}
