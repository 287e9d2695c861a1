package org.quantlens.app.fx;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The app's one background thread. Core work (loading a model, running the FP32 engine over calibration data)
 * runs here, one job at a time, so two jobs never fight over the machine's cores or over the engine; results are
 * handed back to the FX thread. The thread is a daemon: quitting the app never waits for it.
 */
public final class BackgroundWork {
    private static final ExecutorService SHARED = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quantlens-background");
        t.setDaemon(true);
        return t;
    });

    private BackgroundWork() {
    }

    /** The shared single-thread executor. */
    public static ExecutorService shared() {
        return SHARED;
    }
}
