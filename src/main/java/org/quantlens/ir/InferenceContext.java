package org.quantlens.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * What shape inference knows so far: the type and dims of every value, the constant tensors (initializers and
 * Constant outputs), and the elements of small integer tensors computed from shapes (Shape, Gather, Concat, ...),
 * which is how a PyTorch-style {@code x.view(x.size(0), -1)} keeps its symbolic batch. One node is "current" while
 * its rule runs; rules set its outputs and report errors with {@link #fail}.
 */
final class InferenceContext {
    /** Integer tensors with more elements than this are not tracked element-wise. */
    static final int MAX_TRACKED_ELEMENTS = 64;

    private final Map<String, ValueInfo> values = new LinkedHashMap<>();
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, List<SymInt>> intValues = new HashMap<>();
    private final long opset;
    private Node node;

    InferenceContext(long opset) {
        this.opset = opset;
    }

    long opset() {
        return opset;
    }

    Node node() {
        return node;
    }

    void begin(Node n) {
        node = n;
    }

    Map<String, ValueInfo> values() {
        return values;
    }

    /** Records a value; a small integer constant is also tracked element-wise. */
    void put(String name, DType dtype, List<Dim> dims) {
        if (!name.isEmpty()) {
            values.put(name, new ValueInfo(name, dtype, dtype == null ? 0 : dtype.onnxCode(), dims));
        }
    }

    void putInfo(ValueInfo info) {
        values.put(info.name(), info);
    }

    /** A constant tensor (initializer or Constant output) under {@code name}. */
    void putConstant(String name, Tensor t) {
        constants.put(name, t);
        put(name, t.dtype(), DimMath.known(t.shape().dimsLong()));
        if ((t.dtype() == DType.INT64 || t.dtype() == DType.INT32) && t.rank() <= 1
                && t.size() <= MAX_TRACKED_ELEMENTS) {
            List<SymInt> elems = new ArrayList<>(t.size());
            for (long v : t.toLongArray()) {
                elems.add(SymInt.of(v));
            }
            intValues.put(name, elems);
        }
    }

    void putIntValue(String name, List<SymInt> elems) {
        if (!name.isEmpty() && elems != null && elems.size() <= MAX_TRACKED_ELEMENTS) {
            intValues.put(name, List.copyOf(elems));
        }
    }

    ValueInfo info(String name) {
        return values.get(name);
    }

    /** The dims of a value, or null when the rank is unknown (or the input is omitted). */
    List<Dim> dims(String name) {
        ValueInfo v = values.get(name);
        return v == null ? null : v.dims();
    }

    List<Dim> inputDims(int i) {
        return dims(node.input(i));
    }

    DType dtype(String name) {
        ValueInfo v = values.get(name);
        return v == null ? null : v.dtype();
    }

    DType inputType(int i) {
        return dtype(node.input(i));
    }

    Tensor constant(String name) {
        return constants.get(name);
    }

    /** The elements of a small integer tensor, as far as they are known, or null. */
    List<SymInt> intValue(String name) {
        return intValues.get(name);
    }

    /** The elements of input {@code i} when all are known, else null. */
    long[] constInts(int i) {
        List<SymInt> v = node.hasInput(i) ? intValues.get(node.input(i)) : null;
        if (v == null) {
            return null;
        }
        long[] r = new long[v.size()];
        for (int k = 0; k < r.length; k++) {
            if (!v.get(k).known()) {
                return null;
            }
            r[k] = v.get(k).value();
        }
        return r;
    }

    /** Sets output {@code i} of the current node. */
    void output(int i, DType dtype, List<Dim> dims) {
        if (i < node.outputs().size()) {
            put(node.outputs().get(i), dtype, dims);
        }
    }

    /** Sets output {@code i} to the element values {@code elems} (a rank-1 or scalar integer tensor). */
    void outputIntValue(int i, List<SymInt> elems) {
        if (i < node.outputs().size()) {
            putIntValue(node.outputs().get(i), elems);
        }
    }

    /** Output 0 copies input 0's type and dims. */
    void sameAsInput() {
        output(0, inputType(0), inputDims(0));
    }

    /** An error about the current node: "node NAME (Op): problem". */
    InvalidInputException fail(String problem) {
        return new InvalidInputException("node " + node.displayName() + " (" + node.opType() + "): " + problem);
    }
}
