package org.quantlens.exec;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The output arrays one {@link Engine} run at a time recycles (see {@link OutputArrays}). Used by one thread at a
 * time: the engine takes a pool for a run and gives it back at the end, so concurrent runs use different pools.
 *
 * <p>Safety rests on ownership: {@link #recycle} accepts only an array that {@link #take} handed out during the
 * current run (by identity). Feeds, initializers, Constant values and arrays a kernel made itself are never taken
 * over; at {@link #endRun} ownership of everything still handed out (the graph outputs the caller receives, and
 * anything left after a failed run) is dropped, so such an array can never come back from the pool later. The
 * engine checks the other rule, that no live value shares the array, before it calls {@link #recycle}.
 *
 * <p>Retention: between runs the pool keeps only free arrays of the lengths the last run asked for, so it holds at
 * most the arrays one run had in use at once (for a fixed input shape, the same set run after run).
 */
final class OutputPool {
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final Set<float[]> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Integer> lengthsThisRun = new HashSet<>();

    /** A free array of length n if there is one, else a new one; owned by this run until recycled or the run ends. */
    float[] take(int n) {
        ArrayDeque<float[]> queue = free.get(n);
        float[] a = queue == null ? null : queue.pollFirst();
        if (a == null) {
            a = new float[n];
        }
        handedOut.add(a);
        lengthsThisRun.add(n);
        return a;
    }

    /**
     * Returns {@code a} to the free arrays if this run handed it out and it was not recycled yet; otherwise does
     * nothing. The caller guarantees that no live value and nobody outside the engine holds {@code a}.
     */
    void recycle(float[] a) {
        if (handedOut.remove(a)) {
            free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addFirst(a);
        }
    }

    /** True when {@code a} is an array this run handed out and still owns (the engine's cheap first check). */
    boolean owns(float[] a) {
        return handedOut.contains(a);
    }

    /**
     * Ends a run: forgets every array still handed out (graph outputs belong to the caller now) and drops the free
     * arrays of lengths this run did not use (an engine fed a different input shape does not keep the old ones).
     */
    void endRun() {
        handedOut.clear();
        free.keySet().retainAll(lengthsThisRun);
        lengthsThisRun.clear();
    }

    /** Free arrays held, for tests. */
    int freeArrays() {
        int n = 0;
        for (ArrayDeque<float[]> q : free.values()) {
            n += q.size();
        }
        return n;
    }
}
