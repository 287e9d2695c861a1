package org.quantlens.tensor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-assembles protobuf wire bytes for tests, including malformed ones no serializer would produce. */
public final class WireBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static WireBytes of() {
        return new WireBytes();
    }

    public WireBytes varint(int field, long v) {
        return tag(field, 0).rawVarint(v);
    }

    public WireBytes fixed32(int field, int v) {
        tag(field, 5);
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
        return this;
    }

    public WireBytes fixed64(int field, long v) {
        tag(field, 1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public WireBytes bytes(int field, byte[] b) {
        tag(field, 2).rawVarint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    public WireBytes string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public WireBytes message(int field, WireBytes m) {
        return bytes(field, m.build());
    }

    /** A length prefix that lies: claims {@code claimed} bytes, then writes {@code actual}. */
    public WireBytes lyingLength(int field, long claimed, byte[] actual) {
        tag(field, 2).rawVarint(claimed);
        out.write(actual, 0, actual.length);
        return this;
    }

    public WireBytes tag(int field, int wireType) {
        return rawVarint((long) field << 3 | wireType);
    }

    public WireBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    public WireBytes rawVarint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    public byte[] build() {
        return out.toByteArray();
    }
}
