package org.quantlens.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.quantlens.app.main.AppLauncher;
import org.quantlens.app.main.AppOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens app [MODEL] [--data DATA] [--preprocess P.json] [--snapshot DIR]}: the desktop app, on MODEL
 * or else the bundled sample ({@value #SAMPLE_MODEL} under the project folder). Exit status 2 with one line when
 * there is no display or the model is missing. JavaFX is reached only through {@link AppLauncher}, so the
 * headless commands never load it.
 */
@Command(name = "app", description = "Open the desktop app on MODEL (default: the bundled sample).")
final class AppCommand implements Callable<Integer> {
    /** The bundled sample, relative to the project (or installation) folder. */
    static final String SAMPLE_MODEL = "sample-models/mobilenet_v1/model.onnx";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "ONNX model to open.")
    Path model;

    @Option(names = "--data", paramLabel = "DATA", description = "Calibration data (npy, npz, pb, image folder).")
    Path data;

    @Option(names = "--preprocess", paramLabel = "P.json", description = "Preprocessing spec for image folders.")
    Path preprocess;

    @Option(names = "--snapshot", paramLabel = "DIR",
            description = "Render the main views to PNG files in DIR and exit.")
    Path snapshot;

    @Override
    public Integer call() {
        java.io.PrintWriter err = spec != null ? spec.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
        Path m = model != null ? model : sampleModel();
        if (model == null && !Files.isRegularFile(m)) {
            err.println("quantlens: the bundled sample " + m + " is missing; give a model: quantlens app MODEL.onnx");
            return QuantLensCommand.BAD_INPUT;
        }
        if (data == null && model == null) {
            Path sampleData = m.resolveSibling("calib.npy");
            data = Files.isRegularFile(sampleData) ? sampleData : null;
        }
        return AppLauncher.launch(new AppOptions(m, data, preprocess, snapshot), err);
    }

    /** The sample beside the installation: {@code -Dquantlens.home}, else the working directory. */
    static Path sampleModel() {
        String home = System.getProperty("quantlens.home");
        Path base = home != null ? Path.of(home) : Path.of("");
        return base.resolve(SAMPLE_MODEL).toAbsolutePath().normalize();
    }
}
