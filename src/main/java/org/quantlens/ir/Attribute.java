package org.quantlens.ir;

import java.util.List;
import org.quantlens.tensor.Tensor;

/**
 * A node attribute: a name, a kind and a value. Values by kind: FLOAT {@code Float}, INT {@code Long},
 * STRING {@code String}, TENSOR {@link Tensor}, GRAPH {@link Graph}, FLOATS {@code float[]}, INTS {@code long[]},
 * STRINGS {@code List<String>}, TENSORS {@code List<Tensor>}, GRAPHS {@code List<Graph>}. Kinds QuantLens reads
 * but does not interpret (sparse tensors, type protos) are kept as UNSUPPORTED with a null value.
 */
public record Attribute(String name, Kind kind, Object value) {

    /** ONNX AttributeProto.AttributeType, with the wire codes. */
    public enum Kind {
        FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8), TENSORS(9), GRAPHS(10),
        UNSUPPORTED(0);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Kind fromCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return UNSUPPORTED;
        }
    }

    public static Attribute ofFloat(String name, float v) {
        return new Attribute(name, Kind.FLOAT, v);
    }

    public static Attribute ofInt(String name, long v) {
        return new Attribute(name, Kind.INT, v);
    }

    public static Attribute ofString(String name, String v) {
        return new Attribute(name, Kind.STRING, v);
    }

    public static Attribute ofTensor(String name, Tensor v) {
        return new Attribute(name, Kind.TENSOR, v);
    }

    public static Attribute ofGraph(String name, Graph v) {
        return new Attribute(name, Kind.GRAPH, v);
    }

    public static Attribute ofFloats(String name, float... v) {
        return new Attribute(name, Kind.FLOATS, v.clone());
    }

    public static Attribute ofInts(String name, long... v) {
        return new Attribute(name, Kind.INTS, v.clone());
    }

    public static Attribute ofStrings(String name, List<String> v) {
        return new Attribute(name, Kind.STRINGS, List.copyOf(v));
    }

    public static Attribute ofTensors(String name, List<Tensor> v) {
        return new Attribute(name, Kind.TENSORS, List.copyOf(v));
    }

    public static Attribute ofGraphs(String name, List<Graph> v) {
        return new Attribute(name, Kind.GRAPHS, List.copyOf(v));
    }

    public float asFloat() {
        return switch (kind) {
            case FLOAT -> (Float) value;
            case INT -> (float) (long) (Long) value;
            default -> throw wrongKind("a float");
        };
    }

    public long asInt() {
        if (kind != Kind.INT) {
            throw wrongKind("an int");
        }
        return (Long) value;
    }

    public String asString() {
        if (kind != Kind.STRING) {
            throw wrongKind("a string");
        }
        return (String) value;
    }

    public Tensor asTensor() {
        if (kind != Kind.TENSOR) {
            throw wrongKind("a tensor");
        }
        return (Tensor) value;
    }

    public Graph asGraph() {
        if (kind != Kind.GRAPH) {
            throw wrongKind("a graph");
        }
        return (Graph) value;
    }

    public float[] asFloats() {
        if (kind != Kind.FLOATS) {
            throw wrongKind("a list of floats");
        }
        return ((float[]) value).clone();
    }

    public long[] asInts() {
        if (kind != Kind.INTS) {
            throw wrongKind("a list of ints");
        }
        return ((long[]) value).clone();
    }

    @SuppressWarnings("unchecked")
    public List<String> asStrings() {
        if (kind != Kind.STRINGS) {
            throw wrongKind("a list of strings");
        }
        return (List<String>) value;
    }

    @SuppressWarnings("unchecked")
    public List<Tensor> asTensors() {
        if (kind != Kind.TENSORS) {
            throw wrongKind("a list of tensors");
        }
        return (List<Tensor>) value;
    }

    @SuppressWarnings("unchecked")
    public List<Graph> asGraphs() {
        if (kind != Kind.GRAPHS) {
            throw wrongKind("a list of graphs");
        }
        return (List<Graph>) value;
    }

    private IllegalArgumentException wrongKind(String wanted) {
        return new IllegalArgumentException("attribute " + name + " is " + kind + ", not " + wanted);
    }
}
