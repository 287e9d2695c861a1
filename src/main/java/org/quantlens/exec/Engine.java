package org.quantlens.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.quantlens.ir.Dim;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.TopologicalOrder;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The FP32 reference engine: runs a {@link Model}'s graph node by node with the kernels of a
 * {@link KernelRegistry}.
 *
 * <p>Loading checks everything that does not depend on the data: every operator is supported (else
 * {@code unsupported operator Foo (node bar)}), every attribute is valid, and the graph is acyclic with every
 * input produced somewhere. Running checks the feeds against the declared inputs, then executes in topological
 * order and releases each intermediate right after its last consumer, so peak memory is the live set, not the
 * whole graph. An {@link ActivationTap} sees each float tensor as it is made, except the outputs of
 * {@code Constant} nodes, which are constants rather than activations.
 */
public final class Engine {
    private final Graph graph;
    private final List<Node> order;
    private final List<OpKernel> kernels;
    /** For each step, the values whose last reader is that step (released afterwards). */
    private final List<List<String>> releaseAfter;
    private final ExecContext ctx;
    /** Steps that are Constant nodes: their outputs are constants, not activations, and are not tapped. */
    private final boolean[] isConstant;

    /** Loads with the standard registry and one worker per processor. */
    public static Engine load(Model model) {
        return new Engine(model, KernelRegistry.standard(), ExecContext.defaultContext());
    }

    public Engine(Model model, KernelRegistry registry, ExecContext ctx) {
        this.graph = model.graph();
        this.ctx = ctx;
        List<String> unsupported = unsupportedOperators(model, registry);
        if (!unsupported.isEmpty()) {
            throw new UnsupportedOperatorException(unsupported.get(0)
                    + (unsupported.size() > 1 ? " (and " + (unsupported.size() - 1) + " more)" : ""));
        }
        this.order = TopologicalOrder.sort(graph);
        this.kernels = new ArrayList<>(order.size());
        for (Node n : order) {
            long opset = model.opsets().getOrDefault(n.domain(), model.defaultOpset());
            try {
                kernels.add(registry.find(n.opType()).create(n, opset));
            } catch (KernelException | IllegalArgumentException e) {
                throw new InvalidInputException("node " + n.displayName() + " (" + n.opType() + "): " + e.getMessage(), e);
            }
        }
        this.releaseAfter = computeReleases();
        this.isConstant = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            isConstant[i] = order.get(i).opType().equals("Constant") && order.get(i).domain().isEmpty();
        }
    }

    /**
     * Every node the registry cannot run, as "unsupported operator Foo (node bar)" (operators of other domains as
     * "domain.Foo"), in graph order; empty when the model is fully supported.
     */
    public static List<String> unsupportedOperators(Model model, KernelRegistry registry) {
        List<String> out = new ArrayList<>();
        for (Node n : model.graph().nodes()) {
            if (!n.domain().isEmpty() || !registry.supports(n.opType())) {
                String op = n.domain().isEmpty() ? n.opType() : n.domain() + "." + n.opType();
                out.add("unsupported operator " + op + " (node " + n.displayName() + ")");
            }
        }
        return out;
    }

    private List<List<String>> computeReleases() {
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            for (String in : order.get(i).inputs()) {
                if (!in.isEmpty()) {
                    lastUse.put(in, i);
                }
            }
            // An output nobody reads is released right after it is made (and tapped).
            for (String o : order.get(i).outputs()) {
                if (!o.isEmpty()) {
                    lastUse.putIfAbsent(o, i);
                }
            }
        }
        Set<String> keep = new HashSet<>(graph.outputNames());
        keep.addAll(graph.initializers().keySet());
        List<List<String>> rel = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            rel.add(new ArrayList<>());
        }
        lastUse.forEach((v, i) -> {
            if (!keep.contains(v)) {
                rel.get(i).add(v);
            }
        });
        return rel;
    }

    public Graph graph() {
        return graph;
    }

    /** Nodes in execution order. */
    public List<Node> executionOrder() {
        return order;
    }

    public ExecContext context() {
        return ctx;
    }

    /** Runs with no tap and no cancellation; returns the graph outputs by name. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, ActivationTap.NONE, CancellationToken.none());
    }

    /**
     * Runs the graph on {@code feeds} (by input name) and returns the graph outputs by name, in declared order.
     *
     * @throws InvalidInputException for a missing, extra or ill-shaped feed, or a node whose inputs don't fit it
     *                               (the message names the node)
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, ActivationTap tap, CancellationToken token) {
        Map<String, Tensor> env = new HashMap<>(graph.initializers());
        checkFeeds(feeds);
        for (ValueInfo in : graph.inputs()) {
            Tensor t = feeds.get(in.name());
            env.put(in.name(), t);
            if (t.dtype() == DType.FLOAT32) {
                tap.onTensor(in.name(), t);
            }
        }
        for (int step = 0; step < order.size(); step++) {
            token.throwIfCancelled();
            Node n = order.get(step);
            Tensor[] inputs = new Tensor[n.inputs().size()];
            for (int i = 0; i < inputs.length; i++) {
                String name = n.inputs().get(i);
                inputs[i] = name.isEmpty() ? null : env.get(name);
            }
            Tensor[] outs;
            try {
                outs = kernels.get(step).compute(inputs, ctx);
            } catch (KernelException | IllegalArgumentException | IllegalStateException
                     | IndexOutOfBoundsException | ArithmeticException | ClassCastException e) {
                throw new InvalidInputException("node " + n.displayName() + " (" + n.opType() + "): " + e.getMessage(), e);
            }
            for (int o = 0; o < n.outputs().size(); o++) {
                String name = n.outputs().get(o);
                if (name.isEmpty()) {
                    continue;
                }
                Tensor t = o < outs.length ? outs[o] : null;
                if (t == null) {
                    throw new InvalidInputException("node " + n.displayName() + " (" + n.opType()
                            + ") produced no value for output '" + name + "'");
                }
                env.put(name, t);
                if (t.dtype() == DType.FLOAT32 && !isConstant[step]) {
                    tap.onTensor(name, t);
                }
            }
            for (String r : releaseAfter.get(step)) {
                env.remove(r);
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String out : graph.outputNames()) {
            Tensor t = env.get(out);
            if (t == null) {
                throw new InvalidInputException("graph output '" + out + "' is never produced");
            }
            result.put(out, t);
        }
        return result;
    }

    private void checkFeeds(Map<String, Tensor> feeds) {
        Set<String> extra = new TreeSet<>(feeds.keySet());
        for (ValueInfo in : graph.inputs()) {
            extra.remove(in.name());
            Tensor t = feeds.get(in.name());
            if (t == null) {
                throw new InvalidInputException("missing input '" + in.name() + "' (" + in.typeString() + ")");
            }
            if (in.dtype() != null && t.dtype() != in.dtype()) {
                throw new InvalidInputException("input '" + in.name() + "' is " + t.dtype().displayName()
                        + ", the model expects " + in.typeString());
            }
            if (!fits(t.shape(), in.dims())) {
                throw new InvalidInputException("input '" + in.name() + "' has shape " + t.shape()
                        + ", the model expects " + in.typeString());
            }
        }
        if (!extra.isEmpty()) {
            throw new InvalidInputException("the model has no input named '" + extra.iterator().next()
                    + "' (inputs: " + String.join(", ", graph.inputNames()) + ")");
        }
    }

    /** True when {@code s} matches the declared dims (unknown and symbolic dims match anything). */
    public static boolean fits(Shape s, List<Dim> dims) {
        if (dims == null) {
            return true;
        }
        if (dims.size() != s.rank()) {
            return false;
        }
        for (int i = 0; i < dims.size(); i++) {
            if (dims.get(i).isKnown() && dims.get(i).value() != s.dim(i)) {
                return false;
            }
        }
        return true;
    }
}
