package org.quantlens.onnx;

import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Attribute.Kind;
import org.quantlens.ir.Graph;
import org.quantlens.tensor.Tensor;

/**
 * Reads one {@code AttributeProto} (onnx.proto field numbers: name 1, f 2, i 3, s 4, t 5, g 6, floats 7, ints 8,
 * strings 9, tensors 10, graphs 11, type 20). The kind comes from {@code type}; files from before IR version 2
 * omit it, then the kind is the field that is present. Repeated numbers are accepted packed or not. Sparse tensors
 * and type protos are kept as {@link Kind#UNSUPPORTED} with a null value. Subgraphs are read recursively, one
 * level deeper, so the reader's depth limit applies.
 */
final class OnnxAttributeReader {
    private final ProtoCursor c;
    private final OnnxReader reader;

    private String name = "";
    private int type;
    private Kind seen;
    private float f;
    private long i;
    private String s = "";
    private Tensor t;
    private Graph g;
    private final FloatList floats = new FloatList();
    private final LongList ints = new LongList();
    private final List<String> strings = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Graph> graphs = new ArrayList<>();

    OnnxAttributeReader(ProtoCursor c, OnnxReader reader) {
        this.c = c;
        this.reader = reader;
    }

    Attribute read(int outerTag, int index, int depth) throws IOException {
        int old = c.enter(outerTag, "attribute[" + index + "]");
        int tag;
        while ((tag = c.nextTag()) != 0) {
            readField(tag, depth);
        }
        c.exit(old);
        Kind kind = type != 0 ? Kind.fromCode(type) : seen != null ? seen : Kind.UNSUPPORTED;
        return new Attribute(name, kind, value(kind));
    }

    private void readField(int tag, int depth) throws IOException {
        switch (ProtoCursor.field(tag)) {
            case 1 -> {
                name = c.readString(tag);
                c.renameInnermost("attribute '" + name + "'");
            }
            case 20 -> type = (int) c.readInt64(tag);
            case 2 -> {
                c.expect(tag, WireFormat.WIRETYPE_FIXED32);
                f = c.in().readFloat();
                seen = Kind.FLOAT;
            }
            case 3 -> {
                i = c.readInt64(tag);
                seen = Kind.INT;
            }
            case 4 -> {
                s = new String(c.readBytes(tag), StandardCharsets.UTF_8);
                seen = Kind.STRING;
            }
            case 5 -> {
                t = tensor(tag);
                seen = Kind.TENSOR;
            }
            case 6 -> {
                g = graph(tag, "g", depth);
                seen = Kind.GRAPH;
            }
            case 7 -> {
                readFloats(tag);
                seen = Kind.FLOATS;
            }
            case 8 -> {
                readInts(tag);
                seen = Kind.INTS;
            }
            case 9 -> {
                strings.add(new String(c.readBytes(tag), StandardCharsets.UTF_8));
                seen = Kind.STRINGS;
            }
            case 10 -> {
                tensors.add(tensor(tag));
                seen = Kind.TENSORS;
            }
            case 11 -> {
                graphs.add(graph(tag, "graphs[" + graphs.size() + "]", depth));
                seen = Kind.GRAPHS;
            }
            default -> c.skip(tag);
        }
    }

    private Object value(Kind kind) {
        return switch (kind) {
            case FLOAT -> f;
            case INT -> i;
            case STRING -> s;
            case TENSOR -> requirePresent(t, "tensor");
            case GRAPH -> requirePresent(g, "graph");
            case FLOATS -> floats.toArray();
            case INTS -> ints.toArray();
            case STRINGS -> List.copyOf(strings);
            case TENSORS -> List.copyOf(tensors);
            case GRAPHS -> List.copyOf(graphs);
            case UNSUPPORTED -> null;
        };
    }

    private Object requirePresent(Object v, String what) {
        if (v == null) {
            throw c.fail("attribute '" + name + "' declares type " + what + " but has no value");
        }
        return v;
    }

    private Tensor tensor(int tag) throws IOException {
        Tensor[] out = new Tensor[1];
        c.within("t", () -> out[0] = reader.decodeTensorValue(c.readBytes(tag)));
        return out[0];
    }

    private Graph graph(int tag, String segment, int depth) throws IOException {
        int old = c.enter(tag, segment);
        Graph sub = reader.readGraph(depth + 1);
        c.exit(old);
        return sub;
    }

    private void readFloats(int tag) throws IOException {
        if (ProtoCursor.wire(tag) == WireFormat.WIRETYPE_FIXED32) {
            floats.add(c.in().readFloat());
            return;
        }
        int old = c.enter(tag, "floats");
        while (c.in().getBytesUntilLimit() > 0) {
            floats.add(c.in().readFloat());
        }
        c.exit(old);
    }

    private void readInts(int tag) throws IOException {
        if (ProtoCursor.wire(tag) == WireFormat.WIRETYPE_VARINT) {
            ints.add(c.in().readInt64());
            return;
        }
        int old = c.enter(tag, "ints");
        while (c.in().getBytesUntilLimit() > 0) {
            ints.add(c.in().readInt64());
        }
        c.exit(old);
    }

    /** Growable float list; grows with values actually read. */
    private static final class FloatList {
        private float[] v = new float[4];
        private int n;

        void add(float x) {
            if (n == v.length) {
                v = java.util.Arrays.copyOf(v, n * 2);
            }
            v[n++] = x;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(v, n);
        }
    }

    /** Growable long list; grows with values actually read. */
    private static final class LongList {
        private long[] v = new long[4];
        private int n;

        void add(long x) {
            if (n == v.length) {
                v = java.util.Arrays.copyOf(v, n * 2);
            }
            v[n++] = x;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(v, n);
        }
    }
}
