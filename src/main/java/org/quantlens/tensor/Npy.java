package org.quantlens.tensor;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * numpy {@code .npy} files (format versions 1.0, 2.0 and 3.0, as specified in numpy's {@code numpy.lib.format}).
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length (uint16 little-endian
 * in 1.0, uint32 in 2.0/3.0), the header (latin-1 in 1.0/2.0, UTF-8 in 3.0): a Python dict literal with exactly the
 * keys {@code 'descr'}, {@code 'fortran_order'} and {@code 'shape'}, then the raw elements.
 *
 * <p>Reading accepts the dtypes {@code f2 f4 f8 i1 u1 i2 i4 i8 b1} (and {@code ?} for bool) with byte order
 * {@code <}, {@code >}, {@code |} or {@code =} (native, taken as little-endian like every machine numpy runs on
 * today; a descr without an order character is native too), C or Fortran order (Fortran data is reordered to C
 * order), 0-d arrays (shape {@code ()}, one element) and zero-size arrays. Bool bytes other than 0 read as true.
 * Bytes after the last element are ignored, as numpy does. The header is parsed, never evaluated.
 *
 * <p>Hostile input (truncation, bad magic, an unknown dtype, a header that is not such a dict, negative or absurd
 * dimensions, data shorter than the shape needs) raises {@link InvalidInputException} with one line naming the
 * source; the element count times the item size is compared with the bytes present before anything is allocated.
 *
 * <p>Writing produces what {@code numpy.save} produces for a C-contiguous array: little-endian data, C order,
 * version 1.0 (2.0 if the header does not fit 65535 bytes), the keys in sorted order, numpy's 21-digit growth-axis
 * spare space, the header padded with spaces so the data starts on a 64-byte boundary, ending in {@code '\n'}.
 * BFLOAT16 cannot be written: numpy has no such dtype.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Set<Object> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final String SUPPORTED = "f2, f4, f8, i1, u1, i2, i4, i8, b1";

    private Npy() {
    }

    /** A parsed header: element type, byte order, layout and where the data starts. */
    private record Header(DType dtype, ByteOrder order, boolean fortran, int[] dims, int dataOffset) {
    }

    /** Reads the array in {@code path}; errors name the path. */
    public static Tensor read(Path path) {
        return read(readAllBytes(path), path.toString());
    }

    /** Reads a whole {@code .npy} image held in memory; {@code source} names it in error messages. */
    public static Tensor read(byte[] bytes, String source) {
        Header h = parseHeader(bytes, source);
        long count = elementCount(h.dims, source);
        long needed = count * h.dtype.byteSize();
        long available = bytes.length - (long) h.dataOffset;
        if (needed > available) {
            throw InvalidInputException.of(source, "data is truncated: shape " + shapeRepr(h.dims) + " of "
                    + h.dtype.displayName() + " needs " + needed + " bytes, only " + available + " present");
        }
        int n = (int) count;
        int offset = h.dataOffset;
        byte[] raw = bytes;
        if (h.fortran && h.dims.length > 1) {
            raw = fortranToC(bytes, offset, h.dims, h.dtype.byteSize());
            offset = 0;
        }
        Object data = decode(raw, offset, n, h.dtype, h.order);
        return Tensor.of(h.dtype, Shape.of(h.dims), data);
    }

    /** Writes {@code t} to {@code path} atomically (temporary file, then rename). */
    public static void write(Tensor t, Path path) {
        requireWritable(t, path.toString());
        AtomicFiles.write(path, toBytes(t));
    }

    /** The bytes {@code numpy.save} would write for {@code t}. */
    public static byte[] toBytes(Tensor t) {
        requireWritable(t, "tensor");
        byte[] header = headerBytes(t);
        long total = (long) header.length + (long) t.size() * t.dtype().byteSize();
        if (total > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("tensor " + t.shape() + " is too large for one in-memory .npy image");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        encode(t, out);
        return out.array();
    }

    private static void requireWritable(Tensor t, String target) {
        if (t.dtype().numpyKind() == null) {
            throw InvalidInputException.of(target, "numpy has no " + t.dtype().displayName()
                    + " dtype; convert the tensor to float32 before writing .npy");
        }
    }

    static byte[] readAllBytes(Path path) {
        try {
            long size = Files.size(path);
            if (size > Integer.MAX_VALUE - 8) {
                throw InvalidInputException.of(path, "file is too large (" + size + " bytes) to read as one array");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of(path, "no such file");
        } catch (IOException e) {
            throw InvalidInputException.of(path, "cannot read: " + e);
        }
    }

    private static Header parseHeader(byte[] bytes, String source) {
        int major = checkMagicAndVersion(bytes, source);
        int lengthBytes = major == 1 ? 2 : 4;
        int headerStart = 8 + lengthBytes;
        if (bytes.length < headerStart) {
            throw InvalidInputException.of(source, "truncated in the header length");
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (bytes[8 + i] & 0xff);
        }
        if (headerStart + headerLength > bytes.length) {
            throw InvalidInputException.of(source, "truncated: the header declares " + headerLength + " bytes, only "
                    + (bytes.length - headerStart) + " present");
        }
        String text = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Object parsed = PythonLiteralParser.parse(text, source);
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw InvalidInputException.of(source, "header is not a dict");
        }
        if (!dict.keySet().equals(KEYS)) {
            throw InvalidInputException.of(source, "header keys must be 'descr', 'fortran_order' and 'shape', got "
                    + SafeText.printable(dict.keySet()));
        }
        DType dtype = dtypeOf(dict.get("descr"), source);
        ByteOrder order = byteOrderOf((String) dict.get("descr"));
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw InvalidInputException.of(source, "fortran_order is not True or False: "
                    + SafeText.printable(dict.get("fortran_order")));
        }
        int[] dims = dimsOf(dict.get("shape"), source);
        return new Header(dtype, order, fortran, dims, (int) (headerStart + headerLength));
    }

    /** Checks the magic bytes and returns the major version (1, 2 or 3). */
    private static int checkMagicAndVersion(byte[] bytes, String source) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= bytes.length) {
                throw InvalidInputException.of(source, "truncated: " + bytes.length + " bytes, too short for a .npy file");
            }
            if (bytes[i] != MAGIC[i]) {
                throw InvalidInputException.of(source, "not a .npy file (bad magic bytes)");
            }
        }
        if (bytes.length < 8) {
            throw InvalidInputException.of(source, "truncated after the magic bytes");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw InvalidInputException.of(source, "unsupported .npy format version " + major + "." + minor);
        }
        return major;
    }

    private static DType dtypeOf(Object descr, String source) {
        if (!(descr instanceof String s)) {
            throw InvalidInputException.of(source, "structured dtype " + SafeText.printable(descr) + " is not supported");
        }
        String kind = !s.isEmpty() && "<>|=".indexOf(s.charAt(0)) >= 0 ? s.substring(1) : s;
        DType t = switch (kind) {
            case "f2" -> DType.FLOAT16;
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "i1" -> DType.INT8;
            case "u1" -> DType.UINT8;
            case "i2" -> DType.INT16;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "b1", "?" -> DType.BOOL;
            default -> null;
        };
        if (t == null) {
            throw InvalidInputException.of(source, "dtype '" + SafeText.printable(s, 40) + "' is not supported (supported: "
                    + SUPPORTED + ")");
        }
        return t;
    }

    private static ByteOrder byteOrderOf(String descr) {
        return descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static int[] dimsOf(Object shape, String source) {
        if (!(shape instanceof PythonLiteralParser.Tuple tuple)) {
            throw InvalidInputException.of(source, "shape is not a tuple: " + SafeText.printable(shape));
        }
        if (tuple.size() > 64) {
            throw InvalidInputException.of(source, "shape has " + tuple.size() + " dimensions (at most 64 allowed)");
        }
        int[] dims = new int[tuple.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(tuple.get(i) instanceof BigInteger d)) {
                throw InvalidInputException.of(source, "shape " + SafeText.printable(tuple) + " holds a non-integer");
            }
            if (d.signum() < 0) {
                throw InvalidInputException.of(source, "shape " + SafeText.printable(tuple) + " has a negative dimension");
            }
            if (d.bitLength() > 31) {
                throw InvalidInputException.of(source, "shape " + SafeText.printable(tuple) + " has an absurd dimension "
                        + SafeText.printable(d, 50));
            }
            dims[i] = d.intValue();
        }
        return dims;
    }

    private static long elementCount(int[] dims, String source) {
        long n = 1;
        for (int d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw InvalidInputException.of(source, "shape " + shapeRepr(dims) + " has too many elements");
            }
        }
        return n;
    }

    /** Reorders Fortran-order element bytes into C order; the result starts at offset 0. */
    private static byte[] fortranToC(byte[] src, int offset, int[] dims, int itemSize) {
        int rank = dims.length;
        int n = 1;
        int[] fortranStride = new int[rank]; // in elements: axis 0 varies fastest
        for (int k = 0; k < rank; k++) {
            fortranStride[k] = n;
            n *= dims[k];
        }
        byte[] dst = new byte[n * itemSize];
        int[] index = new int[rank];
        int from = 0;
        for (int to = 0; to < n; to++) {
            System.arraycopy(src, offset + from * itemSize, dst, to * itemSize, itemSize);
            for (int k = rank - 1; k >= 0; k--) { // advance the C-order odometer, last axis fastest
                index[k]++;
                from += fortranStride[k];
                if (index[k] < dims[k]) {
                    break;
                }
                from -= fortranStride[k] * dims[k];
                index[k] = 0;
            }
        }
        return dst;
    }

    private static Object decode(byte[] raw, int offset, int n, DType dtype, ByteOrder order) {
        ByteBuffer in = ByteBuffer.wrap(raw, offset, n * dtype.byteSize()).slice().order(order);
        Object data = Tensor.allocate(dtype, n);
        switch (dtype) {
            case FLOAT32 -> in.asFloatBuffer().get((float[]) data);
            case FLOAT64 -> in.asDoubleBuffer().get((double[]) data);
            case INT8, UINT8 -> in.get((byte[]) data);
            case INT16, FLOAT16, BFLOAT16 -> in.asShortBuffer().get((short[]) data);
            case INT32 -> in.asIntBuffer().get((int[]) data);
            case INT64 -> in.asLongBuffer().get((long[]) data);
            case BOOL -> {
                boolean[] b = (boolean[]) data;
                for (int i = 0; i < n; i++) {
                    b[i] = in.get(i) != 0;
                }
            }
        }
        return data;
    }

    private static void encode(Tensor t, ByteBuffer out) {
        Object data = t.data();
        int start = out.position();
        ByteBuffer body = out.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> body.asFloatBuffer().put((float[]) data);
            case FLOAT64 -> body.asDoubleBuffer().put((double[]) data);
            case INT8, UINT8 -> body.put((byte[]) data);
            case INT16, FLOAT16, BFLOAT16 -> body.asShortBuffer().put((short[]) data);
            case INT32 -> body.asIntBuffer().put((int[]) data);
            case INT64 -> body.asLongBuffer().put((long[]) data);
            case BOOL -> {
                boolean[] b = (boolean[]) data;
                for (int i = 0; i < b.length; i++) {
                    body.put(i, (byte) (b[i] ? 1 : 0));
                }
            }
        }
        out.position(start + t.size() * t.dtype().byteSize());
    }

    /** The magic, version, length field and padded header that precede the data. */
    private static byte[] headerBytes(Tensor t) {
        int[] dims = t.shape().dims();
        String descr = (t.dtype().byteSize() == 1 ? "|" : "<") + t.dtype().numpyKind();
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': ").append(shapeRepr(dims)).append(", }");
        if (dims.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(dims[0]).length()));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int withNewline = text.length + 1;
        int major = 1;
        int lengthBytes = 2;
        int padding = ALIGN - ((MAGIC.length + 2 + lengthBytes + withNewline) % ALIGN);
        if (withNewline + padding > 0xffff) {
            major = 2;
            lengthBytes = 4;
            padding = ALIGN - ((MAGIC.length + 2 + lengthBytes + withNewline) % ALIGN);
        }
        int headerLength = withNewline + padding;
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(text);
        b.put(" ".repeat(padding).getBytes(StandardCharsets.ISO_8859_1)).put((byte) '\n');
        return b.array();
    }

    /** Python's repr of a shape tuple: "()", "(3,)", "(2, 3)". */
    static String shapeRepr(int[] dims) {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            b.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return b.append(')').toString();
    }
}
