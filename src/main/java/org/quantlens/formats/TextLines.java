package org.quantlens.formats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.quantlens.tensor.InvalidInputException;

/**
 * A small text file read whole as strict UTF-8 and split into lines ({@code \n}, {@code \r\n} or {@code \r}), with
 * the house error format for line-numbered problems: {@code "<file>:<line>: <problem>"}.
 */
final class TextLines {
    /** Larger calibration tables than this are not plausible; refusing them keeps hostile input from exhausting memory. */
    static final long MAX_BYTES = 64L << 20;

    private final String source;
    private final List<String> lines;

    private TextLines(String source, List<String> lines) {
        this.source = source;
        this.lines = lines;
    }

    /** Reads {@code file}; a missing, unreadable, oversized, non-UTF-8 or empty (blank) file is bad input. */
    static TextLines read(Path file) {
        return parse(file.toString(), readBytes(file));
    }

    static TextLines parse(String source, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw InvalidInputException.of(source, "not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw InvalidInputException.of(source, "empty file");
        }
        return new TextLines(source, List.of(text.split("\r\n|\r|\n", -1)));
    }

    static byte[] readBytes(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw InvalidInputException.of(file, "is a folder, expected a file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw InvalidInputException.of(file, "larger than " + (MAX_BYTES >> 20) + " MiB, not a calibration table");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of(file, "no such file");
        } catch (IOException e) {
            throw InvalidInputException.of(file, "cannot read: " + e.getMessage());
        }
    }

    /** Number of lines (a trailing newline makes a last, empty line). */
    int count() {
        return lines.size();
    }

    /** Line {@code number} (1-based). */
    String line(int number) {
        return lines.get(number - 1);
    }

    String source() {
        return source;
    }

    /** The house error for a problem on line {@code number}: {@code "<file>:<number>: <problem>"}. */
    InvalidInputException fail(int number, String problem) {
        return new InvalidInputException(source + ":" + number + ": " + problem);
    }

    /** Splits on runs of spaces and tabs, dropping empty pieces. */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        for (String t : line.trim().split("[ \t]+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** {@code text} shortened for a one-line message. */
    static String quote(String text) {
        String t = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + t.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
