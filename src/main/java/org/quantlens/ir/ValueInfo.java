package org.quantlens.ir;

import java.util.List;
import org.quantlens.tensor.DType;

/**
 * A declared graph value: its name, element type (null when unknown or not a QuantLens type; then
 * {@code onnxElemType} keeps the raw code) and shape ({@code dims} null when the rank is unknown).
 */
public record ValueInfo(String name, DType dtype, int onnxElemType, List<Dim> dims) {

    public ValueInfo {
        dims = dims == null ? null : List.copyOf(dims);
    }

    public static ValueInfo of(String name, DType dtype, long... dims) {
        List<Dim> d = new java.util.ArrayList<>();
        for (long v : dims) {
            d.add(v < 0 ? Dim.unknown() : Dim.of(v));
        }
        return new ValueInfo(name, dtype, dtype == null ? 0 : dtype.onnxCode(), d);
    }

    public boolean hasShape() {
        return dims != null;
    }

    /** "float32[N,1,16,16]"-style description for inspect and messages. */
    public String typeString() {
        String t = dtype != null ? dtype.displayName() : "type" + onnxElemType;
        if (dims == null) {
            return t + "[?]";
        }
        StringBuilder b = new StringBuilder(t).append('[');
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(dims.get(i));
        }
        return b.append(']').toString();
    }
}
