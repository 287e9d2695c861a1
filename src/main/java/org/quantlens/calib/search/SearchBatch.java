package org.quantlens.calib.search;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.quantlens.exec.ExecContext;

/**
 * Many independent range searches (one per tensor: a calibration table, "KL search for all layers") spread over a
 * context's workers, one whole search per worker at a time.
 *
 * <p>Why per tensor rather than inside each search: a search is 0.1-1 ms, so splitting one search's candidates
 * costs a hand-off and a join per tensor, while whole searches keep every worker busy with no joins until the last
 * tensor. Workers take the next unsearched tensor as they finish (tensors differ in cost: minmax is instant, a KL
 * search is not), so a slow tensor does not hold back a fixed share of the others.
 *
 * <p>Results are stored by index and every search runs on its own, so they are identical to running the searches
 * one after another on one thread, in any order, with any thread count. With one thread (or one tensor) everything
 * runs on the caller in index order.
 */
public final class SearchBatch {
    /** A search is worth a hand-off whatever the method (the smallest KL search is ~0.1 ms). */
    private static final long COST_PER_SEARCH = 1 << 20;

    private SearchBatch() {
    }

    /**
     * {@code search.apply(i)} for every i in [0, count), over {@code ctx}'s workers; result i at index i. The first
     * exception a search throws (e.g. a cancellation) is rethrown here after the running searches finished; searches
     * not yet started are then skipped.
     *
     * @param search must be safe to call from several threads at once for different indices
     */
    public static SearchResult[] run(int count, ExecContext ctx, IntFunction<SearchResult> search) {
        SearchResult[] results = new SearchResult[count];
        if (count <= 0) {
            return results;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int workers = Math.min(ctx.threads(), count);
        ctx.parallelFor(workers, COST_PER_SEARCH, (from, to) -> {
            for (int w = from; w < to; w++) {
                for (int i = next.getAndIncrement(); i < count && failed.get() == 0; i = next.getAndIncrement()) {
                    try {
                        results[i] = search.apply(i);
                    } catch (RuntimeException | Error e) {
                        failed.incrementAndGet();
                        throw e;
                    }
                }
            }
        });
        return results;
    }
}
