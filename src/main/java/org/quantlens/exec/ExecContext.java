package org.quantlens.exec;

/**
 * What a kernel may use besides its inputs: a bounded worker pool for data parallelism. Work is split into at most
 * {@link #threads()} contiguous chunks; with one thread everything runs on the caller, so kernels stay
 * deterministic and results never depend on the thread count (each chunk writes disjoint outputs).
 *
 * <p>The workers are {@code threads - 1} persistent daemon threads plus the calling thread (see {@link WorkerPool}):
 * the caller runs chunks itself and takes over chunks no worker has started, so a loop never waits for a sleeping
 * thread to wake. One loop runs in parallel at a time; a {@code parallelFor} issued while another is running (from a
 * second thread, or nested in a chunk) runs entirely on its caller.
 */
public final class ExecContext {
    private static final ExecContext SINGLE = new ExecContext(1, null);
    /** Below this many scalar operations a loop runs on the caller: a hand-off costs a few microseconds. */
    static final long PARALLEL_THRESHOLD = 32_768;

    private final int threads;
    private final WorkerPool pool;

    private ExecContext(int threads, WorkerPool pool) {
        this.threads = threads;
        this.pool = pool;
    }

    /** Runs everything on the calling thread. */
    public static ExecContext singleThreaded() {
        return SINGLE;
    }

    /**
     * Uses up to {@code threads} workers: the caller and {@code threads - 1} daemon threads owned by this context,
     * started on first use and ended after a long idle spell.
     */
    public static ExecContext withThreads(int threads) {
        if (threads <= 1) {
            return SINGLE;
        }
        return new ExecContext(threads, new WorkerPool(threads - 1));
    }

    /** One worker per available processor. */
    public static ExecContext defaultContext() {
        return withThreads(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** A range body: processes items [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Runs {@code body} over [0, n) split into at most {@link #threads()} chunks, and waits. Splits only when
     * {@code n * costPerItem} exceeds a threshold worth a hand-off (roughly 32k scalar operations). An exception
     * thrown by a chunk is rethrown here (after the other chunks finished).
     */
    public void parallelFor(int n, long costPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min(threads, n);
        if (pool == null || chunks <= 1 || (long) n * Math.max(1, costPerItem) < PARALLEL_THRESHOLD) {
            body.run(0, n);
            return;
        }
        pool.run(n, chunks, body);
    }
}
