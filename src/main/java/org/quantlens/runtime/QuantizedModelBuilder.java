package org.quantlens.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelFactory;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.UnsupportedOperatorException;
import org.quantlens.ir.BatchNormFolding;
import org.quantlens.ir.ConstantNodes;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.TopologicalOrder;
import org.quantlens.ir.ValueInfo;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Turns an FP32 model and a {@link CalibrationTable} into a {@link QuantizedModel}:
 * <ol>
 *   <li>Conv/Gemm + BatchNormalization are folded first ({@link BatchNormFolding}; folded weights get new names, so
 *       their parameters are computed from the folded weights, never taken from a stale table entry);</li>
 *   <li>a graph input with a table entry is quantized with it; every activation entry gives
 *       {@code QuantParams(scale, zero_point)} on the code range of the table's activation scheme
 *       ({@code uint8-asymmetric} -> UINT8 [0, 255], signed schemes -> INT8);</li>
 *   <li>in topological order each node gets an integer kernel ({@link IntegerSteps}: weights int8, bias int32 with
 *       scale {@code s_in * s_w}, a Relu/Clip that only it feeds folded into its output clamp), or else falls back:
 *       quantized inputs are dequantized, the FP32 kernel of {@link KernelRegistry#standard()} runs, and each float
 *       output with a table entry is quantized with it (one without stays float).</li>
 * </ol>
 * Every fallback is listed as {@code "name (Op)"}, except Shape and Constant, which compute no activations.
 */
public final class QuantizedModelBuilder {
    private static final Set<String> BOOKKEEPING = Set.of("Shape", "Constant");

    private QuantizedModelBuilder() {
    }

    /**
     * Builds the quantized model.
     *
     * @throws InvalidInputException when a table entry is invalid for the scheme (names the tensor), the activation
     *                               scheme is wider than 8 bits, or a node has neither an integer nor an FP32 kernel
     */
    public static QuantizedModel build(Model fp32, CalibrationTable table, RuntimeOptions opts) {
        return build(fp32, table, opts, KernelRegistry.standard());
    }

    /**
     * As {@link #build(Model, CalibrationTable, RuntimeOptions)} with the FP32 kernels for fallbacks (and the
     * dtype-generic data movers) taken from {@code fp32Kernels}.
     */
    public static QuantizedModel build(Model fp32, CalibrationTable table, RuntimeOptions opts,
                                       KernelRegistry fp32Kernels) {
        // Constant nodes (PyTorch's ReLU6 bounds) as initializers, so Clip after Conv folds into its clamp.
        Model constants = ConstantNodes.toInitializers(fp32);
        Model model = opts.foldBatchNorm() ? BatchNormFolding.fold(constants) : constants;
        return new Run(model, table, opts, fp32Kernels).build();
    }

    /** The code range of the table's activation scheme. */
    static QuantSpec activationSpec(CalibrationTable table) {
        CalibrationTable.ActivationSpec a = table.activations();
        QuantSpec spec = a == null ? QuantSpec.activationsDefault()
                : QuantSpec.of(QuantScheme.fromCliName(a.scheme()), a.bits());
        if (spec.bits() > 8) {
            throw new InvalidInputException("the INT8 runtime needs activations of at most 8 bits, the table has "
                    + spec.bits());
        }
        return spec;
    }

    private static final class Run implements IntegerSteps.Context {
        private final Model model;
        private final Graph graph;
        private final CalibrationTable table;
        private final RuntimeOptions opts;
        private final KernelRegistry registry;
        private final QuantSpec actSpec;
        private final Map<String, QuantParams> params = new LinkedHashMap<>();
        private final Map<String, List<Node>> consumers = new HashMap<>();
        private final Set<Node> absorbed = new HashSet<>();

        Run(Model model, CalibrationTable table, RuntimeOptions opts, KernelRegistry registry) {
            this.model = model;
            this.graph = model.graph();
            this.table = table;
            this.opts = opts;
            this.registry = registry;
            this.actSpec = activationSpec(table);
            for (Node n : graph.nodes()) {
                for (String in : n.inputs()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }

        QuantizedModel build() {
            for (ValueInfo in : graph.inputs()) {
                QuantParams p = tableParams(in.name());
                if (p != null && (in.dtype() == null || in.dtype() == DType.FLOAT32)) {
                    params.put(in.name(), p);
                }
            }
            List<QuantizedStep> steps = new ArrayList<>();
            List<String> fallbacks = new ArrayList<>();
            IntegerSteps integer = new IntegerSteps(this);
            for (Node n : TopologicalOrder.sort(graph)) {
                if (absorbed.contains(n)) {
                    continue;
                }
                IntegerSteps.Built b = tryInteger(integer, n);
                if (b != null) {
                    steps.add(b.step());
                    if (b.outParams() != null) {
                        params.put(b.output(), b.outParams());
                    }
                    if (b.fused() != null) {
                        absorbed.add(b.fused());
                    }
                } else {
                    steps.add(fallback(n));
                    if (!BOOKKEEPING.contains(n.opType())) {
                        fallbacks.add(n.displayName() + " (" + n.opType() + ")");
                    }
                }
            }
            return new QuantizedModel(model, steps, params, fallbacks, opts);
        }

        private IntegerSteps.Built tryInteger(IntegerSteps integer, Node n) {
            try {
                return integer.build(n);
            } catch (KernelException | IllegalArgumentException e) {
                return null; // attributes or weights the integer kernels don't cover: run it in FP32
            }
        }

        private QuantizedStep fallback(Node n) {
            KernelFactory f = n.domain().isEmpty() ? registry.find(n.opType()) : null;
            if (f == null) {
                throw new UnsupportedOperatorException("unsupported operator " + n.opType() + " (node "
                        + n.displayName() + ")");
            }
            OpKernel fp32;
            try {
                fp32 = f.create(n, opset(n));
            } catch (KernelException | IllegalArgumentException e) {
                throw new InvalidInputException("node " + n.displayName() + " (" + n.opType() + "): " + e.getMessage(), e);
            }
            QuantParams[] in = new QuantParams[n.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = n.hasInput(i) ? params.get(n.input(i)) : null;
            }
            QuantParams[] out = new QuantParams[n.outputs().size()];
            for (int o = 0; o < out.length; o++) {
                if (!n.outputs().get(o).isEmpty() && !BOOKKEEPING.contains(n.opType())) {
                    out[o] = tableParams(n.outputs().get(o));
                    if (out[o] != null) {
                        params.put(n.outputs().get(o), out[o]);
                    }
                }
            }
            OpKernel k = (inputs, ctx) -> {
                Tensor[] floats = new Tensor[inputs.length];
                for (int i = 0; i < inputs.length; i++) {
                    floats[i] = in[i] != null && inputs[i] != null ? QuantTensors.dequantize(inputs[i], in[i]) : inputs[i];
                }
                Tensor[] res = fp32.compute(floats, ctx);
                for (int o = 0; o < res.length && o < out.length; o++) {
                    if (out[o] != null && res[o] != null && res[o].dtype() == DType.FLOAT32) {
                        res[o] = QuantTensors.quantize(res[o], out[o]);
                    }
                }
                return res;
            };
            return new QuantizedStep(n.displayName(), n.opType(), n.inputs(), n.outputs(), k, true);
        }

        @Override
        public Graph graph() {
            return graph;
        }

        @Override
        public QuantParams params(String value) {
            return params.get(value);
        }

        @Override
        public QuantParams tableParams(String value) {
            if (!(table.tensors().get(value) instanceof ActivationEntry e)) {
                return null;
            }
            try {
                return new QuantParams((float) e.scale(), e.zeroPoint(), actSpec.qmin(), actSpec.qmax());
            } catch (IllegalArgumentException ex) {
                throw new InvalidInputException("calibration table entry '" + value + "': " + ex.getMessage(), ex);
            }
        }

        @Override
        public Node fusableActivation(Node producer) {
            String out = producer.outputs().size() == 1 ? producer.outputs().get(0) : "";
            List<Node> readers = consumers.getOrDefault(out, List.of());
            if (out.isEmpty() || readers.size() != 1 || graph.outputNames().contains(out)) {
                return null;
            }
            Node act = readers.get(0);
            boolean isAct = act.domain().isEmpty() && act.input(0).equals(out)
                    && (act.opType().equals("Relu") || act.opType().equals("Clip"));
            return isAct && ActivationClamp.of(act, graph, opset(act)) != null ? act : null;
        }

        @Override
        public long opset(Node n) {
            return model.opsets().getOrDefault(n.domain(), model.defaultOpset());
        }

        @Override
        public RuntimeOptions options() {
            return opts;
        }

        @Override
        public CalibrationTable table() {
            return table;
        }

        @Override
        public KernelRegistry fp32() {
            return registry;
        }
    }
}
