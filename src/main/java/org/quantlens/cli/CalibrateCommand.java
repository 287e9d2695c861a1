package org.quantlens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.quantlens.calib.CalibrationRun;
import org.quantlens.calib.CalibrationStatistics;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTables;
import org.quantlens.calib.HistogramFile;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.PreprocessSpec;
import org.quantlens.exec.Engine;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.SafeText;
import org.quantlens.tensor.AtomicFiles;
import org.quantlens.tensor.InvalidInputException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens calibrate MODEL --data IN ...} (CONTRACTS.md): runs the model over calibration data
 * ({@link CalibrationRun}), picks each activation's range with {@code --method}, and writes the calibration table
 * ({@code --out T.json}, written by {@link QuantLensJsonFormat}; without it the table is printed on stdout) and optionally the histograms the method used
 * ({@code --histograms H.json}, readable by {@code range --histogram}). Progress goes to stderr; both files are
 * written atomically and only after the run finished, so Ctrl-C leaves nothing half-done.
 */
@Command(name = "calibrate", description = "Calibrate activation ranges and weight scales; write a quantlens-json table.")
final class CalibrateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL")
    Path modelPath;

    @Option(names = "--data", required = true, paramLabel = "IN|NAME=IN",
            description = "Calibration data (npy, npz, pb, image folder, ONNX test folder); NAME=IN per input for several.")
    List<String> data;

    @Option(names = "--name", paramLabel = "NAME", description = "Array to read from an .npz.")
    String npzName;

    @Option(names = "--preprocess", paramLabel = "P.json", description = "Preprocessing spec for image folders.")
    Path preprocess;

    @Option(names = "--method", defaultValue = "minmax", paramLabel = "M",
            description = "minmax, ema, percentile, kl-tensorrt, kl-onnxruntime, kl-ncnn, mse, aciq (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--scheme", paramLabel = "S",
            description = "Activations: uint8-asymmetric (default), int8-symmetric, int8-asymmetric. Percentile is "
                    + "symmetric on |x| (ONNX Runtime's default) unless an asymmetric scheme is given explicitly.")
    String scheme;

    @Option(names = "--bits", defaultValue = "8", description = "Activation bits, 2..16 (default ${DEFAULT-VALUE}).")
    int bits;

    @Mixin
    MethodTuning tuning;

    @Option(names = "--weight-bits", defaultValue = "8", description = "Weight bits, 2..16 (default ${DEFAULT-VALUE}).")
    int weightBits;

    @Option(names = "--weight-range", defaultValue = "restricted", paramLabel = "restricted|full",
            description = "Symmetric weight codes: restricted [-127, 127] (ONNX Runtime, TensorRT; default) or "
                    + "full [-128, 127] (PyTorch's qint8: scale = absmax/127.5).")
    String weightRange;

    @ArgGroup(exclusive = true)
    Granularity granularity;

    static final class Granularity {
        @Option(names = "--per-channel", description = "Weights per output channel (default).")
        boolean perChannel;

        @Option(names = "--per-tensor", description = "One scale per weight tensor.")
        boolean perTensor;
    }

    @Option(names = "--bins", defaultValue = "2048", description = "Histogram bins (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--limit", defaultValue = "0", description = "Use at most N samples (0 = all).")
    int limit;

    @Option(names = "--batch", defaultValue = "16", description = "Samples per engine batch (default ${DEFAULT-VALUE}); ema depends on it.")
    int batch;

    @Option(names = "--out", paramLabel = "T.json", description = "Write the table here (else print it).")
    Path out;

    @Option(names = "--histograms", paramLabel = "H.json", description = "Also save the histograms the method used.")
    Path histograms;

    /** {@code --weight-range}: the restricted symmetric range, or the full one PyTorch's qint8 uses. */
    private QuantSpec weightSpec(QuantSpec s) {
        return switch (weightRange) {
            case "restricted" -> s;
            case "full" -> new QuantSpec(s.scheme(), s.bits(), s.reduceRange(), s.powerOfTwoScale(), false);
            default -> throw new InvalidInputException("--weight-range must be restricted or full, got '"
                    + SafeText.printable(weightRange, 40) + "'");
        };
    }

    @Override
    public Integer call() throws Exception {
        RangeMethod m = MethodArgs.method(method);
        QuantScheme s = MethodArgs.scheme(scheme);
        QuantSpec activations = MethodArgs.spec(s, bits, "--bits");
        QuantSpec weights = weightSpec(MethodArgs.spec(QuantScheme.INT8_SYMMETRIC, weightBits, "--weight-bits"));
        RangeOptions options = tuning.options(m, scheme, bits);
        CalibrationRun.Options runOptions = runOptions(m);
        Model model = OnnxReader.read(modelPath);
        Engine engine = Engine.load(model);
        PreprocessSpec pre = preprocess == null ? null : PreprocessSpec.read(preprocess);
        DataOptions dataOptions = new DataOptions(model.graph().inputNames(), npzName, pre, checkLimit());
        CalibrationStatistics stats;
        CancellationToken token = new CancellationToken();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            token.cancel();
            awaitQuietly(finished);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (BatchSource source = InputArgs.open(data, model.graph().inputNames(), dataOptions)) {
            source.notes().forEach(n -> err("note: " + n));
            stats = CalibrationRun.run(engine, source, runOptions, new ConsoleProgress("calibrate"), token);
            CalibrationTables.Result result = CalibrationTables.build(stats, new CalibrationTables.Spec(m, options,
                    activations, weights, granularity == null || !granularity.perTensor,
                    new CalibrationTable.ModelRef(modelPath.getFileName().toString(), sha256(modelPath))),
                    engine.context());
            result.warnings().forEach(w -> err("warning: " + w));
            if (m == RangeMethod.EMA) {
                err("note: ema ranges depend on the batch size (" + stats.batchSize() + " samples per update, "
                        + "constant " + stats.options().emaConstant() + "): another --batch gives other ranges");
            }
            if (histograms != null) {
                var h = stats.histogramsFor(m, options.symmetric());
                AtomicFiles.write(histograms, o -> HistogramFile.write(o, h));
            }
            if (out != null) {
                QuantLensJsonFormat.write(result.table(), out);
                printSummary(result.table(), stats);
            } else {
                spec.commandLine().getOut().print(QuantLensJsonFormat.toJson(result.table()));
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting (Ctrl-C): the hook is running and will see the latch released
            }
        }
        return QuantLensCommand.OK;
    }

    private CalibrationRun.Options runOptions(RangeMethod m) {
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1, got " + batch);
        }
        if (bins < 8 || bins % 4 != 0 || bins > 1 << 20) {
            throw new InvalidInputException("--bins must be a multiple of 4 in 8.." + (1 << 20) + ", got " + bins);
        }
        return CalibrationRun.Options.of(m).withBatchSize(batch).withBins(bins).withEmaConstant(tuning.emaConstant());
    }

    private int checkLimit() {
        if (limit < 0) {
            throw new InvalidInputException("--limit must be >= 0, got " + limit);
        }
        return limit;
    }

    private void printSummary(CalibrationTable t, CalibrationStatistics stats) {
        var o = spec.commandLine().getOut();
        t.activationEntries().forEach((name, a) -> o.println(formatActivation(name, a)));
        o.println(t.activationEntries().size() + " activations, " + t.weightEntries().size() + " weights from "
                + stats.samples() + " samples in batches of " + stats.batchSize() + " -> " + out);
    }

    static String formatActivation(String name, ActivationEntry a) {
        return String.format("%-40s [%.6g, %.6g] scale %.6g zero point %d (observed [%.6g, %.6g])", name, a.min(),
                a.max(), a.scale(), a.zeroPoint(), a.observedMin(), a.observedMax());
    }

    private void err(String line) {
        spec.commandLine().getErr().println("quantlens: " + line);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // digesting while reading
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
