package org.quantlens.tensor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal protobuf wire-format writer for the tensor room (JDK only): tags, varints and byte fields. */
final class ProtoWireWriter {
    private final ByteArrayOutputStream out;

    ProtoWireWriter(int sizeHint) {
        out = new ByteArrayOutputStream(Math.max(16, sizeHint));
    }

    void writeVarintField(int field, long value) {
        writeVarint((long) field << 3 | ProtoWireReader.VARINT);
        writeVarint(value);
    }

    void writeBytesField(int field, byte[] bytes) {
        writeVarint((long) field << 3 | ProtoWireReader.LENGTH_DELIMITED);
        writeVarint(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    void writeStringField(int field, String s) {
        writeBytesField(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private void writeVarint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
