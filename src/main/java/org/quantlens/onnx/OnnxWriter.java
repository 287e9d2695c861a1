package org.quantlens.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Dim;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;

/**
 * Writes a {@link Model} as an ONNX {@code ModelProto} with {@link CodedOutputStream}, fields in field-number order
 * as protobuf serializers emit them, so {@link OnnxReader} reads back an equal model.
 *
 * <p>Conventions: tensors embedded with raw_data (no external data; the whole model must stay under protobuf's
 * 2 GB); the default domain written as ""; a {@link Dim} that is unknown as an empty {@code Dimension}; a
 * {@link ValueInfo} without element type and shape with no {@code type}. For IR version 3, where ONNX requires every
 * initializer to be a graph input, initializers are also listed as inputs. Attributes of kind
 * {@link Attribute.Kind#UNSUPPORTED} (sparse tensors, type protos) carry no value in the ir and are omitted.
 */
public final class OnnxWriter {
    private OnnxWriter() {
    }

    /** The serialized model. */
    public static byte[] toBytes(Model m) {
        Message out = new Message();
        out.int64(1, m.irVersion());
        out.string(2, m.producerName());
        out.string(3, m.producerVersion());
        out.bytes(7, graph(m.graph(), m.irVersion() < 4));
        for (Map.Entry<String, Long> e : m.opsets().entrySet()) {
            Message op = new Message();
            op.string(1, e.getKey());
            op.int64(2, e.getValue());
            out.bytes(8, op.toBytes());
        }
        for (Map.Entry<String, String> e : m.metadata().entrySet()) {
            Message kv = new Message();
            kv.string(1, e.getKey());
            kv.string(2, e.getValue());
            out.bytes(14, kv.toBytes());
        }
        return out.toBytes();
    }

    /** Writes {@link #toBytes} to {@code file} atomically: a temporary file in the same folder, then a rename. */
    public static void write(Model m, Path file) throws IOException {
        byte[] bytes = toBytes(m);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] graph(Graph g, boolean initializersAsInputs) {
        Message out = new Message();
        for (Node n : g.nodes()) {
            out.bytes(1, node(n));
        }
        out.string(2, g.name());
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            out.bytes(5, TensorProtoFormat.encode(e.getKey(), e.getValue()));
        }
        for (ValueInfo v : g.inputs()) {
            out.bytes(11, valueInfo(v));
        }
        if (initializersAsInputs) {
            for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
                Tensor t = e.getValue();
                out.bytes(11, valueInfo(ValueInfo.of(e.getKey(), t.dtype(), t.shape().dimsLong())));
            }
        }
        for (ValueInfo v : g.outputs()) {
            out.bytes(12, valueInfo(v));
        }
        for (ValueInfo v : g.valueInfo().values()) {
            out.bytes(13, valueInfo(v));
        }
        return out.toBytes();
    }

    private static byte[] node(Node n) {
        Message out = new Message();
        for (String in : n.inputs()) {
            out.stringAlways(1, in);
        }
        for (String o : n.outputs()) {
            out.stringAlways(2, o);
        }
        out.string(3, n.name());
        out.string(4, n.opType());
        for (Attribute a : n.attributes().values()) {
            if (a.kind() != Attribute.Kind.UNSUPPORTED) {
                out.bytes(5, attribute(a));
            }
        }
        out.string(7, n.domain());
        return out.toBytes();
    }

    private static byte[] attribute(Attribute a) {
        Message out = new Message();
        out.string(1, a.name());
        switch (a.kind()) {
            case FLOAT -> out.float32(2, a.asFloat());
            case INT -> out.int64Always(3, a.asInt());
            case STRING -> out.stringAlways(4, a.asString());
            case TENSOR -> out.bytes(5, TensorProtoFormat.encode("", a.asTensor()));
            case GRAPH -> out.bytes(6, graph(a.asGraph(), false));
            case FLOATS -> {
                for (float f : a.asFloats()) {
                    out.float32(7, f);
                }
            }
            case INTS -> {
                for (long v : a.asInts()) {
                    out.int64Always(8, v);
                }
            }
            case STRINGS -> a.asStrings().forEach(s -> out.stringAlways(9, s));
            case TENSORS -> a.asTensors().forEach(t -> out.bytes(10, TensorProtoFormat.encode("", t)));
            case GRAPHS -> a.asGraphs().forEach(sub -> out.bytes(11, graph(sub, false)));
            case UNSUPPORTED -> throw new IllegalStateException("unreachable");
        }
        out.int64(20, a.kind().code());
        return out.toBytes();
    }

    private static byte[] valueInfo(ValueInfo v) {
        Message out = new Message();
        out.string(1, v.name());
        if (v.onnxElemType() != 0 || v.dims() != null) {
            Message tensorType = new Message();
            tensorType.int64(1, v.onnxElemType());
            if (v.dims() != null) {
                tensorType.bytes(2, shape(v.dims()));
            }
            Message type = new Message();
            type.bytes(1, tensorType.toBytes());
            out.bytes(2, type.toBytes());
        }
        return out.toBytes();
    }

    private static byte[] shape(List<Dim> dims) {
        Message out = new Message();
        for (Dim d : dims) {
            Message dim = new Message();
            if (d.isKnown()) {
                dim.int64Always(1, d.value());
            } else if (d.param() != null) {
                dim.stringAlways(2, d.param());
            }
            out.bytes(1, dim.toBytes());
        }
        return out.toBytes();
    }

    /** One message being serialized; sub-messages are built first and embedded as length-delimited bytes. */
    private static final class Message {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        /** Writes a non-zero int64 (proto default 0 stays implicit). */
        void int64(int field, long v) {
            if (v != 0) {
                int64Always(field, v);
            }
        }

        void int64Always(int field, long v) {
            io(() -> out.writeInt64(field, v));
        }

        void float32(int field, float v) {
            io(() -> out.writeFloat(field, v));
        }

        /** Writes a non-empty string (proto default "" stays implicit). */
        void string(int field, String s) {
            if (s != null && !s.isEmpty()) {
                stringAlways(field, s);
            }
        }

        void stringAlways(int field, String s) {
            io(() -> out.writeString(field, s));
        }

        void bytes(int field, byte[] b) {
            io(() -> out.writeByteArray(field, b));
        }

        byte[] toBytes() {
            io(out::flush);
            return buf.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private static void io(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
