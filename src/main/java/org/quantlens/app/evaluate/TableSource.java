package org.quantlens.app.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.quantlens.calib.CalibrationRun;
import org.quantlens.calib.CalibrationStatistics;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTables;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.exec.Engine;
import org.quantlens.formats.ImportedTable;
import org.quantlens.formats.QuantLensJsonFormat;
import org.quantlens.ir.Model;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.InvalidInputException;

/**
 * Where the evaluation and export panels get "the current table", in this order: a table handed over by the main
 * window (its calibration with any manual thresholds), a quantlens-json file the user loaded, or else a minmax
 * calibration on the main window's calibration data with the CLI's defaults (activations uint8 asymmetric, weights
 * int8 symmetric per channel), so the panels work before anything was calibrated by hand.
 *
 * @param table           the main window's table, or null
 * @param file            a quantlens-json table file, or null
 * @param calibrationData calibration data to calibrate on when neither is given, or null
 */
public record TableSource(CalibrationTable table, Path file, Path calibrationData) {

    /** A table with where it came from and what the user should know about it. */
    public record Resolved(CalibrationTable table, String origin, List<String> warnings) {
        public Resolved {
            warnings = List.copyOf(warnings);
        }
    }

    /** True when {@link #resolve} has something to work with. */
    public boolean available() {
        return table != null || file != null || calibrationData != null;
    }

    /** One line saying which table {@link #resolve} will use. */
    public String describe() {
        if (table != null) {
            return "the current calibration table";
        }
        if (file != null) {
            return file.getFileName().toString();
        }
        return calibrationData != null ? "minmax on " + calibrationData.getFileName() : "no table";
    }

    /**
     * The table for {@code model} (read from {@code modelPath}).
     *
     * @throws InvalidInputException when there is no source, or the file or data is unusable
     */
    public Resolved resolve(Model model, Path modelPath, CancellationToken token, ProgressMonitor progress) {
        if (table != null) {
            return new Resolved(table, describe(), List.of());
        }
        if (file != null) {
            ImportedTable t = QuantLensJsonFormat.read(file, model);
            List<String> w = new ArrayList<>(t.warnings());
            if (!t.unknownTensors().isEmpty()) {
                w.add(file.getFileName() + ": " + t.unknownTensors().size() + " tensors not in the model, ignored");
            }
            return new Resolved(t.table(), describe(), w);
        }
        if (calibrationData == null) {
            throw new InvalidInputException("no calibration table: calibrate, load a table, or open calibration data");
        }
        return calibrate(model, modelPath, calibrationData, token, progress);
    }

    /** A minmax table of {@code model} on {@code data} with the CLI's default schemes. */
    static Resolved calibrate(Model model, Path modelPath, Path data, CancellationToken token,
                              ProgressMonitor progress) {
        Engine engine = Engine.load(model);
        DataOptions opts = DataOptions.forInputs(model.graph().inputNames());
        CalibrationStatistics stats;
        try (BatchSource source = DataSources.open(data, opts)) {
            stats = CalibrationRun.run(engine, source, CalibrationRun.Options.of(RangeMethod.MINMAX),
                    (done, total, msg) -> progress.progress(done, total, "calibrating (minmax)"), token);
        }
        CalibrationTables.Result r = CalibrationTables.build(stats, new CalibrationTables.Spec(RangeMethod.MINMAX,
                RangeOptions.DEFAULT, QuantSpec.activationsDefault(), QuantSpec.weightsDefault(), true,
                new CalibrationTable.ModelRef(modelPath.getFileName().toString(), sha256(modelPath))));
        return new Resolved(r.table(), "minmax on " + data.getFileName(), r.warnings());
    }

    /** The file's SHA-256 in hex, "" when it cannot be read (the table then records no hash). */
    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream d = (DigestInputStream) in;
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "";
        }
    }
}
