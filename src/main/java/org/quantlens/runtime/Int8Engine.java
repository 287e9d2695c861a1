package org.quantlens.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.exec.ActivationTap;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Graph;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Runs a {@link QuantizedModel} on float inputs: each graph input with parameters is quantized (ONNX QuantizeLinear),
 * the steps run in order on 8-bit codes (fallback steps in float), and the graph outputs come back dequantized
 * ({@code float32(q - zp) * scale}). An {@link ActivationTap} sees each graph input as the engine holds it (quantized then
 * dequantized) and every value a step writes, dequantized, under its graph name (the input of a fused Relu/Clip is never materialised, so it is not tapped). Intermediates are released
 * after their last reader.
 */
public final class Int8Engine {
    private final QuantizedModel model;
    private final ExecContext ctx;
    private final List<List<String>> releaseAfter = new ArrayList<>();

    public Int8Engine(QuantizedModel model, ExecContext ctx) {
        this.model = model;
        this.ctx = ctx;
        Map<String, Integer> lastUse = new HashMap<>();
        List<QuantizedStep> steps = model.steps();
        for (int i = 0; i < steps.size(); i++) {
            releaseAfter.add(new ArrayList<>());
            for (String in : steps.get(i).inputs()) {
                lastUse.put(in, i);
            }
            for (String out : steps.get(i).outputs()) {
                lastUse.putIfAbsent(out, i);
            }
        }
        Graph g = model.model().graph();
        Set<String> keep = new HashSet<>(g.outputNames());
        keep.addAll(g.initializers().keySet());
        lastUse.forEach((v, i) -> {
            if (!keep.contains(v) && !v.isEmpty()) {
                releaseAfter.get(i).add(v);
            }
        });
    }

    public QuantizedModel model() {
        return model;
    }

    /** The nodes that run as FP32 fallbacks, {@code "name (Op)"}. */
    public List<String> fallbackNodes() {
        return model.fallbackNodes();
    }

    /** Runs without a tap; returns the graph outputs (float32 where quantized) by name. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, ActivationTap.NONE, CancellationToken.none());
    }

    /**
     * Runs on {@code feeds} (float32 for quantized inputs) and returns the graph outputs by name, dequantized.
     *
     * @throws InvalidInputException for a missing or unexpected feed, or a step whose inputs don't fit it (names it)
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, ActivationTap tap, CancellationToken token) {
        Graph g = model.model().graph();
        Map<String, Tensor> env = new HashMap<>(g.initializers());
        for (ValueInfo in : g.inputs()) {
            Tensor t = feeds.get(in.name());
            if (t == null) {
                throw new InvalidInputException("missing input '" + in.name() + "' (" + in.typeString() + ")");
            }
            QuantParams p = model.paramsOf(in.name());
            Tensor fed = p != null && t.dtype() == DType.FLOAT32 ? QuantTensors.quantize(t, p) : t;
            env.put(in.name(), fed);
            tapFloat(tap, in.name(), fed);
        }
        for (String name : feeds.keySet()) {
            if (!g.inputNames().contains(name)) {
                throw new InvalidInputException("the model has no input named '" + name + "'");
            }
        }
        List<QuantizedStep> steps = model.steps();
        for (int i = 0; i < steps.size(); i++) {
            token.throwIfCancelled();
            runStep(steps.get(i), env, tap);
            for (String r : releaseAfter.get(i)) {
                env.remove(r);
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String out : g.outputNames()) {
            Tensor t = env.get(out);
            if (t == null) {
                throw new InvalidInputException("graph output '" + out + "' is never produced");
            }
            result.put(out, asFloat(out, t));
        }
        return result;
    }

    private void runStep(QuantizedStep s, Map<String, Tensor> env, ActivationTap tap) {
        Tensor[] inputs = new Tensor[s.inputs().size()];
        for (int j = 0; j < inputs.length; j++) {
            String name = s.inputs().get(j);
            inputs[j] = name.isEmpty() ? null : env.get(name);
        }
        Tensor[] outs;
        try {
            outs = s.kernel().compute(inputs, ctx);
        } catch (KernelException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                 | ArithmeticException | ClassCastException e) {
            throw new InvalidInputException("node " + s.name() + " (" + s.op() + "): " + e.getMessage(), e);
        }
        for (int o = 0; o < s.outputs().size(); o++) {
            String name = s.outputs().get(o);
            if (name.isEmpty()) {
                continue;
            }
            Tensor t = o < outs.length ? outs[o] : null;
            if (t == null) {
                throw new InvalidInputException("node " + s.name() + " (" + s.op() + ") produced no value for '"
                        + name + "'");
            }
            env.put(name, t);
            tapFloat(tap, name, t);
        }
    }

    /** Shows {@code t} (dequantized) to a real tap; {@link ActivationTap#NONE} costs no dequantization. */
    private void tapFloat(ActivationTap tap, String name, Tensor t) {
        if (tap == ActivationTap.NONE) {
            return;
        }
        Tensor f = asFloat(name, t);
        if (f.dtype() == DType.FLOAT32) {
            tap.onTensor(name, f);
        }
    }

    private Tensor asFloat(String name, Tensor t) {
        QuantParams p = model.paramsOf(name);
        return p != null && (t.dtype() == DType.INT8 || t.dtype() == DType.UINT8) ? QuantTensors.dequantize(t, p) : t;
    }
}
