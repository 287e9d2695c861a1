package org.quantlens.formats;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.quantlens.tensor.InvalidInputException;

/**
 * Writes that never leave a half-written file: the bytes go to a temporary file in the destination's folder, which
 * is then renamed over the destination (atomically where the file system can).
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code out} through a temporary sibling and a rename. */
    static void write(Path out, byte[] bytes) {
        Path dir = parentOf(out);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
            Files.write(tmp, bytes);
            move(tmp, out);
            tmp = null;
        } catch (IOException e) {
            throw new InvalidInputException(out + ": cannot write: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Writes several files into folder {@code out}: all of them into a temporary sibling folder first, then the
     * folder is renamed to {@code out} (when {@code out} does not exist yet) or each file is renamed into it.
     */
    static void writeFolder(Path out, Map<String, byte[]> files) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw InvalidInputException.of(out, "exists and is not a folder");
        }
        Path dir = parentOf(out);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, "." + out.getFileName() + ".");
            for (Map.Entry<String, byte[]> f : new LinkedHashMap<>(files).entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            if (!Files.exists(out)) {
                move(tmp, out);
                tmp = null;
                return;
            }
            for (String name : files.keySet()) {
                move(tmp.resolve(name), out.resolve(name));
            }
        } catch (IOException e) {
            throw new InvalidInputException(out + ": cannot write: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static Path parentOf(Path out) {
        Path abs = out.toAbsolutePath();
        return abs.getParent() == null ? abs : abs.getParent();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException ignored) {
            // best effort: a stray temporary file is harmless and named after the destination
        }
    }
}
