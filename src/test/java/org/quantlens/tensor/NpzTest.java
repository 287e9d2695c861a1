package org.quantlens.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    @TempDir
    Path dir;

    private static byte[] zip(int method, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.setMethod(method);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (method == ZipEntry.STORED) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private String error(Path p) {
        return assertThrows(InvalidInputException.class, () -> Npz.read(p)).getMessage();
    }

    @Test
    void roundTripKeepsNamesAndOrder() {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("zeta", Tensor.ofFloats(Shape.of(2), 1, 2));
        arrays.put("alpha", Tensor.ofLongs(Shape.of(1, 1), 9));
        Path p = dir.resolve("a.npz");
        Npz.write(arrays, p);
        LinkedHashMap<String, Tensor> back = Npz.read(p);
        assertEquals(List.of("zeta", "alpha"), List.copyOf(back.keySet()));
        assertTrue(arrays.get("alpha").contentEquals(back.get("alpha")));
        assertTrue(arrays.get("zeta").contentEquals(back.get("zeta")));
    }

    @Test
    void readsDeflatedArchivesLikeSavezCompressed() throws IOException {
        Tensor t = Tensor.zeros(DType.FLOAT32, Shape.of(1000));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("x.npy", Npy.toBytes(t));
        Path p = file("c.npz", zip(ZipEntry.DEFLATED, entries));
        assertTrue(t.contentEquals(Npz.read(p).get("x")));
    }

    @Test
    void archiveWithoutArraysIsAnError() throws IOException {
        Path p = file("empty.npz", zip(ZipEntry.DEFLATED, Map.of()));
        assertEquals(p + ": contains no arrays", error(p));
    }

    @Test
    void garbageAndNonNpyEntriesAreErrors() throws IOException {
        assertTrue(error(file("g.npz", "PK garbage".getBytes())).contains("not a valid zip"));
        Path txt = file("t.npz", zip(ZipEntry.DEFLATED, Map.of("notes.txt", new byte[] {1})));
        assertTrue(error(txt).contains("notes.txt"));
        Path badNpy = file("b.npz", zip(ZipEntry.STORED, Map.of("x.npy", new byte[] {1, 2, 3})));
        assertTrue(error(badNpy).startsWith(badNpy + "[x.npy]: "), error(badNpy));
    }

    /** Overwrites the uncompressed size in the first central-directory record (offset 24 from its signature). */
    private static byte[] withDeclaredSize(byte[] zip, int size) {
        ByteBuffer b = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = zip.length - 4; i >= 0; i--) {
            if (b.getInt(i) == 0x02014b50) {
                b.putInt(i + 24, size);
                return b.array();
            }
        }
        throw new AssertionError("no central directory");
    }

    @Test
    void entryInflatingPastItsDeclaredSizeIsRejected() throws IOException {
        byte[] z = zip(ZipEntry.DEFLATED, Map.of("x.npy", Npy.toBytes(Tensor.zeros(DType.FLOAT32, Shape.of(100_000)))));
        assertTrue(error(file("bomb.npz", withDeclaredSize(z, 200))).contains("past its declared size"));
    }

    @Test
    void entryDeclaringMoreThanItHoldsIsTruncatedNotAllocated() throws IOException {
        byte[] z = zip(ZipEntry.DEFLATED, Map.of("x.npy", Npy.toBytes(Tensor.zeros(DType.FLOAT32, Shape.of(10)))));
        assertTrue(error(file("liar.npz", withDeclaredSize(z, 0x7ffffff0))).contains("truncated"));
    }
}
