package org.quantlens.formats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime's {@code calibration.flatbuffers}: a FlatBuffers {@code TrtTable { dict: [KeyValue] }} with
 * {@code KeyValue { key: string; value: string }}, laid out byte for byte as the Python {@code flatbuffers.Builder}
 * lays it out in {@code write_calibration_table}: the buffer grows from the end; strings (key, then value) are
 * length-prefixed, NUL-terminated and 4-byte aligned; each KeyValue table is preceded by its int32 vtable offset,
 * and all KeyValues share the vtable written after the first (value field at +4, key at +8, object size 12); the
 * dict vector holds the entries in the reverse of the order they were built (ORT builds them in sorted key order);
 * the root table gets its own 6-byte vtable, and the root offset is padded to 4-byte alignment.
 */
final class OrtFlatBuffers {
    private byte[] buf = new byte[1024];
    private int head = buf.length;

    private OrtFlatBuffers() {
    }

    /** The file for {@code entries} (key to value string), in the given order (ORT passes them sorted by key). */
    static byte[] encode(List<Map.Entry<String, String>> entries) {
        OrtFlatBuffers b = new OrtFlatBuffers();
        List<Integer> tables = new ArrayList<>();
        int sharedVtable = -1;
        for (Map.Entry<String, String> e : entries) {
            int key = b.string(e.getKey());
            int value = b.string(e.getValue());
            int objectEnd = b.offset();
            b.uoffset(key);
            b.uoffset(value);
            b.int32(0);
            int object = b.offset();
            if (sharedVtable < 0) {
                b.int16(4);                       // value: the last field placed, nearest the vtable offset
                b.int16(8);                       // key
                b.int16(object - objectEnd);      // object size: 12
                b.int16(8);                       // vtable size: 4 + 2 fields * 2
                sharedVtable = b.offset();
                b.patchInt32(object, sharedVtable - object);
            } else {
                b.patchInt32(object, sharedVtable - object);
            }
            tables.add(object);
        }
        b.prep(4, 4 * tables.size());
        for (int t : tables) {
            b.uoffset(t);
        }
        b.int32(tables.size());
        int dict = b.offset();
        int rootEnd = b.offset();
        b.uoffset(dict);
        b.int32(0);
        int root = b.offset();
        b.int16(4);
        b.int16(root - rootEnd);
        b.int16(6);
        b.patchInt32(root, b.offset() - root);
        b.prep(4, 4);
        b.uoffset(root);
        return Arrays.copyOfRange(b.buf, b.head, b.buf.length);
    }

    /** Bytes written so far, counted from the end (FlatBuffers' "offset"). */
    private int offset() {
        return buf.length - head;
    }

    /** Pads with zeros so that after {@code additional} more bytes the offset is a multiple of {@code align}. */
    private void prep(int align, int additional) {
        int pad = (-(offset() + additional)) & (align - 1);
        ensure(pad + additional);
        for (int i = 0; i < pad; i++) {
            buf[--head] = 0;
        }
    }

    private void ensure(int more) {
        if (head >= more) {
            return;
        }
        int used = offset();
        byte[] bigger = new byte[Math.max(buf.length * 2, used + more + 16)];
        System.arraycopy(buf, head, bigger, bigger.length - used, used);
        buf = bigger;
        head = bigger.length - used;
    }

    private int string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        prep(4, utf8.length + 1);
        buf[--head] = 0;
        head -= utf8.length;
        System.arraycopy(utf8, 0, buf, head, utf8.length);
        placeInt32(utf8.length);
        return offset();
    }

    /** A forward reference to {@code target}: the distance from this field to it. */
    private void uoffset(int target) {
        prep(4, 0);
        placeInt32(offset() - target + 4);
    }

    private void int32(int v) {
        prep(4, 0);
        placeInt32(v);
    }

    private void int16(int v) {
        prep(2, 0);
        ensure(2);
        buf[--head] = (byte) (v >> 8);
        buf[--head] = (byte) v;
    }

    private void placeInt32(int v) {
        ensure(4);
        head -= 4;
        writeLe(head, v);
    }

    /** Overwrites the int32 of the object at {@code objectOffset} (an offset from the end). */
    private void patchInt32(int objectOffset, int v) {
        writeLe(buf.length - objectOffset, v);
    }

    private void writeLe(int pos, int v) {
        buf[pos] = (byte) v;
        buf[pos + 1] = (byte) (v >> 8);
        buf[pos + 2] = (byte) (v >> 16);
        buf[pos + 3] = (byte) (v >> 24);
    }
}
