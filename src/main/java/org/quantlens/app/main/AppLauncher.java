package org.quantlens.app.main;

import java.io.PrintWriter;
import java.nio.file.Files;
import javafx.application.Application;

/**
 * Starts the desktop app from the command line. Checks first what would otherwise end in a toolkit stack trace:
 * no display on Linux (no DISPLAY or WAYLAND_DISPLAY, and not on Monocle's headless glass), a missing model file.
 * Blocks until the last window closes.
 */
public final class AppLauncher {
    /** The one-line error when there is no display. */
    public static final String NO_DISPLAY = "no display: set DISPLAY or use the headless commands";

    private AppLauncher() {
    }

    /**
     * Runs the app on {@code options} and returns the exit status: 0 after a normal quit, 1 when snapshot mode
     * failed, 2 (with one line on {@code err}) when there is no display or the model is missing.
     */
    public static int launch(AppOptions options, PrintWriter err) {
        if (!hasDisplay()) {
            err.println("quantlens: " + NO_DISPLAY);
            return 2;
        }
        if (!Files.isRegularFile(options.model())) {
            err.println("quantlens: " + options.model() + ": no such model file");
            return 2;
        }
        QuantLensApp.configure(options);
        try {
            Application.launch(QuantLensApp.class);
        } catch (RuntimeException | LinkageError e) {
            String msg = String.valueOf(e.getMessage());
            err.println("quantlens: " + (msg.contains("DISPLAY") || msg.contains("display") ? NO_DISPLAY
                    : "the desktop app could not start: " + msg.lines().findFirst().orElse(msg)));
            return 2;
        }
        return QuantLensApp.exitStatus();
    }

    /** True unless this is Linux/BSD with neither an X11 nor a Wayland display (Monocle counts as a display). */
    static boolean hasDisplay() {
        return hasDisplay(System.getProperty("glass.platform"), System.getProperty("os.name", ""),
                System.getenv("DISPLAY"), System.getenv("WAYLAND_DISPLAY"));
    }

    static boolean hasDisplay(String glassPlatform, String osName, String display, String waylandDisplay) {
        if ("Monocle".equals(glassPlatform)) {
            return true;
        }
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return true;
        }
        return notBlank(display) || notBlank(waylandDisplay);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
