package org.quantlens.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allowance keeps the plain twin until the time recorded reaches it, then the vector code for good. */
class VectorWarmUpTest {
    @Test
    void plainTwinRunsUntilTheRecordedTimeReachesTheAllowance() {
        VectorWarmUp w = new VectorWarmUp(100);
        w.record(40);
        w.record(40);
        assertFalse(w.isSpent());
        w.record(20);
        assertTrue(w.isSpent());
        w.record(-1_000); // nothing brings it back
        assertTrue(w.isSpent());
    }

    @Test
    void anAllowanceOfZeroSendsEverythingToTheVectorCode() {
        assertTrue(new VectorWarmUp(0).isSpent());
    }

    @Test
    void theTestSuiteTurnsWarmUpsOffSoTestsRunTheVectorCode() {
        assertTrue(VectorWarmUp.ofMillis(1_000).isSpent(), "surefire passes -Dquantlens.vectorWarmUp=off");
    }
}
