package org.quantlens.progress;

/**
 * Receives progress from core loops. {@code done} of {@code total} work units after a step named {@code message}.
 * Implementations must be cheap and thread-safe; core never blocks on them.
 */
@FunctionalInterface
public interface ProgressMonitor {
    ProgressMonitor NONE = (done, total, message) -> { };

    void progress(long done, long total, String message);
}
