package org.quantlens.tensor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small parser for the Python literals found in a {@code .npy} header: dicts, tuples, lists, quoted strings,
 * integers (an old Python 2 {@code L} suffix is accepted), {@code True}, {@code False} and {@code None}.
 * It evaluates nothing; anything else is an error. Values map to {@link Map} (insertion order), {@link List}
 * (tuple or list; {@link Tuple} marks a tuple), {@link String}, {@link BigInteger}, {@link Boolean} and
 * {@link #NONE}. Nesting is limited to {@value #MAX_DEPTH} levels so hostile input cannot exhaust the stack.
 */
final class PythonLiteralParser {
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };
    static final int MAX_DEPTH = 16;

    /** A parsed Python tuple. */
    static final class Tuple extends ArrayList<Object> {
    }

    private final String text;
    private final Object source;
    private int pos;

    private PythonLiteralParser(String text, Object source) {
        this.text = text;
        this.source = source;
    }

    /** Parses {@code text} as exactly one literal (surrounding whitespace allowed). */
    static Object parse(String text, Object source) {
        PythonLiteralParser p = new PythonLiteralParser(text, source);
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the header dict");
        }
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("header nests deeper than " + MAX_DEPTH + " levels");
        }
        skipSpace();
        if (pos >= text.length()) {
            throw error("header ends early");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict(depth);
            case '(' -> sequence(depth, ')', new Tuple());
            case '[' -> sequence(depth, ']', new ArrayList<>());
            case '\'', '"' -> string(c);
            default -> c == '-' || c == '+' || isDigit(c) ? integer() : word();
        };
    }

    private Map<Object, Object> dict(int depth) {
        pos++; // '{'
        Map<Object, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            Object key = value(depth + 1);
            skipSpace();
            expect(':');
            Object val = value(depth + 1);
            if (map.put(key, val) != null) {
                throw error("duplicate key " + SafeText.printable(key, 40) + " in header dict");
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != '}') {
                throw error("expected ',' or '}' in header dict");
            }
        }
    }

    private List<Object> sequence(int depth, char close, List<Object> out) {
        pos++; // '(' or '['
        while (true) {
            skipSpace();
            if (peek() == close) {
                pos++;
                return out;
            }
            out.add(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != close) {
                throw error("expected ',' or '" + close + "' in header");
            }
        }
    }

    private String string(char quote) {
        int start = ++pos;
        while (pos < text.length() && text.charAt(pos) != quote) {
            if (text.charAt(pos) == '\\') {
                throw error("escape sequences in header strings are not supported");
            }
            pos++;
        }
        if (pos >= text.length()) {
            throw error("unterminated string in header");
        }
        return text.substring(start, pos++);
    }

    private BigInteger integer() {
        int start = pos;
        if (peek() == '-' || peek() == '+') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digits || pos - digits > 40) {
            throw error("bad integer in header");
        }
        BigInteger v = new BigInteger(text.substring(start, pos));
        if (peek() == 'L' || peek() == 'l') {
            pos++; // Python 2 long literal, written by old numpy
        }
        return v;
    }

    private Object word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        String w = text.substring(start, pos);
        return switch (w) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> throw error("unexpected " + (w.isEmpty() ? "character '" + SafeText.printable(text.charAt(start)) + "'"
                    : "'" + SafeText.printable(w, 40) + "'")
                    + " in header");
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "' in header dict");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private InvalidInputException error(String problem) {
        return InvalidInputException.of(source, problem + " (at header offset " + pos + ")");
    }
}
