package org.quantlens.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy {@code .npz} archives: a zip file with one {@code .npy} entry per array, as written by {@code numpy.savez}
 * (stored) and {@code numpy.savez_compressed} (deflated).
 *
 * <p>Reading returns the arrays in the order of the zip's central directory (the order they were written), keyed by
 * entry name without the {@code .npy} suffix. Directory entries are skipped; any other entry that does not end in
 * {@code .npy} is an error. Each entry is read only up to its declared uncompressed size (at most
 * {@value #MAX_ENTRY_BYTES} bytes), growing the buffer as bytes actually arrive, so a zip bomb cannot force a giant
 * allocation; an entry that inflates past its declared size, or stops short of it, is an error. An archive with no
 * arrays is an error. Errors name the archive (and the entry).
 *
 * <p>Writing stores the arrays uncompressed under {@code "<key>.npy"}, like {@code numpy.savez}, atomically.
 */
public final class Npz {
    /** Largest entry we read: the largest Java byte array. */
    static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;
    private static final String SUFFIX = ".npy";

    private Npz() {
    }

    /** The arrays in {@code path}, in file order, keyed by entry name minus ".npy". */
    public static LinkedHashMap<String, Tensor> read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw InvalidInputException.of(path, Files.exists(path) ? "not a regular file" : "no such file");
        }
        LinkedHashMap<String, Tensor> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                String source = path + "[" + SafeText.printable(name) + "]";
                if (!name.endsWith(SUFFIX)) {
                    throw InvalidInputException.of(source, "entry is not a .npy array");
                }
                String key = name.substring(0, name.length() - SUFFIX.length());
                if (arrays.containsKey(key)) {
                    throw InvalidInputException.of(source, "duplicate array name '" + SafeText.printable(key) + "'");
                }
                arrays.put(key, Npy.read(readEntry(zip, entry, source), source));
            }
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of(path, "no such file");
        } catch (ZipException e) {
            throw InvalidInputException.of(path, "not a valid zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw InvalidInputException.of(path, "cannot read: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // java.util.zip reports some malformed names and headers this way
            throw InvalidInputException.of(path, "malformed zip archive (" + e.getMessage() + ")");
        }
        if (arrays.isEmpty()) {
            throw InvalidInputException.of(path, "contains no arrays");
        }
        return arrays;
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry entry, String source) throws IOException {
        long declared = entry.getSize();
        if (declared < 0) {
            throw InvalidInputException.of(source, "entry does not declare its size");
        }
        if (declared > MAX_ENTRY_BYTES) {
            throw InvalidInputException.of(source, "entry declares " + declared + " bytes, more than can be read");
        }
        int limit = (int) declared;
        byte[] buf = new byte[Math.min(limit, 1 << 16)];
        int filled = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            while (true) {
                if (filled == buf.length) {
                    if (filled == limit) {
                        if (in.read() != -1) {
                            throw InvalidInputException.of(source, "entry inflates past its declared size "
                                    + declared + " (zip bomb?)");
                        }
                        break;
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(1L << 16, 2L * buf.length)));
                }
                int r = in.read(buf, filled, buf.length - filled);
                if (r < 0) {
                    break;
                }
                filled += r;
            }
        } catch (ZipException e) {
            throw InvalidInputException.of(source, "corrupt entry data (" + e.getMessage() + ")");
        }
        if (filled < limit) {
            throw InvalidInputException.of(source, "entry is truncated: " + filled + " of " + declared + " bytes");
        }
        return buf;
    }

    /** Writes {@code arrays} as an uncompressed .npz (entries "key.npy" in map order), atomically. */
    public static void write(Map<String, Tensor> arrays, Path path) {
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            if (e.getValue().dtype().numpyKind() == null) {
                throw InvalidInputException.of(path, "array '" + e.getKey() + "': numpy has no "
                        + e.getValue().dtype().displayName() + " dtype");
            }
        }
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                byte[] bytes = Npy.toBytes(e.getValue());
                ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
