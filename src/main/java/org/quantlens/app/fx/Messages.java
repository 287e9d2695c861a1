package org.quantlens.app.fx;

/** Turns failures into the one-line messages the app shows (the CLI's style: file, then problem). */
public final class Messages {
    private Messages() {
    }

    /**
     * The first line of the innermost useful message: an exception without a message shows its simple class
     * name, so the user never sees a stack trace or "null".
     */
    public static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        return (nl >= 0 ? msg.substring(0, nl) : msg).strip();
    }
}
