package org.quantlens.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Static shape and type inference over a model's main graph, following the ONNX operator specs (the same output
 * size formulas ONNX's own shape inference and ONNX Runtime use).
 *
 * <p>Every value gets a {@link ValueInfo}: graph inputs their declared type, initializers their tensor's, node
 * outputs what their operator's rule derives. A dim is known, symbolic (a named size such as the batch "N",
 * carried through every operator that provably keeps it) or unknown; a rank is unknown when {@code dims} is null.
 * Operators without a rule, and rules whose inputs are not known well enough, yield unknown dims (never a
 * failure). Declared {@code value_info} and graph outputs fill what inference cannot prove; a known inferred dim
 * beats a symbolic declared one.
 *
 * <p>Supported: Conv, QLinearConv, ConvInteger, MaxPool (+Indices), AveragePool, GlobalAveragePool,
 * GlobalMaxPool, BatchNormalization, Gemm, MatMul, QLinearMatMul, MatMulInteger, the unary activations (Relu,
 * LeakyRelu, Clip, Sigmoid, HardSigmoid, HardSwish, Tanh, Softmax, LogSoftmax, Exp, ...), Add/Sub/Mul/Div with
 * numpy broadcasting, Concat, Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Slice, Gather, Shape, Cast, Pad,
 * Identity, Constant, ReduceMean, Resize, QuantizeLinear, DequantizeLinear.
 */
public final class ShapeInference {
    private static final Set<String> SAME_SHAPE = Set.of("Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid",
            "HardSwish", "Tanh", "Softmax", "LogSoftmax", "Exp", "Log", "Neg", "Abs", "Sqrt", "Erf", "Elu", "Selu",
            "PRelu", "Dropout", "LRN", "InstanceNormalization", "Floor", "Ceil", "Round", "Sign", "Reciprocal");

    private ShapeInference() {
    }

    /**
     * The type and dims of every value of the main graph: inputs, initializers and node outputs, in that order
     * (nodes in topological order).
     *
     * @throws InvalidInputException naming the node when shapes are provably inconsistent (a Conv channel
     *                               mismatch, a broadcast of 3 against 4, a declared shape contradicting the
     *                               inferred one, ...) or the graph cannot be ordered
     */
    public static Map<String, ValueInfo> infer(Model model) {
        return infer(model, Map.of());
    }

    /**
     * As {@link #infer(Model)}, with the graph inputs named in {@code concreteInputShapes} fixed to those shapes
     * (e.g. a calibration batch): their symbolic dims become known everywhere they flow, and declared infos using
     * the same symbol are bound to the same size.
     *
     * @throws InvalidInputException when a name is no graph input, or a shape contradicts the declared rank or a
     *                               declared known dim, or one symbol gets two sizes
     */
    public static Map<String, ValueInfo> infer(Model model, Map<String, Shape> concreteInputShapes) {
        Graph g = model.graph();
        Map<String, Long> bindings = bind(g, concreteInputShapes);
        InferenceContext c = new InferenceContext(model.defaultOpset());
        for (ValueInfo in : g.inputs()) {
            Shape concrete = concreteInputShapes.get(in.name());
            List<Dim> dims = concrete != null ? DimMath.known(concrete.dimsLong()) : substitute(in.dims(), bindings);
            c.putInfo(new ValueInfo(in.name(), in.dtype(), in.onnxElemType(), dims));
        }
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            c.putConstant(e.getKey(), e.getValue());
        }
        for (Node n : TopologicalOrder.sort(g)) {
            c.begin(n);
            apply(c, n);
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    ValueInfo declared = g.info(out);
                    if (declared != null) {
                        declared = new ValueInfo(out, declared.dtype(), declared.onnxElemType(),
                                substitute(declared.dims(), bindings));
                    }
                    c.putInfo(merge(c, out, c.info(out), declared));
                }
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(c.values()));
    }

    private static void apply(InferenceContext c, Node n) {
        if (!n.domain().isEmpty()) {
            return; // custom domains: outputs stay unknown unless declared
        }
        try {
            rule(c, n);
        } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException
                 | IllegalStateException e) {
            throw c.fail(e.getMessage());
        }
    }

    private static void rule(InferenceContext c, Node n) {
        String op = n.opType();
        if (SAME_SHAPE.contains(op)) {
            c.sameAsInput();
            return;
        }
        switch (op) {
            case "Conv" -> ConvPoolShapes.conv(c, 0, 1, 2, c.inputType(0));
            case "QLinearConv" -> ConvPoolShapes.conv(c, 0, 3, 8, firstKnown(c.inputType(7), c.inputType(0)));
            case "ConvInteger" -> ConvPoolShapes.conv(c, 0, 1, -1, DType.INT32);
            case "MaxPool", "AveragePool" -> ConvPoolShapes.pool(c);
            case "GlobalAveragePool", "GlobalMaxPool" -> ConvPoolShapes.globalPool(c);
            case "BatchNormalization" -> ConvPoolShapes.batchNorm(c);
            case "Gemm" -> MathShapes.gemm(c);
            case "MatMul" -> MathShapes.matmul(c, 0, 1, c.inputType(0));
            case "QLinearMatMul" -> MathShapes.matmul(c, 0, 3, firstKnown(c.inputType(7), c.inputType(0)));
            case "MatMulInteger" -> MathShapes.matmul(c, 0, 1, DType.INT32);
            case "Add", "Sub", "Mul", "Div" -> MathShapes.broadcastBinary(c);
            case "Cast" -> MathShapes.cast(c);
            case "QuantizeLinear" -> MathShapes.quantize(c);
            case "DequantizeLinear" -> MathShapes.dequantize(c);
            case "Concat" -> LayoutShapes.concat(c);
            case "Flatten" -> LayoutShapes.flatten(c);
            case "Reshape" -> LayoutShapes.reshape(c);
            case "Transpose" -> LayoutShapes.transpose(c);
            case "Squeeze" -> LayoutShapes.squeeze(c);
            case "Unsqueeze" -> LayoutShapes.unsqueeze(c);
            case "Pad" -> LayoutShapes.pad(c);
            case "ReduceMean" -> LayoutShapes.reduce(c);
            case "Resize" -> ResizeShapes.resize(c);
            case "Slice" -> IndexingShapes.slice(c);
            case "Gather" -> IndexingShapes.gather(c);
            case "Shape" -> IndexingShapes.shape(c);
            case "Constant" -> IndexingShapes.constant(c);
            case "Identity" -> IndexingShapes.identity(c);
            default -> {
                // no rule: outputs stay unknown unless declared
            }
        }
    }

    /**
     * Combines what was inferred with what the file declares: per dim a known size first (two different known
     * sizes are an error), then a symbol (the inferred one, which links to the inputs), then unknown.
     */
    private static ValueInfo merge(InferenceContext c, String name, ValueInfo inferred, ValueInfo declared) {
        if (inferred == null && declared == null) {
            return new ValueInfo(name, null, 0, null);
        }
        if (inferred == null || declared == null) {
            return inferred != null ? inferred : declared;
        }
        DType type = inferred.dtype() != null ? inferred.dtype() : declared.dtype();
        if (inferred.dtype() != null && declared.dtype() != null && inferred.dtype() != declared.dtype()) {
            throw c.fail("output '" + name + "' is declared " + declared.typeString() + " but inferred "
                    + inferred.typeString());
        }
        int code = type != null ? type.onnxCode() : declared.onnxElemType();
        List<Dim> a = inferred.dims();
        List<Dim> b = declared.dims();
        if (a == null || b == null) {
            return new ValueInfo(name, type, code, a != null ? a : b);
        }
        if (a.size() != b.size()) {
            throw c.fail("output '" + name + "' is declared " + declared.typeString() + " but inferred "
                    + inferred.typeString());
        }
        List<Dim> dims = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            Dim u = DimMath.unify(a.get(i), b.get(i));
            if (u == null) {
                throw c.fail("output '" + name + "' is declared " + declared.typeString() + " but inferred "
                        + inferred.typeString());
            }
            dims.add(u);
        }
        return new ValueInfo(name, type, code, dims);
    }

    /** Symbol bindings from the concrete input shapes, checked against the declared inputs. */
    private static Map<String, Long> bind(Graph g, Map<String, Shape> concrete) {
        Map<String, Long> bindings = new HashMap<>();
        for (Map.Entry<String, Shape> e : concrete.entrySet()) {
            ValueInfo in = g.inputs().stream().filter(v -> v.name().equals(e.getKey())).findFirst().orElse(null);
            if (in == null) {
                throw new InvalidInputException("no graph input named '" + e.getKey() + "' (inputs: "
                        + String.join(", ", g.inputNames()) + ")");
            }
            long[] shape = e.getValue().dimsLong();
            String problem = "input '" + in.name() + "': shape " + e.getValue() + " does not match declared "
                    + in.typeString();
            if (in.dims() == null) {
                continue;
            }
            if (in.dims().size() != shape.length) {
                throw new InvalidInputException(problem);
            }
            for (int i = 0; i < shape.length; i++) {
                Dim d = in.dims().get(i);
                if (d.isKnown() && d.value() != shape[i]) {
                    throw new InvalidInputException(problem);
                }
                if (!d.isKnown() && d.param() != null) {
                    Long prev = bindings.put(d.param(), shape[i]);
                    if (prev != null && prev != shape[i]) {
                        throw new InvalidInputException("symbolic dim " + d.param() + " is given as both " + prev
                                + " and " + shape[i] + " (input '" + in.name() + "')");
                    }
                }
            }
        }
        return bindings;
    }

    private static List<Dim> substitute(List<Dim> dims, Map<String, Long> bindings) {
        if (dims == null || bindings.isEmpty()) {
            return dims;
        }
        List<Dim> r = new ArrayList<>(dims.size());
        for (Dim d : dims) {
            Long v = d.param() != null && !d.isKnown() ? bindings.get(d.param()) : null;
            r.add(v != null ? Dim.of(v) : d);
        }
        return r;
    }

    private static DType firstKnown(DType a, DType b) {
        return a != null ? a : b;
    }
}
