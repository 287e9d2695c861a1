package org.quantlens.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorProtoFormatTest {
    // onnx.proto TensorProto field numbers
    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;
    private static final int FLOAT_DATA = 4;
    private static final int INT32_DATA = 5;
    private static final int INT64_DATA = 7;
    private static final int NAME = 8;
    private static final int RAW_DATA = 9;
    private static final int DOUBLE_DATA = 10;

    @Test
    void encodeWritesDimsTypeNameAndRawDataInFieldOrder() {
        byte[] b = TensorProtoFormat.encode("a", Tensor.ofInt8(Shape.of(2), (byte) 1, (byte) -1));
        // dims=2 (08 02), data_type=INT8 3 (10 03), name "a" (42 01 61), raw_data [01 ff] (4a 02 01 ff)
        byte[] expected = {0x08, 0x02, 0x10, 0x03, 0x42, 0x01, 0x61, 0x4a, 0x02, 0x01, (byte) 0xff};
        assertArrayEquals(expected, b);
    }

    @Test
    void everyTypeRoundTripsThroughRawData() {
        List<Tensor> all = List.of(
                Tensor.ofFloats(Shape.of(2, 2), 1f, -2.5f, Float.NaN, Float.NEGATIVE_INFINITY),
                Tensor.ofDoubles(Shape.of(2), Math.PI, -0.0),
                Tensor.ofInt8(Shape.of(3), (byte) -128, (byte) 0, (byte) 127),
                Tensor.ofUint8(Shape.of(2), (byte) 255, (byte) 1),
                Tensor.of(DType.INT16, Shape.of(2), new short[] {-32768, 7}),
                Tensor.of(DType.FLOAT16, Shape.of(1), new short[] {0x3c00}),
                Tensor.of(DType.BFLOAT16, Shape.of(1), new short[] {(short) 0xbf80}),
                Tensor.ofInts(Shape.of(2), Integer.MIN_VALUE, 3),
                Tensor.ofLongs(Shape.of(1, 2), Long.MAX_VALUE, -1),
                Tensor.ofBools(Shape.of(3), true, false, true),
                Tensor.scalar(4f),
                Tensor.ofFloats(Shape.of(0, 3)));
        for (Tensor t : all) {
            NamedTensor back = TensorProtoFormat.decode(TensorProtoFormat.encode("t", t), "t.pb");
            assertEquals("t", back.name());
            assertTrue(t.contentEquals(back.tensor()), t + " came back as " + back.tensor());
        }
    }

    @Test
    void typedFieldsDecodePackedAndUnpacked() {
        byte[] unpacked = WireBytes.of().varint(DIMS, 2).varint(DATA_TYPE, 1)
                .fixed32(FLOAT_DATA, Float.floatToIntBits(1.5f)).fixed32(FLOAT_DATA, Float.floatToIntBits(-2f)).build();
        assertArrayEquals(new float[] {1.5f, -2f}, TensorProtoFormat.decode(unpacked, "u.pb").tensor().floats());
        // dims packed as [1, 2]; float_data packed as little-endian 1.0f (0x3f800000), 2.0f (0x40000000)
        byte[] packed = WireBytes.of().bytes(DIMS, new byte[] {1, 2}).varint(DATA_TYPE, 1)
                .bytes(FLOAT_DATA, new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}).build();
        Tensor t = TensorProtoFormat.decode(packed, "p.pb").tensor();
        assertEquals(Shape.of(1, 2), t.shape());
        assertArrayEquals(new float[] {1f, 2f}, t.floats());
    }

    @Test
    void int32DataCarriesSmallIntegersBoolsAndHalfFloatBits() {
        assertArrayEquals(new byte[] {(byte) 200, 1}, TensorProtoFormat.decode(
                WireBytes.of().varint(DIMS, 2).varint(DATA_TYPE, 2).varint(INT32_DATA, 200).varint(INT32_DATA, 1).build(),
                "u8.pb").tensor().bytes());
        assertArrayEquals(new byte[] {-5}, TensorProtoFormat.decode(
                WireBytes.of().varint(DIMS, 1).varint(DATA_TYPE, 3).varint(INT32_DATA, -5).build(), "i8.pb")
                .tensor().bytes());
        assertArrayEquals(new boolean[] {true, false}, TensorProtoFormat.decode(
                WireBytes.of().varint(DIMS, 2).varint(DATA_TYPE, 9).varint(INT32_DATA, 1).varint(INT32_DATA, 0).build(),
                "b.pb").tensor().bools());
        Tensor half = TensorProtoFormat.decode(
                WireBytes.of().varint(DATA_TYPE, 10).varint(INT32_DATA, 0x3c00).build(), "h.pb").tensor();
        assertEquals(1.0, half.getDouble(0), "float16 0x3c00 is 1.0");
        assertEquals(Shape.scalar(), half.shape());
    }

    @Test
    void int64AndDoubleFieldsDecode() {
        assertArrayEquals(new long[] {-3, 1L << 40}, TensorProtoFormat.decode(
                WireBytes.of().varint(DIMS, 2).varint(DATA_TYPE, 7).varint(INT64_DATA, -3).varint(INT64_DATA, 1L << 40)
                        .build(), "l.pb").tensor().longs());
        assertArrayEquals(new double[] {0.25}, TensorProtoFormat.decode(
                WireBytes.of().varint(DIMS, 1).varint(DATA_TYPE, 11)
                        .fixed64(DOUBLE_DATA, Double.doubleToLongBits(0.25)).build(), "d.pb").tensor().doubles());
    }

    @Test
    void emptyTensorNeedsNoDataField() {
        Tensor t = TensorProtoFormat.decode(WireBytes.of().varint(DIMS, 0).varint(DATA_TYPE, 1).build(), "e.pb").tensor();
        assertEquals(0, t.size());
    }

    @Test
    void hugeDeclaredShapeWithTinyDataFailsWithoutAllocating() {
        byte[] b = WireBytes.of().varint(DIMS, 1_000_000).varint(DIMS, 1_000_000).varint(DATA_TYPE, 1)
                .bytes(RAW_DATA, new byte[4]).build();
        assertMessage("big.pb: ", "elements", b);
        byte[] c = WireBytes.of().varint(DIMS, 1_000_000_000_000L).varint(DATA_TYPE, 1).bytes(RAW_DATA, new byte[4]).build();
        assertMessage("big.pb: ", "exceeds", c);
        byte[] d = WireBytes.of().varint(DIMS, 100_000_000).varint(DATA_TYPE, 1).bytes(RAW_DATA, new byte[4]).build();
        assertMessage("big.pb: ", "raw data holds 4 bytes", d);
        byte[] e = WireBytes.of().varint(DIMS, 100_000_000).varint(DATA_TYPE, 1).build();
        assertMessage("big.pb: ", "float_data holds 0 values", e);
        byte[] overflow = WireBytes.of().varint(DIMS, Integer.MAX_VALUE).varint(DIMS, Integer.MAX_VALUE)
                .varint(DIMS, Integer.MAX_VALUE).varint(DATA_TYPE, 1).build();
        assertMessage("big.pb: ", "overflows", overflow);
    }

    @Test
    void negativeDimensionIsRejected() {
        assertMessage("neg.pb: ", "negative dimension",
                WireBytes.of().varint(DIMS, -1).varint(DATA_TYPE, 1).bytes(RAW_DATA, new byte[0]).build());
    }

    @Test
    void rawDataOfTheWrongLengthIsRejected() {
        assertMessage("short.pb: ", "raw data holds 7 bytes, but 2 float32 elements need 8",
                WireBytes.of().varint(DIMS, 2).varint(DATA_TYPE, 1).bytes(RAW_DATA, new byte[7]).build());
    }

    @Test
    void stringAndUnsupportedTypesAreNamed() {
        assertMessage("s.pb: ", "STRING", WireBytes.of().varint(DIMS, 1).varint(DATA_TYPE, 8).build());
        assertMessage("s.pb: ", "STRING", WireBytes.of().varint(DIMS, 1).varint(DATA_TYPE, 8).string(6, "x").build());
        assertMessage("s.pb: ", "UINT32", WireBytes.of().varint(DATA_TYPE, 12).build());
        assertMessage("s.pb: ", "FLOAT8E4M3FN", WireBytes.of().varint(DATA_TYPE, 17).build());
        assertMessage("s.pb: ", "code 99", WireBytes.of().varint(DATA_TYPE, 99).build());
        assertMessage("s.pb: ", "data_type is missing", WireBytes.of().varint(DIMS, 1).build());
    }

    @Test
    void segmentedTensorsAreRejected() {
        byte[] segment = WireBytes.of().varint(1, 0).varint(2, 1).build();
        assertMessage("seg.pb: ", "segmented", WireBytes.of().varint(DATA_TYPE, 1).bytes(3, segment).build());
    }

    @Test
    void wrongWireTypesAndGarbageAreRejected() {
        assertMessage("w.pb: ", "wire type", WireBytes.of().fixed32(DATA_TYPE, 1).build());
        assertMessage("w.pb: ", "wire type", WireBytes.of().fixed64(NAME, 1).build());
        assertMessage("w.pb: ", "wire type", WireBytes.of().tag(DIMS, 3).build());
        assertMessage("w.pb: ", "length", WireBytes.of().lyingLength(RAW_DATA, 1L << 40, new byte[3]).build());
        assertMessage("w.pb: ", "varint", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
        assertMessage("w.pb: ", "field tag", new byte[] {0x00});
    }

    @Test
    void everyTruncationFailsCleanly() {
        byte[] whole = TensorProtoFormat.encode("weights", Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> TensorProtoFormat.decode(part, "cut.pb"), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("cut.pb"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void externalDataGoesThroughTheResolverWithTheTensorSize() {
        byte[] b = WireBytes.of().varint(DIMS, 2).varint(DATA_TYPE, 6).string(NAME, "w").varint(14, 1)
                .message(13, WireBytes.of().string(1, "location").string(2, "w.bin"))
                .message(13, WireBytes.of().string(1, "offset").string(2, "16")).build();
        long[] asked = new long[2];
        ExternalDataResolver r = (loc, off, len) -> {
            assertEquals("w.bin", loc);
            asked[0] = off;
            asked[1] = len;
            return new byte[] {1, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        };
        assertArrayEquals(new int[] {1, -1}, TensorProtoFormat.decode(b, "m.onnx", r).tensor().ints());
        assertArrayEquals(new long[] {16, 8}, asked);
        assertMessage("m.onnx tensor 'w': ", "not available", b);
    }

    @Test
    void externalLengthDisagreeingWithTheShapeIsRejected() {
        byte[] b = WireBytes.of().varint(DIMS, 2).varint(DATA_TYPE, 6).varint(14, 1)
                .message(13, WireBytes.of().string(1, "location").string(2, "w.bin"))
                .message(13, WireBytes.of().string(1, "length").string(2, "4")).build();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TensorProtoFormat.decode(b, "m.onnx", (l, o, n) -> new byte[(int) n]));
        assertTrue(e.getMessage().startsWith("m.onnx: external data length 4"), e.getMessage());
    }

    @Test
    void writeFileReplacesAtomicallyAndReadFileNamesTheFile(@TempDir Path dir) throws IOException {
        Path pb = dir.resolve("input_0.pb");
        Files.write(pb, new byte[] {1, 2, 3});
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> TensorProtoFormat.readFile(pb));
        assertTrue(bad.getMessage().startsWith("input_0.pb: "), bad.getMessage());
        Tensor t = Tensor.ofLongs(Shape.of(3), 1, 2, 3);
        TensorProtoFormat.writeFile("x", t, pb);
        NamedTensor back = TensorProtoFormat.readFile(pb);
        assertEquals("x", back.name());
        assertTrue(t.contentEquals(back.tensor()));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(pb), s.toList(), "no temporary file left behind");
        }
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> TensorProtoFormat.readFile(dir.resolve("nope.pb")));
        assertTrue(missing.getMessage().contains("nope.pb"));
    }

    private static void assertMessage(String prefix, String fragment, byte[] bytes) {
        String source = prefix.substring(0, prefix.indexOf(':')).replace(" tensor 'w'", "");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TensorProtoFormat.decode(bytes, source));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
