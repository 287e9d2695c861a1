package org.quantlens.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.ir.Model;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.WireBytes;

/** External initializer data: read from the model's folder, and only from there. */
class OnnxReaderExternalDataTest {
    @TempDir
    Path root;

    /** A TensorProto "w" of three float32 stored externally at {@code location}, {@code offset}. */
    private static byte[] externalTensor(String location, long offset) {
        return WireBytes.of().varint(1, 3).varint(2, 1).string(8, "w")
                .message(13, WireBytes.of().string(1, "location").string(2, location))
                .message(13, WireBytes.of().string(1, "offset").string(2, Long.toString(offset)))
                .message(13, WireBytes.of().string(1, "length").string(2, "12"))
                .varint(14, 1).build();
    }

    private Path writeModel(String location, long offset) throws IOException {
        Path dir = Files.createDirectories(root.resolve("model"));
        Path file = dir.resolve("model.onnx");
        Files.write(file, OnnxReaderHostileInputTest.model(
                OnnxReaderHostileInputTest.graphWithInitializer(externalTensor(location, offset))));
        return file;
    }

    private static byte[] floats(int padding, float... v) {
        ByteBuffer b = ByteBuffer.allocate(padding + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.position(padding);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private void assertRejected(Path model, String message) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OnnxReader.read(model));
        assertEquals(message, e.getMessage());
    }

    @Test
    void externalDataIsReadAtItsOffset() throws IOException {
        Path model = writeModel("weights.bin", 4);
        Files.write(model.resolveSibling("weights.bin"), floats(4, 1f, -2f, 0.5f));
        Model m = OnnxReader.read(model);
        assertArrayEquals(new float[] {1f, -2f, 0.5f}, m.graph().initializers().get("w").floats());
    }

    @Test
    void externalDataInASubfolderIsAllowed() throws IOException {
        Path model = writeModel("data/./w.bin", 0);
        Files.createDirectories(model.resolveSibling("data"));
        Files.write(model.resolveSibling("data").resolve("w.bin"), floats(0, 3f, 2f, 1f));
        assertArrayEquals(new float[] {3f, 2f, 1f}, OnnxReader.read(model).graph().initializers().get("w").floats());
    }

    @Test
    void parentDirectoryEscapeIsRefused() throws IOException {
        Files.write(root.resolve("outside.bin"), floats(0, 1, 2, 3));
        assertRejected(writeModel("../outside.bin", 0), "model.onnx: external data '../outside.bin' escapes the model folder");
        assertRejected(writeModel("data/../../outside.bin", 0),
                "model.onnx: external data 'data/../../outside.bin' escapes the model folder");
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        Path abs = root.resolve("abs.bin");
        Files.write(abs, floats(0, 1, 2, 3));
        assertRejected(writeModel(abs.toString(), 0), "model.onnx: external data '" + abs + "' escapes the model folder");
    }

    @Test
    void symlinkPointingOutsideIsRefused() throws IOException {
        Files.write(root.resolve("secret.bin"), floats(0, 1, 2, 3));
        Path model = writeModel("link.bin", 0);
        Files.createSymbolicLink(model.resolveSibling("link.bin"), root.resolve("secret.bin"));
        assertRejected(model, "model.onnx: external data 'link.bin' escapes the model folder");
    }

    @Test
    void missingFileIsNamed() throws IOException {
        assertRejected(writeModel("gone.bin", 0), "model.onnx: external data file 'gone.bin' not found");
    }

    @Test
    void shortFileIsRefusedBeforeReading() throws IOException {
        Path model = writeModel("short.bin", 8);
        Files.write(model.resolveSibling("short.bin"), new byte[16]);
        assertRejected(model, "model.onnx: external data 'short.bin' holds 16 bytes, but the tensor needs 12 at offset 8");
    }

    @Test
    void modelFromMemoryHasNoFolderForExternalData() {
        byte[] bytes = OnnxReaderHostileInputTest.model(
                OnnxReaderHostileInputTest.graphWithInitializer(externalTensor("w.bin", 0)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OnnxReader.read(bytes, null, "mem.onnx"));
        assertEquals("mem.onnx: external data 'w.bin' needs the model's folder, which is unknown", e.getMessage());
    }
}
