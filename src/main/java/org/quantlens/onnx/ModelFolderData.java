package org.quantlens.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.quantlens.tensor.ExternalDataResolver;
import org.quantlens.tensor.InvalidInputException;

/**
 * External tensor data (ONNX {@code data_location = EXTERNAL}) read from files inside the model's folder only.
 * The location is resolved against the folder and normalised; absolute paths, {@code ..} that climbs out, and
 * symbolic links pointing outside are refused with "model.onnx: external data 'x' escapes the model folder".
 * The file's size is checked against offset + length before any buffer is allocated.
 */
final class ModelFolderData implements ExternalDataResolver {
    private final Path folder;
    private final String source;

    /** {@code folder} may be null when the model has no folder (bytes from memory): then external data fails. */
    ModelFolderData(Path folder, String source) {
        this.folder = folder;
        this.source = source;
    }

    @Override
    public byte[] read(String rawLocation, long offset, long length) {
        Path file = confine(rawLocation);
        String location = ProtoCursor.oneLine(rawLocation);
        try {
            long size = Files.size(file);
            if (offset > size || length > size - offset) {
                throw fail("external data '" + location + "' holds " + size
                        + " bytes, but the tensor needs " + length + " at offset " + offset);
            }
            byte[] data = new byte[(int) length];
            ByteBuffer buf = ByteBuffer.wrap(data);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                while (buf.hasRemaining()) {
                    if (ch.read(buf, offset + buf.position()) < 0) {
                        throw fail("external data '" + location + "' ended early");
                    }
                }
            }
            return data;
        } catch (IOException e) {
            throw fail("cannot read external data '" + location + "': " + e.getMessage());
        }
    }

    /** The real path of {@code location} inside the folder, or an exception saying why not. */
    private Path confine(String rawLocation) {
        String location = ProtoCursor.oneLine(rawLocation);
        if (folder == null) {
            throw fail("external data '" + location + "' needs the model's folder, which is unknown");
        }
        Path rel;
        try {
            rel = Path.of(rawLocation);
        } catch (InvalidPathException e) {
            throw fail("external data '" + location + "' is not a valid path");
        }
        if (rel.isAbsolute() || rawLocation.startsWith("/") || rawLocation.startsWith("\\") || rawLocation.contains(":")) {
            throw escapes(location);
        }
        Path base;
        try {
            base = folder.toRealPath();
        } catch (IOException e) {
            throw fail("model folder " + folder + " is not readable");
        }
        Path target = base.resolve(rel).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw escapes(location);
        }
        if (!Files.exists(target)) {
            throw fail("external data file '" + location + "' not found");
        }
        Path real;
        try {
            real = target.toRealPath();
        } catch (IOException e) {
            throw fail("external data file '" + location + "' is not readable");
        }
        if (!real.startsWith(base)) {
            throw escapes(location);
        }
        if (!Files.isRegularFile(real)) {
            throw fail("external data '" + location + "' is not a regular file");
        }
        return real;
    }

    private InvalidInputException fail(String problem) {
        return new InvalidInputException(ProtoCursor.oneLine(source + ": " + problem));
    }

    private InvalidInputException escapes(String location) {
        return fail("external data '" + location + "' escapes the model folder");
    }
}
