package org.quantlens.cli;

/**
 * The jar's entry point. Deliberately not a JavaFX {@code Application}: the headless commands must run without the
 * JavaFX toolkit (and without a display), and an Application main class on the class path fails with "JavaFX
 * runtime components are missing".
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        System.exit(QuantLensCommand.execute(args));
    }
}
