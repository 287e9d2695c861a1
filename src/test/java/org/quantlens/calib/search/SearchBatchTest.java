package org.quantlens.calib.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.Histogram;
import org.quantlens.exec.ExecContext;

/** Whole searches spread over workers: same results as one after another, every index once, failures rethrown. */
class SearchBatchTest {
    private static List<Histogram> histograms(int count) {
        Random r = new Random(3);
        List<Histogram> out = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            float[] x = new float[20_000];
            double spread = 1 + t;
            for (int i = 0; i < x.length; i++) {
                double g = r.nextGaussian() * spread;
                x[i] = (float) (i % (31 + t) == 0 ? g * 8 : g);
            }
            Histogram h = Histogram.absolute(2048);
            h.add(x);
            out.add(h);
        }
        return out;
    }

    @Test
    void twoWorkersGiveTheSameResultsInIndexOrderAsOneThread() {
        List<Histogram> hs = histograms(7);
        SearchResult[] one = SearchBatch.run(hs.size(), ExecContext.singleThreaded(), i -> KlNcnn.search(hs.get(i)));
        SearchResult[] two = SearchBatch.run(hs.size(), ExecContext.withThreads(2), i -> KlNcnn.search(hs.get(i)));
        for (int i = 0; i < hs.size(); i++) {
            SearchResult alone = KlNcnn.search(hs.get(i));
            assertEquals(alone.range(), one[i].range(), "tensor " + i);
            assertEquals(alone.range(), two[i].range(), "tensor " + i);
            assertArrayEquals(alone.values(), two[i].values(), "tensor " + i);
        }
    }

    @Test
    void everyIndexIsSearchedExactlyOnceWhateverTheWorkers() {
        for (int threads : new int[] {1, 2, 3}) {
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger calls = new AtomicInteger();
            SearchResult[] r = SearchBatch.run(11, ExecContext.withThreads(threads), i -> {
                calls.incrementAndGet();
                seen.add(i);
                return SearchResult.of(new Range(-i, i), List.of());
            });
            assertEquals(11, calls.get(), threads + " threads");
            assertEquals(11, seen.size(), threads + " threads");
            for (int i = 0; i < r.length; i++) {
                assertEquals(new Range(-i, i), r[i].range());
            }
        }
    }

    @Test
    void aFailingSearchIsRethrownToTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                SearchBatch.run(6, ExecContext.withThreads(2), i -> {
                    if (i == 4) {
                        throw new IllegalStateException("tensor 4 failed");
                    }
                    return SearchResult.of(new Range(0, 1), List.of());
                }));
        assertEquals("tensor 4 failed", e.getMessage());
    }

    @Test
    void noTensorsGiveAnEmptyArray() {
        assertEquals(0, SearchBatch.run(0, ExecContext.withThreads(2), i -> {
            throw new AssertionError("never called");
        }).length);
    }
}
