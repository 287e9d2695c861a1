package org.quantlens.tensor;

/**
 * Makes text taken from a file safe to put in a one-line error message: control characters (including line
 * breaks) become {@code \xNN} escapes and long text is cut with "...".
 */
public final class SafeText {
    private SafeText() {
    }

    /** {@code String.valueOf(o)} with control characters escaped, cut to at most {@code maxChars} characters. */
    public static String printable(Object o, int maxChars) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (b.length() >= maxChars) {
                return b.append("...").toString();
            }
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@link #printable(Object, int)} with a limit of 80 characters. */
    public static String printable(Object o) {
        return printable(o, 80);
    }
}
