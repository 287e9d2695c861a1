package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The budget hands work to the plain twin until spent, then to the vector code for good. */
class VectorWarmUpTest {
    @Test
    void workRunsPlainUntilTheCallThatSpendsTheBudget() {
        VectorWarmUp w = new VectorWarmUp(100);
        assertTrue(w.take(40));
        assertTrue(w.take(40));
        assertFalse(w.isSpent());
        assertTrue(w.take(30)); // crosses the budget: still taken, the last one
        assertTrue(w.isSpent());
        assertFalse(w.take(1));
        assertFalse(w.take(0));
    }

    @Test
    void aBudgetOfZeroSendsEverythingToTheVectorCode() {
        assertFalse(new VectorWarmUp(0).take(1));
    }

    @Test
    void theTestSuiteTurnsWarmUpsOffSoTestsRunTheVectorCode() {
        assertFalse(VectorWarmUp.of(1_000_000).take(1), "surefire passes -Dquantlens.vectorWarmUp=off");
    }
}
