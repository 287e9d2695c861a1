package org.quantlens.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 *
 * <p>A run without a tap observes only the graph outputs, which allows two shortcuts with bit-identical results: a
 * kernel may write over an input array that dies with it ({@link InPlaceKernel}), and a node with a
 * {@link ClampFusionFactory} (Conv) computes the Relu or constant-bound Clip that is its output's only reader in the
 * same pass. Such a run also recycles output arrays ({@link OutputArrays}): when an intermediate dies, its array,
 * if the run's pool handed it out and no live value shares it, serves a later node or run that asks for the same
 * length, so a steady stream of runs allocates and zeroes almost nothing. Graph outputs are never recycled: they
 * belong to the caller. Concurrent runs on one engine each use their own pool.
 */
public final class Engine {
    private final Graph graph;
    private final List<Node> order;
    private final OpKernel[] kernels;
    private final ExecContext ctx;
    /** Steps that are Constant nodes: their outputs are constants, not activations, and are not tapped. */
    private final boolean[] isConstant;
    /** Every value name gets a slot; a run keeps its tensors in one array indexed by slot. */
    private final Map<String, Integer> slots = new HashMap<>();
    /** Slot names, for taps and messages. */
    private final List<String> slotNames = new ArrayList<>();
    /** Initializers in their slots: a run starts from a copy of this. */
    private final Tensor[] initialValues;
    /** Per step: slot of each node input (-1 for an omitted optional input). */
    private final int[][] inputSlots;
    /** Per step: slot of each node output (-1 for an unnamed output). */
    private final int[][] outputSlots;
    /** Per step: the slots whose last reader is that step (released afterwards). */
    private final int[][] releaseAfter;
    /**
     * Per step: for an {@link InPlaceKernel}, which inputs may be overwritten as far as the graph alone tells (last
     * read here, read once, not a graph input, initializer, graph output or Constant value); null otherwise.
     */
    private final boolean[][] inPlaceCandidates;
    private final int[] graphInputSlots;
    private final int[] graphOutputSlots;
    /** Conv + Clip/Relu pairs computed as one kernel when no tap watches. */
    private final ClampFusionPlan fusions;
    /** Output arrays kept between untapped runs: one pool per run in progress, at most one per concurrent run. */
    private final ConcurrentLinkedQueue<OutputPool> pools = new ConcurrentLinkedQueue<>();

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
        this.kernels = new OpKernel[order.size()];
        this.isConstant = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            long opset = model.opsets().getOrDefault(n.domain(), model.defaultOpset());
            try {
                kernels[i] = registry.find(n.opType()).create(n, opset);
            } catch (KernelException | IllegalArgumentException e) {
                throw new InvalidInputException("node " + n.displayName() + " (" + n.opType() + "): " + e.getMessage(), e);
            }
            isConstant[i] = n.opType().equals("Constant") && n.domain().isEmpty();
        }
        graph.initializers().keySet().forEach(this::slot);
        this.graphInputSlots = graph.inputs().stream().mapToInt(v -> slot(v.name())).toArray();
        this.inputSlots = new int[order.size()][];
        this.outputSlots = new int[order.size()][];
        for (int i = 0; i < order.size(); i++) {
            inputSlots[i] = order.get(i).inputs().stream().mapToInt(v -> v.isEmpty() ? -1 : slot(v)).toArray();
            outputSlots[i] = order.get(i).outputs().stream().mapToInt(v -> v.isEmpty() ? -1 : slot(v)).toArray();
        }
        this.graphOutputSlots = graph.outputNames().stream().mapToInt(this::slot).toArray();
        this.initialValues = new Tensor[slotNames.size()];
        graph.initializers().forEach((name, t) -> initialValues[slots.get(name)] = t);
        this.releaseAfter = computeReleases();
        this.inPlaceCandidates = computeInPlaceCandidates();
        this.fusions = new ClampFusionPlan(model, registry, order, inputSlots, outputSlots, graphOutputSlots,
                slotNames.size());
    }

    private int slot(String name) {
        Integer s = slots.get(name);
        if (s == null) {
            s = slotNames.size();
            slots.put(name, s);
            slotNames.add(name);
        }
        return s;
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

    private int[][] computeReleases() {
        int[] lastUse = lastUses();
        Set<String> keep = new HashSet<>(graph.outputNames());
        keep.addAll(graph.initializers().keySet());
        List<List<Integer>> rel = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            rel.add(new ArrayList<>());
        }
        for (int v = 0; v < lastUse.length; v++) {
            if (lastUse[v] >= 0 && !keep.contains(slotNames.get(v))) {
                rel.get(lastUse[v]).add(v);
            }
        }
        int[][] out = new int[order.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rel.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** Per slot, the last step reading it; a value nobody reads, the step making it; -1 for neither. */
    private int[] lastUses() {
        int[] lastUse = new int[slotNames.size()];
        java.util.Arrays.fill(lastUse, -1);
        for (int i = 0; i < order.size(); i++) {
            for (int in : inputSlots[i]) {
                if (in >= 0) {
                    lastUse[in] = i;
                }
            }
            // An output nobody reads is released right after it is made (and tapped).
            for (int o : outputSlots[i]) {
                if (o >= 0 && lastUse[o] < 0) {
                    lastUse[o] = i;
                }
            }
        }
        return lastUse;
    }

    private boolean[][] computeInPlaceCandidates() {
        Set<Integer> fixed = new HashSet<>();
        for (int s : graphInputSlots) {
            fixed.add(s);
        }
        for (int s : graphOutputSlots) {
            fixed.add(s);
        }
        graph.initializers().keySet().forEach(name -> fixed.add(slots.get(name)));
        for (int i = 0; i < order.size(); i++) {
            if (isConstant[i]) {
                for (int o : outputSlots[i]) {
                    fixed.add(o);
                }
            }
        }
        boolean[][] out = new boolean[order.size()][];
        for (int i = 0; i < order.size(); i++) {
            if (!(kernels[i] instanceof InPlaceKernel)) {
                continue;
            }
            int[] ins = inputSlots[i];
            boolean[] ok = new boolean[ins.length];
            boolean any = false;
            for (int k = 0; k < ins.length; k++) {
                int s = ins[k];
                ok[k] = s >= 0 && !fixed.contains(s) && contains(releaseAfter[i], s) && count(ins, s) == 1;
                any |= ok[k];
            }
            out[i] = any ? ok : null;
        }
        return out;
    }

    private static boolean contains(int[] a, int v) {
        return count(a, v) > 0;
    }

    private static int count(int[] a, int v) {
        int c = 0;
        for (int x : a) {
            c += x == v ? 1 : 0;
        }
        return c;
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
        checkFeeds(feeds);
        if (tap != ActivationTap.NONE) {
            return execute(feeds, tap, token, null);
        }
        // Without a tap nobody sees intermediates, so their arrays may serve later nodes (OutputArrays).
        OutputPool pool = pools.poll();
        if (pool == null) {
            pool = new OutputPool();
        }
        OutputPool previous = OutputArrays.activate(pool);
        try {
            return execute(feeds, tap, token, pool);
        } finally {
            pool.endRun();
            OutputArrays.restore(previous);
            pools.offer(pool);
        }
    }

    /** One run; {@code pool} (null with a tap) takes back the arrays of released values. */
    private Map<String, Tensor> execute(Map<String, Tensor> feeds, ActivationTap tap, CancellationToken token,
                                        OutputPool pool) {
        Tensor[] env = initialValues.clone();
        // Arrays the caller or a kernel still holds although their slot may be gone: never written in place.
        List<Object> foreign = new ArrayList<>();
        for (int i = 0; i < graphInputSlots.length; i++) {
            Tensor t = feeds.get(graph.inputs().get(i).name());
            env[graphInputSlots[i]] = t;
            foreign.add(t.data());
            if (t.dtype() == DType.FLOAT32) {
                tap.onTensor(slotNames.get(graphInputSlots[i]), t);
            }
        }
        // without a tap nobody observes intermediates: results may overwrite dying inputs, activations fuse
        boolean unobserved = tap == ActivationTap.NONE;
        for (int step = 0; step < order.size(); step++) {
            token.throwIfCancelled();
            if (unobserved && fusions.absorbed[step]) {
                releaseAfter(step, env, pool, foreign); // its fused producer already made its outputs
                continue;
            }
            int[] ins = inputSlots[step];
            Tensor[] inputs = new Tensor[ins.length];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = ins[i] < 0 ? null : env[ins[i]];
            }
            if (unobserved && fusions.fusedKernels[step] != null) {
                storeOutputs(fusions.absorbedStep[step], run(step, fusions.fusedKernels[step], inputs), env, tap,
                        foreign);
                releaseAfter(step, env, pool, foreign);
                continue;
            }
            Tensor[] outs = compute(step, inputs, unobserved ? writable(step, env, foreign) : null);
            storeOutputs(step, outs, env, tap, foreign);
            releaseAfter(step, env, pool, foreign);
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (int i = 0; i < graphOutputSlots.length; i++) {
            Tensor t = env[graphOutputSlots[i]];
            if (t == null) {
                throw new InvalidInputException("graph output '" + graph.outputNames().get(i) + "' is never produced");
            }
            result.put(graph.outputNames().get(i), t);
        }
        return result;
    }

    /**
     * Clears the slots whose last reader was {@code step}; with a pool, an array it handed out in this run goes back
     * to it once no live slot (a view such as Reshape, an in-place result) and no foreign holder shares it.
     */
    private void releaseAfter(int step, Tensor[] env, OutputPool pool, List<Object> foreign) {
        for (int r : releaseAfter[step]) {
            Tensor t = env[r];
            env[r] = null;
            if (pool != null && t != null && t.data() instanceof float[] a && pool.owns(a)
                    && !isShared(a, r, env, foreign)) {
                pool.recycle(a);
            }
        }
    }

    /** Runs one step's kernel, in place when {@code writable} allows it and the kernel accepts. */
    private Tensor[] compute(int step, Tensor[] inputs, boolean[] writable) {
        if (writable != null) {
            try {
                Tensor[] outs = ((InPlaceKernel) kernels[step]).computeInPlace(inputs, writable, ctx);
                if (outs != null) {
                    return outs;
                }
            } catch (KernelException | IllegalArgumentException | IllegalStateException
                     | IndexOutOfBoundsException | ArithmeticException | ClassCastException e) {
                throw nodeError(step, e);
            }
        }
        return run(step, kernels[step], inputs);
    }

    /** Runs {@code kernel} for {@code step}; a kernel's complaint becomes an error naming the node. */
    private Tensor[] run(int step, OpKernel kernel, Tensor[] inputs) {
        try {
            return kernel.compute(inputs, ctx);
        } catch (KernelException | IllegalArgumentException | IllegalStateException
                 | IndexOutOfBoundsException | ArithmeticException | ClassCastException e) {
            throw nodeError(step, e);
        }
    }

    private InvalidInputException nodeError(int step, RuntimeException e) {
        Node n = order.get(step);
        return new InvalidInputException("node " + n.displayName() + " (" + n.opType() + "): " + e.getMessage(), e);
    }

    /**
     * Which inputs of {@code step} may be overwritten in this run: the graph-level candidates whose array no other
     * live value and no foreign holder shares (views such as Reshape share arrays); null when none may.
     */
    private boolean[] writable(int step, Tensor[] env, List<Object> foreign) {
        boolean[] candidates = inPlaceCandidates[step];
        if (candidates == null) {
            return null;
        }
        boolean[] ok = null;
        int[] ins = inputSlots[step];
        for (int k = 0; k < ins.length; k++) {
            Tensor t = candidates[k] ? env[ins[k]] : null;
            if (t != null && !isShared(t.data(), ins[k], env, foreign)) {
                if (ok == null) {
                    ok = new boolean[ins.length];
                }
                ok[k] = true;
            }
        }
        return ok;
    }

    private static boolean isShared(Object data, int slot, Tensor[] env, List<Object> foreign) {
        for (Object f : foreign) {
            if (f == data) {
                return true;
            }
        }
        for (int s = 0; s < env.length; s++) {
            if (s != slot && env[s] != null && env[s].data() == data) {
                return true;
            }
        }
        return false;
    }

    private void storeOutputs(int step, Tensor[] outs, Tensor[] env, ActivationTap tap, List<Object> foreign) {
        Node n = order.get(step);
        int[] slotsOut = outputSlots[step];
        for (int o = 0; o < slotsOut.length; o++) {
            if (slotsOut[o] < 0) {
                continue;
            }
            Tensor t = o < outs.length ? outs[o] : null;
            if (t == null) {
                throw new InvalidInputException("node " + n.displayName() + " (" + n.opType()
                        + ") produced no value for output '" + n.outputs().get(o) + "'");
            }
            env[slotsOut[o]] = t;
            if (isConstant[step]) {
                foreign.add(t.data());
            } else if (t.dtype() == DType.FLOAT32) {
                tap.onTensor(n.outputs().get(o), t);
            }
        }
    }

    private void checkFeeds(Map<String, Tensor> feeds) {
        for (ValueInfo in : graph.inputs()) {
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
        if (feeds.size() == graph.inputs().size()) {
            return;  // every input was found, so no feed is left over
        }
        Set<String> extra = new TreeSet<>(feeds.keySet());
        graph.inputs().forEach(in -> extra.remove(in.name()));
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
