package org.quantlens.app.main;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.quantlens.app.layers.ActivationPicture;
import org.quantlens.calib.CalibrationRun;
import org.quantlens.calib.CalibrationStatistics;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTables;
import org.quantlens.calib.WeightStatistics;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.data.PreprocessSpec;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.InvalidInputException;

/**
 * The core work behind the toolbar's Calibrate button, synchronous (the view model runs it in the background):
 * {@link CalibrationRun} over the data with statistics for every range method (so the histogram view can show
 * where each would clip without another run), then {@link CalibrationTables#build} for the chosen method. The
 * settings mean what the {@code calibrate} command's options mean: weights int8 symmetric, 8 bits; percentile
 * in ONNX Runtime's symmetric |x| mode exactly when the scheme is symmetric (the app always names a scheme).
 * Writes nothing: a cancelled run leaves no trace.
 */
public final class Calibrator {
    /** Samples per engine batch, as {@code calibrate --batch}'s default (ema depends on it). */
    static final int BATCH = 16;

    private Calibrator() {
    }

    /**
     * The toolbar's choices.
     *
     * @param method     activation range method
     * @param scheme     activation scheme
     * @param bits       activation bits (2..16)
     * @param perChannel weights per output channel (else per tensor)
     */
    public record Settings(RangeMethod method, QuantScheme scheme, int bits, boolean perChannel) {
        /** The activation grid. */
        public QuantSpec activations() {
            return QuantSpec.of(scheme, bits);
        }

        /** The method options, as {@code calibrate --scheme S --bits B} gives them. */
        public RangeOptions options() {
            RangeOptions d = RangeOptions.DEFAULT;
            return new RangeOptions(bits, scheme.symmetric(), d.percentile(), d.numQuantizedBins(),
                    d.suppressZeroSpike(), d.aciqPrior());
        }

        /** The spec of the table for {@code modelFile}. */
        CalibrationTables.Spec tableSpec(CalibrationTable.ModelRef model) {
            return new CalibrationTables.Spec(method, options(), activations(), QuantSpec.of(QuantScheme.INT8_SYMMETRIC,
                    8), perChannel, model);
        }
    }

    /** A finished calibration: the statistics (kept for later searches) and the table with its warnings. */
    /**
     * @param pictures every activation's histogram picture and error model for the layer table, built here in the
     *                 background so that applying a result on the FX thread stays light
     */
    public record Result(CalibrationStatistics statistics, CalibrationTables.Result table, Settings settings,
                         Map<String, ActivationPicture> pictures) {
    }

    /**
     * Calibrates {@code model} (read from {@code modelFile}) on {@code data}.
     *
     * @throws InvalidInputException when the data cannot be read or does not fit the model
     * @throws org.quantlens.progress.CancellationToken.CancelledException when cancelled
     */
    public static Result run(Model model, Path modelFile, Path data, Path preprocess, Settings settings,
                             CancellationToken token, ProgressMonitor progress) {
        Engine engine = Engine.load(model);
        PreprocessSpec pre = preprocess == null ? null : PreprocessSpec.read(preprocess);
        DataOptions opts = new DataOptions(model.graph().inputNames(), null, pre, 0);
        CalibrationStatistics stats;
        try (BatchSource source = DataSources.open(data, opts)) {
            stats = CalibrationRun.run(engine, source, CalibrationRun.Options.all().withBatchSize(BATCH), progress,
                    token);
        }
        return new Result(stats, CalibrationTables.build(stats, settings.tableSpec(modelRef(modelFile)),
                engine.context()), settings, ActivationPicture.ofAll(stats.activations()));
    }

    /** The table of the weights alone (no data yet), so a table can be exported or saved before calibration. */
    public static CalibrationTables.Result weightsOnly(Model model, Path modelFile, Settings settings) {
        CalibrationStatistics none = new CalibrationStatistics(Map.of(), WeightStatistics.collect(model.graph()), 0,
                BATCH, CalibrationRun.Options.of().withBatchSize(BATCH));
        return CalibrationTables.build(none, settings.tableSpec(modelRef(modelFile)));
    }

    /** The file name and SHA-256 a table records, as {@code calibrate} records them. */
    static CalibrationTable.ModelRef modelRef(Path modelFile) {
        return new CalibrationTable.ModelRef(modelFile.getFileName().toString(), sha256(modelFile));
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw InvalidInputException.of(file, "cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
