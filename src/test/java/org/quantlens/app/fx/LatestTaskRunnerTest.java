package org.quantlens.app.fx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.quantlens.progress.CancellationToken;

class LatestTaskRunnerTest {
    /** Holds submitted background work until the test runs it, so jobs can overlap deterministically. */
    private final Deque<Runnable> pending = new ArrayDeque<>();
    private final Executor manual = pending::add;
    private final Executor direct = Runnable::run;
    private final List<String> events = new ArrayList<>();
    private final LatestTaskRunner.Listener listener = new LatestTaskRunner.Listener() {
        @Override
        public void running(boolean running) {
            events.add(running ? "running" : "idle");
        }

        @Override
        public void progress(double fraction, String message) {
            events.add("progress " + fraction + " " + message);
        }
    };

    @Test
    void aNewerJobCancelsTheOlderAndOnlyItsResultArrives() {
        LatestTaskRunner runner = new LatestTaskRunner(manual, direct, listener);
        List<String> results = new ArrayList<>();
        CancellationToken[] first = new CancellationToken[1];
        runner.submit((token, p) -> {
            first[0] = token;
            return "A";
        }, results::add, e -> results.add("error"));
        runner.submit((token, p) -> "B", results::add, e -> results.add("error"));
        // both jobs run to the end (A ignores its token), in submission order
        pending.removeFirst().run();
        pending.removeFirst().run();
        assertEquals(List.of("B"), results);
        assertTrue(first[0].isCancelled());
        assertFalse(runner.isRunning());
    }

    @Test
    void aCancelledJobReportsNothing() {
        LatestTaskRunner runner = new LatestTaskRunner(manual, direct, listener);
        List<Object> results = new ArrayList<>();
        runner.submit((token, p) -> {
            token.throwIfCancelled();
            return "A";
        }, results::add, results::add);
        runner.cancel();
        pending.removeFirst().run();
        assertTrue(results.isEmpty());
        assertEquals("idle", events.get(events.size() - 1));
    }

    @Test
    void errorsAndProgressReachTheUiSide() {
        LatestTaskRunner runner = new LatestTaskRunner(direct, direct, listener);
        List<Throwable> errors = new ArrayList<>();
        runner.submit((token, p) -> {
            p.progress(1, 4, "step");
            throw new IllegalStateException("boom");
        }, r -> { }, errors::add);
        assertEquals("boom", errors.get(0).getMessage());
        assertTrue(events.contains("progress 0.25 step"), events.toString());
        assertEquals("idle", events.get(events.size() - 1));
    }
}
