package org.quantlens.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures are built byte by byte from the .npy format description in numpy's numpy.lib.format. */
class NpyTest {
    @TempDir
    Path dir;

    /** magic, version, header length (2 or 4 bytes LE), the dict padded with spaces to 64 bytes and '\n', data. */
    static byte[] npy(int major, String dict, byte[] data) {
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lenBytes = major == 1 ? 2 : 4;
        int unpadded = 8 + lenBytes + text.length + 1;
        int pad = (64 - unpadded % 64) % 64;
        int headerLen = text.length + pad + 1;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + headerLen + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) headerLen);
        } else {
            b.putInt(headerLen);
        }
        b.put(text).put(" ".repeat(pad).getBytes(StandardCharsets.ISO_8859_1)).put((byte) '\n').put(data);
        return b.array();
    }

    static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
    }

    static byte[] floatsLe(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void writesExactlyTheBytesNumpySaveWritesForAFloatMatrix() {
        Tensor t = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        // numpy: sorted keys, 21 - len("2") growth spaces, padded so magic+len+header is 128 bytes
        String text = dict("<f4", false, "(2, 3)") + " ".repeat(20);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
        expected.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(" ".repeat(118 - 1 - text.length()).getBytes(StandardCharsets.US_ASCII));
        expected.write('\n');
        expected.writeBytes(floatsLe(1, 2, 3, 4, 5, 6));
        assertArrayEquals(expected.toByteArray(), Npy.toBytes(t));
    }

    @Test
    void writesScalarsAndOneDimensionalShapesInPythonTupleSyntax() {
        String scalar = new String(Npy.toBytes(Tensor.scalar(1f)), StandardCharsets.ISO_8859_1);
        assertTrue(scalar.contains("'shape': (), }"), scalar);
        String vector = new String(Npy.toBytes(Tensor.ofBools(Shape.of(3), true, false, true)), StandardCharsets.ISO_8859_1);
        assertTrue(vector.contains("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }"), vector);
    }

    @Test
    void dataAlwaysStartsOnA64ByteBoundaryAndHeaderEndsInNewline() {
        for (int rank = 0; rank < 12; rank++) {
            int[] dims = new int[rank];
            Arrays.fill(dims, 1);
            byte[] b = Npy.toBytes(Tensor.zeros(DType.INT16, Shape.of(dims)));
            int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            assertEquals(0, (10 + headerLen) % 64, "rank " + rank);
            assertEquals('\n', b[10 + headerLen - 1]);
            assertEquals(10 + headerLen + 2, b.length);
        }
    }

    @Test
    void headerTooLongForVersion1IsWrittenAsVersion2() {
        int[] dims = new int[30000]; // "(1, 1, ...)" needs about 90000 header bytes, past version 1.0's uint16
        Arrays.fill(dims, 1);
        byte[] b = Npy.toBytes(Tensor.zeros(DType.INT8, Shape.of(dims)));
        assertEquals(2, b[6]);
        long headerLen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertTrue(headerLen > 0xffff);
        assertEquals(0, (12 + headerLen) % 64);
        assertEquals('\n', b[(int) (12 + headerLen - 1)]);
        assertEquals(12 + headerLen + 1, b.length);
    }

    @Test
    void everyWritableDtypeRoundTrips() {
        Tensor[] tensors = {
            Tensor.ofFloats(Shape.of(2), 1.5f, -0f),
            Tensor.ofDoubles(Shape.of(1, 2), Math.PI, Double.NaN),
            Tensor.ofInt8(Shape.of(2), (byte) -128, (byte) 127),
            Tensor.ofUint8(Shape.of(2), (byte) 255, (byte) 0),
            Tensor.of(DType.INT16, Shape.of(2), new short[] {-32768, 1}),
            Tensor.of(DType.FLOAT16, Shape.of(2), new short[] {0x3e00, (short) 0xc000}),
            Tensor.ofInts(Shape.of(2, 1), Integer.MIN_VALUE, 7),
            Tensor.ofLongs(Shape.of(1), Long.MAX_VALUE),
            Tensor.ofBools(Shape.of(2), true, false),
            Tensor.ofFloats(Shape.of(0, 5)),
        };
        for (Tensor t : tensors) {
            Tensor back = Npy.read(Npy.toBytes(t), "t.npy");
            assertTrue(t.contentEquals(back), t + " came back as " + back);
        }
    }

    @Test
    void writeToPathIsReadableAndLeavesNoTemporaryFile() throws Exception {
        Path p = dir.resolve("x.npy");
        Tensor t = Tensor.ofInts(Shape.of(3), 1, 2, 3);
        Npy.write(t, p);
        Npy.write(t, p); // overwrite in place
        assertTrue(t.contentEquals(Npy.read(p)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writingBfloat16IsAnErrorBecauseNumpyHasNoSuchDtype() {
        Tensor t = Tensor.of(DType.BFLOAT16, Shape.of(1), new short[] {0x3f80});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.write(t, dir.resolve("b.npy")));
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("b.npy")));
    }

    @Test
    void readsVersions2And3Headers() {
        byte[] data = floatsLe(7, 8);
        assertEquals(8f, Npy.read(npy(2, dict("<f4", false, "(2,)"), data), "v2").floats()[1]);
        assertEquals(7f, Npy.read(npy(3, dict("<f4", false, "(2,)"), data), "v3").floats()[0]);
    }

    @Test
    void readsBigEndianNativeAndNotApplicableByteOrders() {
        byte[] be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(1).putInt(-2).array();
        assertArrayEquals(new int[] {1, -2}, Npy.read(npy(1, dict(">i4", false, "(2,)"), be), "be").ints());
        byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).array();
        assertEquals(0.25, Npy.read(npy(1, dict("=f8", false, "()"), le), "native").doubles()[0]);
        Tensor u8 = Npy.read(npy(1, dict("|u1", false, "(2,)"), new byte[] {(byte) 200, 3}), "u8");
        assertEquals(DType.UINT8, u8.dtype());
        assertEquals(200, u8.getLong(0));
        byte[] bigHalf = {(byte) 0xbc, 0x00}; // -1.0 in binary16, big-endian
        assertEquals(-1f, Float16.toFloat(Npy.read(npy(1, dict(">f2", false, "(1,)"), bigHalf), "h").shorts()[0]));
    }

    @Test
    void boolBytesOtherThanZeroReadAsTrue() {
        Tensor t = Npy.read(npy(1, dict("|b1", false, "(3,)"), new byte[] {0, 1, 2}), "b");
        assertArrayEquals(new boolean[] {false, true, true}, t.bools());
    }

    @Test
    void fortranOrderIsReorderedToCOrder() {
        // 2x3 matrix [[1,2,3],[4,5,6]] stored column by column
        Tensor m = Npy.read(npy(1, dict("<f4", true, "(2, 3)"), floatsLe(1, 4, 2, 5, 3, 6)), "f");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.floats());
        // rank 3: element (i,j,k) = 100i + 10j + k sits at Fortran offset i + 2j + 6k
        int[] fortran = new int[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
                }
            }
        }
        ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(fortran);
        int[] c = Npy.read(npy(1, dict("<i4", true, "(2, 3, 4)"), b.array()), "f3").ints();
        assertEquals(0, c[0]);
        assertEquals(1, c[1]);
        assertEquals(10, c[4]);
        assertEquals(123, c[23]);
        assertEquals(112, c[12 + 4 + 2]);
    }

    @Test
    void zeroDimensionalAndZeroSizeArrays() {
        Tensor scalar = Npy.read(npy(1, dict("<f4", false, "()"), floatsLe(3)), "s");
        assertEquals(0, scalar.rank());
        assertEquals(3f, scalar.floats()[0]);
        Tensor empty = Npy.read(npy(1, dict("<i8", true, "(0, 4)"), new byte[0]), "e");
        assertEquals(Shape.of(0, 4), empty.shape());
    }

    @Test
    void acceptsPython2LongSuffixesAndDoubleQuotes() {
        Tensor t = Npy.read(npy(1, "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1L, 2L)}", floatsLe(1, 2)), "py2");
        assertEquals(Shape.of(1, 2), t.shape());
    }

    private static String error(byte[] bytes) {
        return assertThrows(InvalidInputException.class, () -> Npy.read(bytes, "x.npy")).getMessage();
    }

    @Test
    void unsupportedDtypesAreNamedInTheMessage() {
        assertTrue(error(npy(1, dict("<c8", false, "(1,)"), new byte[8])).startsWith("x.npy: dtype '<c8' is not supported"));
        assertTrue(error(npy(1, dict("<U5", false, "(1,)"), new byte[20])).contains("'<U5'"));
        assertTrue(error(npy(1, dict("|O", false, "(1,)"), new byte[8])).contains("'|O'"));
        assertTrue(error(npy(1, dict("<u4", false, "(1,)"), new byte[4])).contains("'<u4'"));
        String structured = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }";
        assertTrue(error(npy(1, structured, new byte[4])).contains("structured"));
    }

    @Test
    void malformedHeadersAreRejectedWithOneLineNamingTheFile() {
        String[] bad = {
            "[1, 2]", // not a dict
            "{'descr': '<f4', 'shape': (1,)}", // missing key
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing",
            "{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(100) + ")".repeat(100) + "}",
        };
        for (String h : bad) {
            String msg = error(npy(1, h, new byte[4]));
            assertTrue(msg.startsWith("x.npy: "), msg);
            assertTrue(!msg.contains("\n"), msg);
        }
    }

    @Test
    void absurdShapesFailBeforeAnyAllocation() {
        assertTrue(error(npy(1, dict("<f8", false, "(100000, 100000, 100000)"), new byte[8])).contains("too many"));
        assertTrue(error(npy(1, dict("<f8", false, "(99999999999999999999,)"), new byte[8])).contains("absurd"));
        assertTrue(error(npy(1, dict("<f8", false, "(100000, 10000)"), new byte[8])).contains("truncated"));
    }

    @Test
    void badMagicUnknownVersionAndEveryTruncationAreRejected() {
        assertTrue(error("hello world, not numpy".getBytes(StandardCharsets.US_ASCII)).contains("bad magic"));
        byte[] good = npy(1, dict("<f4", false, "(2, 2)"), floatsLe(1, 2, 3, 4));
        byte[] v9 = good.clone();
        v9[6] = 9;
        assertTrue(error(v9).contains("version 9.0"));
        for (int len = 0; len < good.length; len++) {
            String msg = error(Arrays.copyOf(good, len));
            assertTrue(msg.startsWith("x.npy: "), msg);
        }
    }

    @Test
    void missingFileIsReportedByName() {
        Path p = dir.resolve("nope.npy");
        String msg = assertThrows(InvalidInputException.class, () -> Npy.read(p)).getMessage();
        assertEquals(p + ": no such file", msg);
    }
}
