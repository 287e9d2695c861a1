package org.quantlens.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.ir.Dim;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.NamedTensor;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;

/**
 * Reads an ONNX model ({@code ModelProto}, onnx.proto) into the {@link org.quantlens.ir} classes by walking the
 * wire format directly (field numbers from onnx.proto; unknown fields are skipped, as protobuf does).
 *
 * <p>What is kept: IR version, opset imports ("ai.onnx" folds into ""), producer, metadata_props; per graph the
 * nodes in file order (Constant nodes stay nodes), attributes of every kind including tensors, subgraphs and lists,
 * initializers, inputs, outputs and value_info. A graph input that is also an initializer is dropped from
 * {@link Graph#inputs()} (it is an initializer with a default). Tensor element types and shapes come from
 * {@code TypeProto.tensor_type}: {@code dim_value} (negative values read as unknown), {@code dim_param} (symbolic),
 * neither (unknown).
 *
 * <p>Checks: IR version 3..13 and a default-domain opset 7..25 (other domains are not checked); subgraphs nested at
 * most {@value #MAX_GRAPH_DEPTH} deep; external data only from inside the model's folder ({@link ModelFolderData}).
 * Every malformed, truncated or hostile input ends as an {@link InvalidInputException} whose one-line message
 * starts with the file name.
 */
public final class OnnxReader {
    /** Subgraph nesting limit (Loop/If/Scan bodies): deep enough for real models, shallow enough for the stack. */
    public static final int MAX_GRAPH_DEPTH = 64;
    public static final int MIN_IR_VERSION = 3;
    public static final int MAX_IR_VERSION = 13;
    public static final int MIN_OPSET = 6;
    public static final int MAX_OPSET = 25;

    private final ProtoCursor c;
    private final ModelFolderData externalData;

    private OnnxReader(byte[] bytes, Path baseDir, String sourceName) {
        this.c = new ProtoCursor(bytes, ProtoCursor.oneLine(sourceName));
        this.externalData = new ModelFolderData(baseDir, ProtoCursor.oneLine(sourceName));
    }

    /** Reads {@code file}; external data is looked up beside it. Messages start with the file name. */
    public static Model read(Path file) {
        String name = String.valueOf(file.getFileName());
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 8) {
                throw InvalidInputException.of(name, "file is larger than the 2 GB protobuf limit");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of(file, "no such file");
        } catch (IOException e) {
            throw InvalidInputException.of(file, "cannot read: " + e.getMessage());
        }
        return read(bytes, file.toAbsolutePath().getParent(), name);
    }

    /**
     * Reads a model from memory.
     *
     * @param baseDir    the folder external data is confined to; null when there is none (external data then fails)
     * @param sourceName the name messages start with, usually the file name
     */
    public static Model read(byte[] bytes, Path baseDir, String sourceName) {
        OnnxReader r = new OnnxReader(bytes, baseDir, sourceName);
        try {
            return r.readModel();
        } catch (InvalidProtocolBufferException e) {
            throw r.c.translate(e);
        } catch (IOException e) {
            throw r.c.fail("unreadable (" + e.getMessage() + ")");
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw r.c.fail("invalid content (" + e.getMessage() + ")");
        }
    }

    private Model readModel() throws IOException {
        long irVersion = 0;
        Map<String, Long> opsets = new LinkedHashMap<>();
        String producer = "";
        String producerVersion = "";
        Graph graph = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        int tag;
        while ((tag = c.nextTag()) != 0) {
            switch (ProtoCursor.field(tag)) {
                case 1 -> irVersion = c.readInt64(tag);
                case 2 -> producer = c.readString(tag);
                case 3 -> producerVersion = c.readString(tag);
                case 7 -> {
                    int old = c.enter(tag, "graph");
                    graph = readGraph(1);
                    c.exit(old);
                }
                case 8 -> readOpset(tag, opsets);
                case 14 -> readEntry(tag, "metadata_props", metadata);
                default -> c.skip(tag);
            }
        }
        if (irVersion < MIN_IR_VERSION || irVersion > MAX_IR_VERSION) {
            throw InvalidInputException.of(c.source(), "IR version " + irVersion + " not supported ("
                    + MIN_IR_VERSION + ".." + MAX_IR_VERSION + ")");
        }
        Long opset = opsets.get("");
        if (opset == null) {
            throw InvalidInputException.of(c.source(), "no opset_import for the default ONNX domain");
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw InvalidInputException.of(c.source(), "opset " + opset + " not supported (" + MIN_OPSET + ".."
                    + MAX_OPSET + ")");
        }
        if (graph == null) {
            throw InvalidInputException.of(c.source(), "model has no graph");
        }
        return new Model(irVersion, opsets, producer, producerVersion, graph, metadata);
    }

    private void readOpset(int outerTag, Map<String, Long> opsets) throws IOException {
        int old = c.enter(outerTag, "opset_import[" + opsets.size() + "]");
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = c.nextTag()) != 0) {
            switch (ProtoCursor.field(tag)) {
                case 1 -> domain = c.readString(tag);
                case 2 -> version = c.readInt64(tag);
                default -> c.skip(tag);
            }
        }
        c.exit(old);
        opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
    }

    /** A StringStringEntryProto (key = 1, value = 2) into {@code into}. */
    private void readEntry(int outerTag, String segment, Map<String, String> into) throws IOException {
        int old = c.enter(outerTag, segment);
        String key = "";
        String value = "";
        int tag;
        while ((tag = c.nextTag()) != 0) {
            switch (ProtoCursor.field(tag)) {
                case 1 -> key = c.readString(tag);
                case 2 -> value = c.readString(tag);
                default -> c.skip(tag);
            }
        }
        c.exit(old);
        into.put(key, value);
    }

    /** The body of a GraphProto (the cursor is inside it). */
    Graph readGraph(int depth) throws IOException {
        if (depth > MAX_GRAPH_DEPTH) {
            throw c.fail("subgraphs nested deeper than " + MAX_GRAPH_DEPTH);
        }
        String name = "";
        List<Node> nodes = new ArrayList<>();
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        Map<String, ValueInfo> valueInfo = new LinkedHashMap<>();
        int tag;
        while ((tag = c.nextTag()) != 0) {
            switch (ProtoCursor.field(tag)) {
                case 1 -> nodes.add(readNode(tag, nodes.size(), depth));
                case 2 -> name = c.readString(tag);
                case 5 -> readInitializer(tag, initializers);
                case 11 -> inputs.add(readValueInfo(tag, "input[" + inputs.size() + "]"));
                case 12 -> outputs.add(readValueInfo(tag, "output[" + outputs.size() + "]"));
                case 13 -> {
                    ValueInfo v = readValueInfo(tag, "value_info[" + valueInfo.size() + "]");
                    valueInfo.put(v.name(), v);
                }
                default -> c.skip(tag);
            }
        }
        inputs.removeIf(v -> initializers.containsKey(v.name()));
        return new Graph(name, nodes, inputs, outputs, initializers, valueInfo);
    }

    private void readInitializer(int tag, Map<String, Tensor> initializers) throws IOException {
        String segment = "initializer[" + initializers.size() + "]";
        c.within(segment, () -> {
            byte[] bytes = c.readBytes(tag);
            NamedTensor t = decodeTensor(bytes);
            if (initializers.putIfAbsent(t.name(), t.tensor()) != null) {
                throw c.fail("initializer '" + t.name() + "' appears twice");
            }
        });
    }

    /** Decodes an embedded TensorProto, external data resolved inside the model folder. */
    Tensor decodeTensorValue(byte[] bytes) {
        return decodeTensor(bytes).tensor();
    }

    private NamedTensor decodeTensor(byte[] bytes) {
        return TensorProtoFormat.decode(bytes, c.source() + ": " + c.location(), externalData);
    }

    private Node readNode(int outerTag, int index, int depth) throws IOException {
        int old = c.enter(outerTag, "node[" + index + "]");
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        String domain = "";
        Map<String, org.quantlens.ir.Attribute> attributes = new LinkedHashMap<>();
        int tag;
        while ((tag = c.nextTag()) != 0) {
            switch (ProtoCursor.field(tag)) {
                case 1 -> inputs.add(c.readString(tag));
                case 2 -> outputs.add(c.readString(tag));
                case 3 -> name = c.readString(tag);
                case 4 -> opType = c.readString(tag);
                case 5 -> {
                    org.quantlens.ir.Attribute a = new OnnxAttributeReader(c, this).read(tag, attributes.size(), depth);
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = c.readString(tag);
                default -> c.skip(tag);
            }
        }
        c.exit(old);
        return new Node(name, opType, domain, inputs, outputs, attributes);
    }

    private ValueInfo readValueInfo(int outerTag, String segment) throws IOException {
        int old = c.enter(outerTag, segment);
        String name = "";
        TensorType type = new TensorType();
        int tag;
        while ((tag = c.nextTag()) != 0) {
            switch (ProtoCursor.field(tag)) {
                case 1 -> name = c.readString(tag);
                case 2 -> readTypeProto(tag, type);
                default -> c.skip(tag);
            }
        }
        c.exit(old);
        DType dtype = DType.fromOnnxCode(type.elemType);
        return new ValueInfo(name, dtype, type.elemType, type.dims);
    }

    /** What QuantLens keeps of a TypeProto: the tensor element type and shape; other kinds stay unknown. */
    private static final class TensorType {
        int elemType;
        List<Dim> dims;
    }

    private void readTypeProto(int outerTag, TensorType into) throws IOException {
        int old = c.enter(outerTag, "type");
        int tag;
        while ((tag = c.nextTag()) != 0) {
            if (ProtoCursor.field(tag) == 1) {
                int inner = c.enter(tag, "tensor_type");
                int t;
                while ((t = c.nextTag()) != 0) {
                    switch (ProtoCursor.field(t)) {
                        case 1 -> into.elemType = (int) c.readInt64(t);
                        case 2 -> into.dims = readShape(t);
                        default -> c.skip(t);
                    }
                }
                c.exit(inner);
            } else {
                c.skip(tag);
            }
        }
        c.exit(old);
    }

    private List<Dim> readShape(int outerTag) throws IOException {
        int old = c.enter(outerTag, "shape");
        List<Dim> dims = new ArrayList<>();
        int tag;
        while ((tag = c.nextTag()) != 0) {
            if (ProtoCursor.field(tag) == 1) {
                dims.add(readDim(tag));
            } else {
                c.skip(tag);
            }
        }
        c.exit(old);
        return dims;
    }

    private Dim readDim(int outerTag) throws IOException {
        int old = c.enter(outerTag, "dim");
        Dim dim = Dim.unknown();
        int tag;
        while ((tag = c.nextTag()) != 0) {
            switch (ProtoCursor.field(tag)) {
                case 1 -> {
                    long v = c.readInt64(tag);
                    dim = v >= 0 ? Dim.of(v) : Dim.unknown();
                }
                case 2 -> dim = Dim.symbolic(c.readString(tag));
                default -> c.skip(tag);
            }
        }
        c.exit(old);
        return dim;
    }
}
