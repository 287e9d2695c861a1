package org.quantlens.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The pool recycles only arrays it handed out in the current run, by exact length, and keeps only lengths in use. */
class OutputPoolTest {
    @Test
    void aRecycledArrayIsHandedOutAgainForTheSameLengthOnly() {
        OutputPool pool = new OutputPool();
        float[] a = pool.take(8);
        pool.recycle(a);
        assertNotSame(a, pool.take(7));
        assertSame(a, pool.take(8));
        assertEquals(8, pool.take(8).length);
    }

    @Test
    void arraysItDidNotHandOutAreNeverTakenIn() {
        OutputPool pool = new OutputPool();
        float[] foreign = new float[8];
        pool.recycle(foreign);
        assertEquals(0, pool.freeArrays());
        assertNotSame(foreign, pool.take(8));
    }

    @Test
    void anArrayIsRecycledAtMostOnce() {
        OutputPool pool = new OutputPool();
        float[] a = pool.take(4);
        pool.recycle(a);
        pool.recycle(a);
        assertEquals(1, pool.freeArrays());
        assertSame(a, pool.take(4));
        assertNotSame(a, pool.take(4));
    }

    @Test
    void endOfRunForgetsArraysStillOutAndLengthsNotUsed() {
        OutputPool pool = new OutputPool();
        float[] kept = pool.take(4);
        float[] freed = pool.take(16);
        pool.recycle(freed);
        pool.endRun();
        // kept went to the caller: recycling it now is refused.
        pool.recycle(kept);
        assertEquals(1, pool.freeArrays());
        assertSame(freed, pool.take(16));
        pool.recycle(freed);
        pool.take(3);
        pool.endRun(); // 16 was used in this run, so it stays
        assertEquals(1, pool.freeArrays());
        pool.take(3);
        pool.endRun(); // 16 was not
        assertEquals(0, pool.freeArrays());
    }
}
