package org.quantlens.progress;

import java.util.concurrent.atomic.AtomicBoolean;

/** A flag long loops poll between steps; {@link #throwIfCancelled()} ends them with {@link CancelledException}. */
public final class CancellationToken {
    private static final CancellationToken NEVER = new CancellationToken();

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** A token nobody cancels. */
    public static CancellationToken none() {
        return NEVER;
    }

    public void cancel() {
        if (this != NEVER) {
            cancelled.set(true);
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public void throwIfCancelled() {
        if (cancelled.get()) {
            throw new CancelledException();
        }
    }

    /** Thrown out of a cancelled loop; callers write nothing half-done. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("cancelled", null, false, false);
        }
    }
}
