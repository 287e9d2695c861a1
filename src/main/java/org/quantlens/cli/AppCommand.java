package org.quantlens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens app [MODEL] [--data DATA] [--preprocess P.json]}: the desktop app. The app is not built yet
 * (it is the desktop-app issue); until then this says so plainly instead of pretending.
 */
@Command(name = "app", description = "Open the desktop app on MODEL (default: the bundled sample).")
final class AppCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "ONNX model to open.")
    Path model;

    @Option(names = "--data", paramLabel = "DATA", description = "Calibration data (npy, npz, pb, image folder).")
    Path data;

    @Option(names = "--preprocess", paramLabel = "P.json", description = "Preprocessing spec for image folders.")
    Path preprocess;

    @Override
    public Integer call() {
        System.err.println("quantlens: the desktop app is not part of this build yet; the headless commands are:"
                + " inspect, run, conformance (see quantlens --help)");
        return QuantLensCommand.BAD_INPUT;
    }
}
