package org.quantlens.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * What a kernel may use besides its inputs: a bounded worker pool for data parallelism. Work is split into at most
 * {@link #threads()} contiguous chunks; with one thread everything runs on the caller, so kernels stay
 * deterministic and results never depend on the thread count (each chunk writes disjoint outputs).
 */
public final class ExecContext {
    private static final ExecContext SINGLE = new ExecContext(1, null);

    private final int threads;
    private final ForkJoinPool pool;

    private ExecContext(int threads, ForkJoinPool pool) {
        this.threads = threads;
        this.pool = pool;
    }

    /** Runs everything on the calling thread. */
    public static ExecContext singleThreaded() {
        return SINGLE;
    }

    /** Uses up to {@code threads} workers of a pool owned by this context (daemon threads). */
    public static ExecContext withThreads(int threads) {
        if (threads <= 1) {
            return SINGLE;
        }
        return new ExecContext(threads, new ForkJoinPool(threads, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("quantlens-exec-" + t.getPoolIndex());
            return t;
        }, null, false));
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
     * {@code n * costPerItem} exceeds a threshold worth a hand-off (roughly 32k scalar operations).
     */
    public void parallelFor(int n, long costPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min(threads, n);
        if (pool == null || chunks <= 1 || (long) n * Math.max(1, costPerItem) < 32_768) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        int per = n / chunks;
        int extra = n % chunks;
        int start = 0;
        int firstEnd = 0;
        for (int c = 0; c < chunks; c++) {
            int end = start + per + (c < extra ? 1 : 0);
            if (c == 0) {
                firstEnd = end;
            } else {
                final int s = start;
                final int e = end;
                futures.add(pool.submit(() -> body.run(s, e)));
            }
            start = end;
        }
        body.run(0, firstEnd);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
    }
}
