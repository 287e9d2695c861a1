package org.quantlens.exec;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The persistent helper threads behind {@link ExecContext#parallelFor}: a low-latency fork-join for the small,
 * frequent loops of one inference (a network runs hundreds of them per call, many of a few microseconds).
 *
 * <p>A job is cut into a fixed number of contiguous chunks that anybody may claim with one atomic increment: the
 * caller claims chunks too, so a job never waits for a helper to wake up: if the helpers are asleep or the operating
 * system has not scheduled them, the caller simply runs every chunk itself. The caller then waits only for chunks a
 * helper has actually started. Which thread runs a chunk never matters to the result, because chunks write disjoint
 * outputs.
 *
 * <p>Helpers spin for {@value #SPIN_NANOS} ns after a job (the next node's loop usually follows within
 * microseconds), then park; a helper parked for {@value #IDLE_NANOS} ns with nothing to do ends, and is started again
 * by the next job, so idle contexts hold no threads. One job runs at a time: a call made while a job is running
 * (from another thread, or nested inside a chunk) runs on its caller, without helpers.
 */
final class WorkerPool {
    /** How long a helper busy-waits for the next job, and the caller for helpers to finish, before parking. */
    static final long SPIN_NANOS = 50_000;
    /** How long a helper stays parked without work before its thread ends. */
    static final long IDLE_NANOS = 30_000_000_000L;

    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The running job, or null between jobs (so a finished job's data is not kept alive). */
    private volatile Job current;
    /** Sequence number of the last job, written only by the caller holding {@link #busy}. */
    private long jobs;

    WorkerPool(int helpers) {
        this.helpers = new Helper[helpers];
        for (int i = 0; i < helpers; i++) {
            this.helpers[i] = new Helper(this, i + 1);
        }
    }

    /**
     * Runs {@code body} over [0, n) cut into {@code chunks} contiguous chunks (the first {@code n % chunks} one item
     * longer), on the caller and the helpers, and returns when every chunk is done. The first exception or error a
     * chunk throws is rethrown here after all chunks ended.
     */
    void run(int n, int chunks, ExecContext.RangeBody body) {
        if (!busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            Job job = new Job(++jobs, body, n, chunks, Thread.currentThread());
            current = job;
            for (Helper h : helpers) {
                h.wake();
            }
            job.runChunks();
            job.awaitDone();
            current = null;
            job.rethrow();
        } finally {
            current = null;
            busy.set(false);
        }
    }

    /** One parallel loop: its chunks, who claimed them, how many are still running, and the first failure. */
    private static final class Job {
        private final long seq;
        private final ExecContext.RangeBody body;
        private final int n;
        private final int chunks;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger pending;
        private volatile Throwable failure;

        Job(long seq, ExecContext.RangeBody body, int n, int chunks, Thread caller) {
            this.seq = seq;
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.caller = caller;
            this.pending = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none is left. */
        void runChunks() {
            int per = n / chunks;
            int extra = n % chunks;
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int start = c * per + Math.min(c, extra);
                int end = start + per + (c < extra ? 1 : 0);
                try {
                    body.run(start, end);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                } finally {
                    if (pending.decrementAndGet() == 0 && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        void awaitDone() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (pending.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** One helper thread slot; the thread is started on demand and ends after a long idle spell. */
    private static final class Helper implements Runnable {
        private final WorkerPool pool;
        private final int index;
        private volatile Thread thread;
        private volatile boolean parked;
        private final AtomicBoolean alive = new AtomicBoolean();

        Helper(WorkerPool pool, int index) {
            this.pool = pool;
            this.index = index;
        }

        /** Called after a new job is published: starts the thread if needed, unparks it if it sleeps. */
        void wake() {
            if (!alive.get() && alive.compareAndSet(false, true)) {
                Thread t = new Thread(this, "quantlens-exec-" + index);
                t.setDaemon(true);
                thread = t;
                t.start();
            } else if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                Job job = awaitNewJob(seen);
                if (job == null) {
                    alive.set(false);
                    // A job published while we were leaving would have found alive still true and not started
                    // a thread; its caller runs it alone, and the next job starts a new helper.
                    return;
                }
                seen = job.seq;
                job.runChunks();
            }
        }

        /** Spins, then parks, until a job newer than number {@code seen} is running; null after the idle limit. */
        private Job awaitNewJob(long seen) {
            long start = System.nanoTime();
            Job job;
            while ((job = pool.current) == null || job.seq == seen) {
                long waited = System.nanoTime() - start;
                if (waited < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (waited > IDLE_NANOS) {
                    return null;
                }
                parked = true;
                // Re-read after announcing the park: a publisher that missed the flag has already changed current.
                Job again = pool.current;
                if (again == null || again.seq == seen) {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                }
                parked = false;
            }
            return job;
        }
    }
}
