package org.quantlens.cli;

import java.io.PrintStream;
import org.quantlens.progress.ProgressMonitor;

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, otherwise a plain line at most every 10% (and at
 * the end), so logs stay short.
 */
final class ConsoleProgress implements ProgressMonitor {
    private final PrintStream err;
    private final boolean terminal;
    private final String label;
    private long lastDecile = -1;

    ConsoleProgress(String label) {
        this(System.err, System.console() != null, label);
    }

    ConsoleProgress(PrintStream err, boolean terminal, String label) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
    }

    @Override
    public synchronized void progress(long done, long total, String message) {
        if (total <= 0) {
            return;
        }
        if (terminal) {
            int width = 30;
            int filled = (int) (width * done / total);
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
            if (done >= total) {
                err.println();
            }
            err.flush();
            return;
        }
        long decile = done * 10 / total;
        if (decile != lastDecile || done == total) {
            lastDecile = decile;
            err.println(label + ": " + done + "/" + total + (message == null || message.isEmpty() ? "" : " " + message));
        }
    }
}
