package org.quantlens.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes an ONNX {@code TensorProto} (onnx.proto, message TensorProto) with a hand-written wire-format
 * codec, so the tensor room stays free of protobuf-java.
 *
 * <p>Decoding accepts the data in {@code raw_data} (little-endian) or in the typed field ONNX assigns to the type:
 * {@code float_data} for float32; {@code int32_data} for int32, int16, int8, uint8, bool and the 16-bit float
 * patterns of float16/bfloat16; {@code int64_data} for int64; {@code double_data} for float64. Repeated fields may
 * be packed or not, as protobuf parsers accept both. {@code data_location = EXTERNAL} reads the bytes through an
 * {@link ExternalDataResolver}. A zero-element tensor needs no data field.
 *
 * <p>Rejected with an {@link InvalidInputException} "source: problem": string and other unsupported data types,
 * {@code segment}, negative dimensions, element counts beyond a Java array, data whose size disagrees with the
 * shape, and malformed wire format. Sizes are checked against the bytes actually present before anything is
 * allocated, so a tiny file declaring a huge shape costs nothing.
 *
 * <p>Encoding writes dims, data_type, name (when non-empty) and raw_data, in field-number order, as the ONNX
 * Python helpers do with {@code raw=True}.
 */
public final class TensorProtoFormat {
    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;
    private static final int SEGMENT = 3;
    private static final int FLOAT_DATA = 4;
    private static final int INT32_DATA = 5;
    private static final int STRING_DATA = 6;
    private static final int INT64_DATA = 7;
    private static final int NAME = 8;
    private static final int RAW_DATA = 9;
    private static final int DOUBLE_DATA = 10;
    private static final int UINT64_DATA = 11;
    private static final int EXTERNAL_DATA = 13;
    private static final int DATA_LOCATION = 14;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private TensorProtoFormat() {
    }

    /** Decodes a TensorProto without external data (EXTERNAL tensors are rejected). */
    public static NamedTensor decode(byte[] bytes, String source) {
        return decode(bytes, source, null);
    }

    /**
     * Decodes a TensorProto; {@code resolver} supplies external data (null: EXTERNAL tensors are rejected).
     *
     * @param source names the origin in messages, e.g. "input_0.pb" or "model.onnx: graph.initializer[2]"
     */
    public static NamedTensor decode(byte[] bytes, String rawSource, ExternalDataResolver resolver) {
        String source = oneLine(rawSource);
        Fields f = Fields.parse(new ProtoWireReader(bytes, 0, bytes.length, source), source);
        String where = f.name.isEmpty() ? source : source + " tensor '" + oneLine(f.name) + "'";
        DType dtype = dtypeOf(f.dataType, where);
        long[] dims = f.dims.toArray();
        long count = elementCount(dims, where);
        Shape shape = Shape.of(dims);
        Object data;
        if (f.external) {
            byte[] ext = externalBytes(f, dtype, count, where, resolver);
            data = fromRaw(ext, 0, ext.length, dtype, count, where);
        } else if (f.rawStart >= 0) {
            data = fromRaw(bytes, f.rawStart, f.rawLength, dtype, count, where);
        } else {
            data = fromTyped(f, dtype, count, where);
        }
        return new NamedTensor(f.name, Tensor.of(dtype, shape, data));
    }

    /** Reads a {@code .pb} file holding one TensorProto; messages start with the file name. */
    public static NamedTensor readFile(Path pb) {
        String source = String.valueOf(pb.getFileName());
        byte[] bytes;
        try {
            if (Files.size(pb) > MAX_ARRAY) {
                throw InvalidInputException.of(source, "file is larger than 2 GB");
            }
            bytes = Files.readAllBytes(pb);
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of(pb, "no such file");
        } catch (IOException e) {
            throw InvalidInputException.of(pb, "cannot read: " + e.getMessage());
        }
        return decode(bytes, source);
    }

    /** Encodes {@code t} as a TensorProto with raw_data (little-endian); {@code name} may be "" or null. */
    public static byte[] encode(String name, Tensor t) {
        byte[] raw = toRaw(t);
        ProtoWireWriter w = new ProtoWireWriter(raw.length + 32);
        for (long d : t.shape().dimsLong()) {
            w.writeVarintField(DIMS, d);
        }
        w.writeVarintField(DATA_TYPE, t.dtype().onnxCode());
        if (name != null && !name.isEmpty()) {
            w.writeStringField(NAME, name);
        }
        w.writeBytesField(RAW_DATA, raw);
        return w.toByteArray();
    }

    /** Writes {@link #encode} to {@code pb} atomically: a temporary file in the same folder, then a rename. */
    public static void writeFile(String name, Tensor t, Path pb) throws IOException {
        Path dir = pb.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + pb.getFileName(), ".tmp");
        try {
            Files.write(tmp, encode(name, t));
            try {
                Files.move(tmp, pb, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, pb, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The element's little-endian bytes, as stored in raw_data. */
    static byte[] toRaw(Tensor t) {
        int n = t.size();
        long bytes = (long) n * t.dtype().byteSize();
        if (bytes > MAX_ARRAY) {
            throw new IllegalArgumentException("tensor " + t + " is too large for one TensorProto");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> b.asFloatBuffer().put(t.floats());
            case FLOAT64 -> b.asDoubleBuffer().put(t.doubles());
            case INT8, UINT8 -> b.put(t.bytes());
            case INT16, FLOAT16, BFLOAT16 -> b.asShortBuffer().put(t.shorts());
            case INT32 -> b.asIntBuffer().put(t.ints());
            case INT64 -> b.asLongBuffer().put(t.longs());
            case BOOL -> {
                for (boolean v : t.bools()) {
                    b.put((byte) (v ? 1 : 0));
                }
            }
        }
        return b.array();
    }

    /** Names and paths from a hostile file may hold line breaks; messages must stay one line. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029' ? '?' : ch);
        }
        return b.toString();
    }

    private static DType dtypeOf(int code, String where) {
        if (code == 0) {
            throw InvalidInputException.of(where, "data_type is missing (UNDEFINED)");
        }
        DType t = DType.fromOnnxCode(code);
        if (t == null) {
            throw InvalidInputException.of(where, "data type " + OnnxTypeNames.name(code) + " is not supported");
        }
        return t;
    }

    private static long elementCount(long[] dims, String where) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw InvalidInputException.of(where, "negative dimension in " + Arrays.toString(dims));
            }
            if (d > Integer.MAX_VALUE) {
                throw InvalidInputException.of(where, "dimension " + d + " exceeds the supported range in "
                        + Arrays.toString(dims));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw InvalidInputException.of(where, "shape " + Arrays.toString(dims) + " overflows the element count");
            }
        }
        if (n > MAX_ARRAY) {
            throw InvalidInputException.of(where, "shape " + Arrays.toString(dims) + " declares " + n
                    + " elements, more than one array can hold");
        }
        return n;
    }

    private static byte[] externalBytes(Fields f, DType dtype, long count, String where, ExternalDataResolver r) {
        long need = count * dtype.byteSize();
        if (need > MAX_ARRAY) {
            throw InvalidInputException.of(where, "external tensor of " + need + " bytes is too large");
        }
        String location = f.externalData.get("location");
        String shown = oneLine(String.valueOf(location));
        if (location == null || location.isEmpty()) {
            throw InvalidInputException.of(where, "external data without a location");
        }
        long offset = parseLong(f.externalData.getOrDefault("offset", "0"), "offset", where);
        String len = f.externalData.get("length");
        if (len != null && parseLong(len, "length", where) != need) {
            throw InvalidInputException.of(where, "external data length " + oneLine(len) + " does not match shape "
                    + Arrays.toString(f.dims.toArray()) + " of " + dtype.displayName() + " (" + need + " bytes)");
        }
        if (r == null) {
            throw InvalidInputException.of(where, "tensor uses external data '" + shown + "', which is not available here");
        }
        byte[] b = r.read(location, offset, need);
        if (b.length != need) {
            throw InvalidInputException.of(where, "external data '" + shown + "' gave " + b.length + " bytes, need " + need);
        }
        return b;
    }

    private static long parseLong(String s, String key, String where) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(where, "external data " + key + " '" + oneLine(s) + "' is not a non-negative integer");
        }
    }

    private static Object fromRaw(byte[] raw, int start, int length, DType dtype, long count, String where) {
        long need = count * dtype.byteSize();
        if (length != need) {
            throw InvalidInputException.of(where, "raw data holds " + length + " bytes, but " + count + " "
                    + dtype.displayName() + " elements need " + need);
        }
        int n = (int) count;
        ByteBuffer b = ByteBuffer.wrap(raw, start, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        Object data = Tensor.allocate(dtype, n);
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get((float[]) data);
            case FLOAT64 -> b.asDoubleBuffer().get((double[]) data);
            case INT8, UINT8 -> b.get((byte[]) data);
            case INT16, FLOAT16, BFLOAT16 -> b.asShortBuffer().get((short[]) data);
            case INT32 -> b.asIntBuffer().get((int[]) data);
            case INT64 -> b.asLongBuffer().get((long[]) data);
            case BOOL -> {
                boolean[] z = (boolean[]) data;
                for (int i = 0; i < n; i++) {
                    z[i] = b.get(i) != 0;
                }
            }
        }
        return data;
    }

    private static Object fromTyped(Fields f, DType dtype, long count, String where) {
        String field = switch (dtype) {
            case FLOAT32 -> "float_data";
            case FLOAT64 -> "double_data";
            case INT64 -> "int64_data";
            default -> "int32_data";
        };
        GrowableLongs values = switch (dtype) {
            case FLOAT32 -> f.floatBits;
            case FLOAT64 -> f.doubleBits;
            case INT64 -> f.int64s;
            default -> f.int32s;
        };
        if (values.size() != count) {
            throw InvalidInputException.of(where, field + " holds " + values.size() + " values, but shape "
                    + Arrays.toString(f.dims.toArray()) + " needs " + count);
        }
        int n = (int) count;
        Object data = Tensor.allocate(dtype, n);
        for (int i = 0; i < n; i++) {
            long v = values.get(i);
            switch (dtype) {
                case FLOAT32 -> ((float[]) data)[i] = Float.intBitsToFloat((int) v);
                case FLOAT64 -> ((double[]) data)[i] = Double.longBitsToDouble(v);
                case INT8, UINT8 -> ((byte[]) data)[i] = (byte) v;
                case INT16, FLOAT16, BFLOAT16 -> ((short[]) data)[i] = (short) v;
                case INT32 -> ((int[]) data)[i] = (int) v;
                case INT64 -> ((long[]) data)[i] = v;
                case BOOL -> ((boolean[]) data)[i] = v != 0;
            }
        }
        return data;
    }

    /** The TensorProto fields as found on the wire; the data stays in the input buffer until the shape is checked. */
    private static final class Fields {
        final GrowableLongs dims = new GrowableLongs();
        final GrowableLongs floatBits = new GrowableLongs();
        final GrowableLongs int32s = new GrowableLongs();
        final GrowableLongs int64s = new GrowableLongs();
        final GrowableLongs doubleBits = new GrowableLongs();
        final Map<String, String> externalData = new LinkedHashMap<>();
        int dataType;
        String name = "";
        int rawStart = -1;
        int rawLength;
        boolean external;

        static Fields parse(ProtoWireReader r, String source) {
            Fields f = new Fields();
            while (r.hasMore()) {
                int at = r.position();
                int tag = r.readTag();
                int field = tag >>> 3;
                int wire = tag & 7;
                switch (field) {
                    case DIMS -> readInts(r, wire, f.dims, ProtoWireReader.VARINT, at);
                    case DATA_TYPE -> f.dataType = (int) expectVarint(r, wire, at);
                    case SEGMENT -> throw r.fail("segmented tensors are not supported", at);
                    case FLOAT_DATA -> readInts(r, wire, f.floatBits, ProtoWireReader.FIXED32, at);
                    case INT32_DATA -> readInts(r, wire, f.int32s, ProtoWireReader.VARINT, at);
                    case STRING_DATA -> throw InvalidInputException.of(source, "data type STRING is not supported");
                    case INT64_DATA -> readInts(r, wire, f.int64s, ProtoWireReader.VARINT, at);
                    case NAME -> f.name = expectString(r, wire, at);
                    case RAW_DATA -> {
                        expectWire(r, wire, ProtoWireReader.LENGTH_DELIMITED, at);
                        f.rawStart = r.readLengthDelimitedStart();
                        f.rawLength = r.position() - f.rawStart;
                    }
                    case DOUBLE_DATA -> readInts(r, wire, f.doubleBits, ProtoWireReader.FIXED64, at);
                    case UINT64_DATA -> readInts(r, wire, new GrowableLongs(), ProtoWireReader.VARINT, at);
                    case EXTERNAL_DATA -> readEntry(r, wire, f.externalData, source, at);
                    case DATA_LOCATION -> f.external = expectVarint(r, wire, at) == 1;
                    default -> r.skip(wire);
                }
            }
            return f;
        }

        private static void expectWire(ProtoWireReader r, int wire, int expected, int at) {
            if (wire != expected) {
                throw r.fail("wire type " + wire + " where " + expected + " was expected", at);
            }
        }

        private static long expectVarint(ProtoWireReader r, int wire, int at) {
            expectWire(r, wire, ProtoWireReader.VARINT, at);
            return r.readVarint();
        }

        private static String expectString(ProtoWireReader r, int wire, int at) {
            expectWire(r, wire, ProtoWireReader.LENGTH_DELIMITED, at);
            return r.readString();
        }

        /** A repeated scalar field, packed (one length-delimited run) or not (one value per tag). */
        private static void readInts(ProtoWireReader r, int wire, GrowableLongs into, int elementWire, int at) {
            if (wire == elementWire) {
                into.add(readOne(r, elementWire));
                return;
            }
            expectWire(r, wire, ProtoWireReader.LENGTH_DELIMITED, at);
            int start = r.readLengthDelimitedStart();
            int end = r.position();
            ProtoWireReader packed = new ProtoWireReader(r.buffer(), start, end - start, "");
            while (packed.hasMore()) {
                int before = packed.position();
                try {
                    into.add(readOne(packed, elementWire));
                } catch (InvalidInputException e) {
                    throw r.fail("malformed packed field", before);
                }
            }
        }

        private static long readOne(ProtoWireReader r, int wire) {
            return switch (wire) {
                case ProtoWireReader.FIXED32 -> r.readFixed32();
                case ProtoWireReader.FIXED64 -> r.readFixed64();
                default -> r.readVarint();
            };
        }

        private static void readEntry(ProtoWireReader r, int wire, Map<String, String> into, String source, int at) {
            expectWire(r, wire, ProtoWireReader.LENGTH_DELIMITED, at);
            int start = r.readLengthDelimitedStart();
            ProtoWireReader e = new ProtoWireReader(r.buffer(), start, r.position() - start, source);
            String key = "";
            String value = "";
            while (e.hasMore()) {
                int eat = e.position();
                int tag = e.readTag();
                switch (tag >>> 3) {
                    case 1 -> key = expectString(e, tag & 7, eat);
                    case 2 -> value = expectString(e, tag & 7, eat);
                    default -> e.skip(tag & 7);
                }
            }
            into.put(key, value);
        }
    }

    /** A long list that grows with the input actually read, never with a declared size. */
    static final class GrowableLongs {
        private long[] values = new long[8];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long get(int i) {
            return values[i];
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
