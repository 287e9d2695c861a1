package org.quantlens.app.fx;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;

/**
 * "Latest task wins" (as in MZmine): each {@link #submit} cancels the job submitted before it, through its
 * {@link CancellationToken}, and a stale job's result or error is dropped even if it finishes anyway. So a user
 * who opens model A and then model B at once sees B, never A arriving late over it.
 *
 * <p>Work runs on the {@code background} executor; results, errors and progress are delivered on the {@code ui}
 * executor ({@code Platform::runLater} in the app, the calling thread in view-model tests). The runner itself is
 * only touched from the ui thread.
 */
public final class LatestTaskRunner {
    /** A job: core work that polls the token and reports progress. */
    @FunctionalInterface
    public interface Job<T> {
        T run(CancellationToken token, ProgressMonitor progress) throws Exception;
    }

    /** What the runner tells the UI while a job runs. */
    public interface Listener {
        /** A job started ({@code true}) or ended in any way ({@code false}). */
        void running(boolean running);

        /** Fraction done in [0, 1], or -1 for indeterminate; {@code message} may be empty. */
        void progress(double fraction, String message);
    }

    private final Executor background;
    private final Executor ui;
    private final Listener listener;
    private CancellationToken current;
    private long generation;

    public LatestTaskRunner(Executor background, Executor ui, Listener listener) {
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.listener = Objects.requireNonNull(listener);
    }

    /**
     * Cancels the current job (if any) and starts {@code job}. {@code onSuccess} or {@code onError} runs on the
     * ui executor only if no later job was submitted meanwhile; a cancelled job reports neither.
     */
    public <T> void submit(Job<T> job, Consumer<? super T> onSuccess, Consumer<? super Throwable> onError) {
        cancel();
        CancellationToken token = new CancellationToken();
        long mine = ++generation;
        current = token;
        listener.running(true);
        listener.progress(-1, "");
        ProgressMonitor progress = (done, total, message) -> ui.execute(() -> {
            if (mine == generation && !token.isCancelled()) {
                listener.progress(total > 0 ? (double) done / total : -1, message);
            }
        });
        background.execute(() -> {
            T result;
            try {
                result = job.run(token, progress);
            } catch (CancellationToken.CancelledException e) {
                return;
            } catch (Throwable e) {
                ui.execute(() -> finish(mine, token, () -> onError.accept(e)));
                return;
            }
            ui.execute(() -> finish(mine, token, () -> onSuccess.accept(result)));
        });
    }

    private void finish(long mine, CancellationToken token, Runnable deliver) {
        if (mine != generation || token.isCancelled()) {
            return;
        }
        current = null;
        listener.running(false);
        deliver.run();
    }

    /** Cancels the running job; its result will not be delivered. */
    public void cancel() {
        if (current != null) {
            current.cancel();
            current = null;
            listener.running(false);
        }
    }

    /** True while a job submitted here has neither finished nor been cancelled. */
    public boolean isRunning() {
        return current != null;
    }
}
