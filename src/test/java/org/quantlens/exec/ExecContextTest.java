package org.quantlens.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ExecContextTest {
    private static final long BIG = ExecContext.PARALLEL_THRESHOLD;

    @Test
    void everyItemRunsExactlyOnceOverManyCalls() {
        ExecContext ctx = ExecContext.withThreads(3);
        for (int call = 0; call < 2000; call++) {
            int n = 1 + call % 37;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            ctx.parallelFor(n, BIG, (s, e) -> {
                for (int i = s; i < e; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "call " + call + " item " + i);
            }
        }
    }

    @Test
    void chunksAreContiguousAndAtMostThreads() {
        ExecContext ctx = ExecContext.withThreads(2);
        ConcurrentLinkedQueue<int[]> ranges = new ConcurrentLinkedQueue<>();
        ctx.parallelFor(11, BIG, (s, e) -> ranges.add(new int[] {s, e}));
        assertEquals(2, ranges.size());
        List<int[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        assertEquals(0, sorted.get(0)[0]);
        assertEquals(6, sorted.get(0)[1]);
        assertEquals(6, sorted.get(1)[0]);
        assertEquals(11, sorted.get(1)[1]);
    }

    @Test
    void cheapLoopsRunOnTheCaller() {
        ExecContext ctx = ExecContext.withThreads(2);
        Thread caller = Thread.currentThread();
        ctx.parallelFor(100, 1, (s, e) -> {
            assertSame(caller, Thread.currentThread());
            assertEquals(0, s);
            assertEquals(100, e);
        });
    }

    @Test
    void aChunkExceptionReachesTheCaller() {
        ExecContext ctx = ExecContext.withThreads(2);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () ->
                ctx.parallelFor(2, BIG, (s, e) -> {
                    if (s == 1) {
                        throw new IllegalArgumentException("chunk one");
                    }
                }));
        assertEquals("chunk one", thrown.getMessage());
        // The pool is usable afterwards.
        AtomicIntegerArray hits = new AtomicIntegerArray(4);
        ctx.parallelFor(4, BIG, (s, e) -> {
            for (int i = s; i < e; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 4; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void nestedLoopsRunInsideTheirChunk() {
        ExecContext ctx = ExecContext.withThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(4 * 8);
        ctx.parallelFor(4, BIG, (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = i;
                ctx.parallelFor(8, BIG, (a, b) -> {
                    for (int j = a; j < b; j++) {
                        hits.incrementAndGet(row * 8 + j);
                    }
                });
            }
        });
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void concurrentCallersEachGetAllTheirItems() throws InterruptedException {
        ExecContext ctx = ExecContext.withThreads(2);
        int callers = 4;
        AtomicIntegerArray hits = new AtomicIntegerArray(callers * 64);
        CountDownLatch done = new CountDownLatch(callers);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int c = 0; c < callers; c++) {
            int base = c * 64;
            Thread t = new Thread(() -> {
                try {
                    for (int rep = 0; rep < 500; rep++) {
                        ctx.parallelFor(64, BIG, (s, e) -> {
                            for (int i = s; i < e; i++) {
                                hits.incrementAndGet(base + i);
                            }
                        });
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        assertTrue(errors.isEmpty(), errors.toString());
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(500, hits.get(i));
        }
    }

    @Test
    void singleThreadedRunsEverythingOnTheCaller() {
        ExecContext ctx = ExecContext.singleThreaded();
        assertEquals(1, ctx.threads());
        Thread caller = Thread.currentThread();
        int[] calls = {0};
        ctx.parallelFor(1000, BIG, (s, e) -> {
            assertSame(caller, Thread.currentThread());
            calls[0]++;
        });
        assertEquals(1, calls[0]);
    }
}
