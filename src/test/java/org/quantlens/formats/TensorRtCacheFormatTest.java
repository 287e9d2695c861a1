package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.tensor.InvalidInputException;

class TensorRtCacheFormatTest {
    @TempDir
    Path dir;

    /**
     * The golden file was written by hand from the format (header TRT-8601-EntropyCalibration2, then
     * "name: hex"); the hex values are the big-endian float32 bits of threshold/127, computed once, independently of
     * this code, with Python: struct.pack('>f', 2.54/127).hex() = 3ca3d70a, struct.pack('>f', 6.35/127).hex() =
     * 3d4ccccd, struct.pack('>f', 127/127).hex() = 3f800000.
     */
    @Test
    void writesTheHandMadeGoldenFileByteForByte() throws IOException {
        Path out = dir.resolve("cal.cache");
        List<String> warnings = TensorRtCacheFormat.write(TestTables.trtGoldenTable(), out);
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("tensorrt_golden.cache")) {
            golden = in.readAllBytes();
        }
        assertEquals(new String(golden, StandardCharsets.UTF_8), Files.readString(out));
        assertArrayEquals(golden, Files.readAllBytes(out));
        assertTrue(warnings.get(0).contains("weight"), warnings.toString());
    }

    @Test
    void headerSaysMinMaxCalibrationWhenEveryMethodIsMinmax() throws IOException {
        CalibrationTable t = TestTables.table("int8-symmetric", Map.of("x", TestTables.sym("minmax", 1.27)));
        Path out = dir.resolve("c");
        TensorRtCacheFormat.write(t, out);
        assertEquals("TRT-8601-MinMaxCalibration\nx: 3c23d70a\n", Files.readString(out));
    }

    @Test
    void readingTheGoldenFileGivesSymmetricRangesFromScaleTimes127() throws IOException {
        Path in = write("TRT-8601-EntropyCalibration2\ninput: 3ca3d70a\nconv1/out:0: 3d4ccccd\nrelu: 3f800000");
        ImportedTable imp = TensorRtCacheFormat.read(in, null);
        ActivationEntry relu = imp.table().activationEntries().get("relu");
        assertEquals(-127.0, relu.min());
        assertEquals(127.0, relu.max());
        assertEquals(1.0, relu.scale());
        assertEquals(0, relu.zeroPoint());
        assertEquals("kl-tensorrt", relu.method());
        assertEquals(2.54, imp.table().activationEntries().get("input").max(), 2.54 * 1e-7);
        assertEquals(6.35, imp.table().activationEntries().get("conv1/out:0").max(), 6.35 * 1e-7);
        assertEquals("int8-symmetric", imp.table().activations().scheme());
    }

    @Test
    void roundTripKeepsThresholdsWithinFloat32Precision() {
        CalibrationTable t = TestTables.trtGoldenTable();
        Path out = dir.resolve("rt.cache");
        TensorRtCacheFormat.write(t, out);
        TestTables.assertSameThresholds(t, TensorRtCacheFormat.read(out, null).table());
    }

    @Test
    void zeroRangeIsLeftOutWithAWarning() throws IOException {
        CalibrationTable t = TestTables.table("int8-symmetric", Map.of("dead", TestTables.act("minmax", 0, 0, 1, 0)));
        Path out = dir.resolve("z");
        List<String> w = TensorRtCacheFormat.write(t, out);
        assertEquals("TRT-8601-MinMaxCalibration\n", Files.readString(out));
        assertTrue(w.get(0).startsWith("dead:"), w.toString());
    }

    @Test
    void badHexIsReportedWithItsLineNumber() throws IOException {
        Path in = write("TRT-8601-EntropyCalibration2\na: 3c23d70a\nb: zz12\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TensorRtCacheFormat.read(in, null));
        assertEquals(in + ":3: bad hex 'zz12'", e.getMessage());
    }

    @Test
    void wrongHeaderIsRejectedOnLineOne() throws IOException {
        Path in = write("TRT-8601-Bogus\na: 3c23d70a\n");
        String msg = assertThrows(InvalidInputException.class, () -> TensorRtCacheFormat.read(in, null)).getMessage();
        assertTrue(msg.startsWith(in + ":1: not a TensorRT calibration cache header 'TRT-8601-Bogus'"), msg);
    }

    @Test
    void nanZeroNegativeAndInfiniteScalesAreRejected() throws IOException {
        for (String hex : new String[] {"7fc00000", "00000000", "bf800000", "7f800000"}) {
            Path in = write("TRT-8601-EntropyCalibration2\na: " + hex + "\n");
            String msg = assertThrows(InvalidInputException.class, () -> TensorRtCacheFormat.read(in, null)).getMessage();
            assertTrue(msg.startsWith(in + ":2: scale must be finite and > 0"), msg);
        }
    }

    @Test
    void duplicateTensorIsRejected() throws IOException {
        Path in = write("TRT-8601-EntropyCalibration2\na: 3c23d70a\nb: 3c23d70a\na: 3c23d70a\n");
        assertEquals(in + ":4: duplicate tensor 'a' (first on line 2)",
                assertThrows(InvalidInputException.class, () -> TensorRtCacheFormat.read(in, null)).getMessage());
    }

    @Test
    void emptyFileAndLineWithoutColonAreRejected() throws IOException {
        Path empty = write("");
        assertEquals(empty + ": empty file",
                assertThrows(InvalidInputException.class, () -> TensorRtCacheFormat.read(empty, null)).getMessage());
        Path noColon = write("TRT-8601-EntropyCalibration2\njust-a-name\n");
        assertTrue(assertThrows(InvalidInputException.class, () -> TensorRtCacheFormat.read(noColon, null))
                .getMessage().startsWith(noColon + ":2: expected '<tensor>: <hex scale>'"));
    }

    @Test
    void binaryGarbageIsBadInputNotACrash() throws IOException {
        Path in = dir.resolve("garbage");
        Files.write(in, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
        assertThrows(InvalidInputException.class, () -> TensorRtCacheFormat.read(in, null));
    }

    private int files;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("in" + (files++) + ".cache");
        Files.writeString(p, text);
        return p;
    }
}
