package org.quantlens.app.main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.formats.ImportedTable;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.ir.Model;

/**
 * The project file beside a model, {@code <model file name>.quantlens.json}: the app's current calibration table
 * in the quantlens-json format (CONTRACTS.md), manual flags included, so thresholds set by hand survive a crash
 * or a quit and come back when the model is opened again.
 *
 * <p>Saving is debounced: {@link #schedule} keeps only the newest table and writes it {@code delayMillis} after the
 * last change, on the saver's own daemon thread; every write goes through a temporary sibling and a rename
 * ({@link QuantLensJsonFormat#write}), so the file on disk is always a whole table, old or new. {@link #flush}
 * writes a pending table at once (on quit). A failed write is reported once to {@code onError} and retried on
 * the next change.
 */
public final class ProjectFile implements AutoCloseable {
    /** Appended to the model's file name. */
    public static final String SUFFIX = ".quantlens.json";

    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quantlens-autosave");
        t.setDaemon(true);
        return t;
    });
    private final long delayMillis;
    private final Consumer<String> onError;
    private Path target;
    private CalibrationTable pending;
    private ScheduledFuture<?> scheduled;

    /** A saver writing {@code delayMillis} after the last change; {@code onError} gets one-line messages. */
    public ProjectFile(long delayMillis, Consumer<String> onError) {
        this.delayMillis = delayMillis;
        this.onError = Objects.requireNonNull(onError);
    }

    /** Where the project of {@code model} lives. */
    public static Path pathFor(Path model) {
        return model.resolveSibling(model.getFileName() + SUFFIX);
    }

    /**
     * The saved table of {@code modelFile}, or null when there is none.
     *
     * @throws org.quantlens.tensor.InvalidInputException when the file is there but not a valid table
     */
    public static ImportedTable read(Path modelFile, Model model) {
        Path p = pathFor(modelFile);
        return Files.isRegularFile(p) ? QuantLensJsonFormat.read(p, model) : null;
    }

    /** Saves {@code table} as the project of {@code modelFile} after the debounce delay (replacing a pending one). */
    public synchronized void schedule(Path modelFile, CalibrationTable table) {
        target = pathFor(modelFile);
        pending = table;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduled = writer.schedule(this::writePending, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Writes the pending table now (if any) and waits for it. */
    public void flush() {
        try {
            writer.submit(this::writePending).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            onError.accept("the project file could not be saved: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops a pending save (the model was closed or replaced before it was due). */
    public synchronized void discardPending() {
        pending = null;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private void writePending() {
        Path out;
        CalibrationTable table;
        synchronized (this) {
            out = target;
            table = pending;
            pending = null;
        }
        if (table == null) {
            return;
        }
        try {
            QuantLensJsonFormat.write(table, out);
        } catch (RuntimeException e) {
            onError.accept(out.getFileName() + ": could not save the project: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        flush();
        writer.shutdown();
    }
}
