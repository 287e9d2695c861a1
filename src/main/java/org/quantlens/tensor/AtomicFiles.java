package org.quantlens.tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the complete new content, never half a file:
 * the bytes go to a temporary file in the same folder, which is then renamed over the target (an atomic move where
 * the file system supports it). On failure, or when the writer throws, the temporary file is removed and the
 * target is left untouched.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes the content to a stream. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code bytes} to {@code target} atomically; IO failures become a one-line InvalidInputException. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Writes what {@code writer} produces to {@code target} atomically; IO failures become InvalidInputException. */
    public static void write(Path target, ContentWriter writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.writeTo(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of(target, "cannot write: folder " + dir + " does not exist");
        } catch (IOException e) {
            throw InvalidInputException.of(target, "cannot write: " + e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the write already failed and that error is the one to report
                }
            }
        }
    }
}
