package org.quantlens.tensor;

import java.nio.charset.StandardCharsets;

/**
 * A minimal cursor over protobuf wire format (varints, fixed32/64, length-delimited fields) for the tensor room,
 * which must not depend on protobuf-java. Every read checks bounds first and fails with an
 * {@link InvalidInputException} "source: problem at byte N", so hostile bytes never reach an array allocation
 * larger than the input itself.
 */
final class ProtoWireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final String source;
    private int pos;
    private final int end;

    ProtoWireReader(byte[] buf, int offset, int length, String source) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.source = source;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    /** The next tag (field number << 3 | wire type); fails on field number 0 or an unknown wire type. */
    int readTag() {
        int at = pos;
        long tag = readVarint();
        int field = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        if (tag >>> 3 > 0x1fffffff || field == 0) {
            throw fail("invalid field tag " + tag, at);
        }
        if (wire != VARINT && wire != FIXED64 && wire != LENGTH_DELIMITED && wire != FIXED32) {
            throw fail("unsupported wire type " + wire + " for field " + field, at);
        }
        return (int) tag;
    }

    long readVarint() {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw fail("truncated varint", at);
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw fail("malformed varint (more than 10 bytes)", at);
    }

    int readFixed32() {
        require(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long readFixed64() {
        long lo = readFixed32() & 0xffffffffL;
        long hi = readFixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** Reads a length prefix and returns the start offset of the payload; the cursor moves past it. */
    int readLengthDelimitedStart() {
        int at = pos;
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw fail("length " + len + " runs past the end (" + (end - pos) + " bytes left)", at);
        }
        int start = pos;
        pos += (int) len;
        return start;
    }

    String readString() {
        int start = readLengthDelimitedStart();
        return new String(buf, start, pos - start, StandardCharsets.UTF_8);
    }

    /** Skips a field's value of the given wire type. */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> require(8);
            case LENGTH_DELIMITED -> readLengthDelimitedStart();
            case FIXED32 -> require(4);
            default -> throw fail("unsupported wire type " + wireType, pos);
        }
        if (wireType == FIXED64) {
            pos += 8;
        } else if (wireType == FIXED32) {
            pos += 4;
        }
    }

    private void require(int n) {
        if (end - pos < n) {
            throw fail("truncated (need " + n + " bytes, " + (end - pos) + " left)", pos);
        }
    }

    InvalidInputException fail(String problem, int at) {
        return InvalidInputException.of(source, problem + " at byte " + at);
    }

    byte[] buffer() {
        return buf;
    }
}
