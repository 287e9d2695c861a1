package org.quantlens.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** A minimal .npy reader for the shared reference data (little-endian f4 and i8, C order). Test-only. */
final class Npy {
    private Npy() {
    }

    static Tensor read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int major = all[6];
        int headerLen = major == 1 ? bb.getShort(8) & 0xffff : bb.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher descr = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
        Matcher shape = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!descr.find() || !shape.find() || header.contains("'fortran_order': True")) {
            throw new IOException(p + ": unsupported npy header " + header);
        }
        String[] parts = shape.group(1).split(",");
        int[] dims = java.util.Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        Shape s = Shape.of(dims);
        bb.position(start + headerLen);
        switch (descr.group(1)) {
            case "<f4" -> {
                float[] f = new float[s.numElements()];
                bb.asFloatBuffer().get(f);
                return Tensor.ofFloats(s, f);
            }
            case "<i8" -> {
                long[] l = new long[s.numElements()];
                bb.asLongBuffer().get(l);
                return Tensor.ofLongs(s, l);
            }
            default -> throw new IOException(p + ": unsupported dtype " + descr.group(1));
        }
    }
}
