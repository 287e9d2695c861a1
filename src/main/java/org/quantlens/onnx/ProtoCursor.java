package org.quantlens.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.quantlens.tensor.InvalidInputException;

/**
 * Walks protobuf wire format with protobuf-java's {@link CodedInputStream}, remembering where it is
 * ("graph.node[3].attribute 'axes'") so every failure becomes a one-line {@link InvalidInputException}:
 * "model.onnx: truncated at byte 1234 while reading graph.node[3]".
 *
 * <p>Nested messages are entered with {@link #enter} (length prefix + push limit) and left with {@link #exit}.
 * Groups (wire types 3 and 4) are rejected: ONNX never uses them, and skipping them would recurse.
 */
final class ProtoCursor {
    interface Body {
        void read() throws IOException;
    }

    private final CodedInputStream in;
    private final String source;
    private final Deque<String> path = new ArrayDeque<>();

    ProtoCursor(byte[] bytes, String source) {
        this.in = CodedInputStream.newInstance(bytes);
        this.source = source;
        in.setSizeLimit(Integer.MAX_VALUE);
    }

    CodedInputStream in() {
        return in;
    }

    String source() {
        return source;
    }

    /** The next tag, or 0 at the end of the current message. */
    int nextTag() throws IOException {
        int tag = in.readTag();
        int wire = WireFormat.getTagWireType(tag);
        if (tag != 0 && (wire == WireFormat.WIRETYPE_START_GROUP || wire == WireFormat.WIRETYPE_END_GROUP
                || wire > WireFormat.WIRETYPE_FIXED32)) {
            throw fail("unsupported wire type " + wire + " for field " + WireFormat.getTagFieldNumber(tag));
        }
        return tag;
    }

    static int field(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    static int wire(int tag) {
        return WireFormat.getTagWireType(tag);
    }

    /** Fails unless {@code tag} carries the wire type the schema gives its field. */
    void expect(int tag, int wireType) {
        if (wire(tag) != wireType) {
            throw fail("field " + field(tag) + " has wire type " + wire(tag) + ", expected " + wireType);
        }
    }

    /** Enters a length-delimited sub-message named {@code segment}; returns the limit to hand to {@link #exit}. */
    int enter(int tag, String segment) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        path.addLast(segment);
        int length = in.readRawVarint32();
        return in.pushLimit(length);
    }

    void exit(int oldLimit) {
        in.popLimit(oldLimit);
        path.removeLast();
    }

    /** Runs {@code body} with {@code segment} added to the location shown in messages. */
    void within(String segment, Body body) throws IOException {
        path.addLast(segment);
        body.read();
        path.removeLast();
    }

    String readString(int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return in.readString();
    }

    long readInt64(int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT);
        return in.readInt64();
    }

    byte[] readBytes(int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return in.readByteArray();
    }

    void skip(int tag) throws IOException {
        in.skipField(tag);
    }

    /** "graph.node[3].attribute 'x'" — where the cursor is. */
    String location() {
        return String.join(".", path);
    }

    /** Replaces the innermost location segment, e.g. "attribute[2]" by "attribute 'axes'" once the name is known. */
    void renameInnermost(String segment) {
        path.removeLast();
        path.addLast(segment);
    }

    InvalidInputException fail(String problem) {
        String where = path.isEmpty() ? "" : " while reading " + location();
        return new InvalidInputException(oneLine(source + ": " + problem + " at byte " + in.getTotalBytesRead() + where));
    }

    /** Names inside a hostile file may hold line breaks; a message must stay one line. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029' ? '?' : ch);
        }
        return b.toString();
    }

    /** Turns protobuf-java's multi-sentence complaint into the house one-liner. */
    InvalidInputException translate(InvalidProtocolBufferException e) {
        String m = String.valueOf(e.getMessage());
        String problem;
        if (m.contains("ended unexpectedly") || m.contains("truncated")) {
            problem = "truncated";
        } else if (m.contains("too large")) {
            problem = "truncated (a declared length runs past the end)";
        } else if (m.contains("negative size")) {
            problem = "negative length";
        } else if (m.contains("malformed varint")) {
            problem = "malformed varint";
        } else if (m.contains("invalid tag")) {
            problem = "invalid field tag";
        } else {
            int dot = m.indexOf('.');
            problem = "malformed protobuf (" + (dot > 0 ? m.substring(0, dot) : m).replace('\n', ' ') + ")";
        }
        return fail(problem);
    }
}
