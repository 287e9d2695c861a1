package org.quantlens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.quantlens.calib.ActivationStatistics;
import org.quantlens.calib.CalibrationRun;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTables;
import org.quantlens.calib.Histogram;
import org.quantlens.calib.HistogramFile;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.calib.search.SearchBatch;
import org.quantlens.calib.search.SearchResult;
import org.quantlens.exec.ExecContext;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code quantlens range (--npy X.npy | --histogram H.json [--tensor NAME]) --method M [--scheme S] [--json]}
 * (CONTRACTS.md): one range method on saved data, without a model.
 *
 * <p>{@code --histogram} reads the layout of {@code ../shared/reference/*}{@code /hist_*.json} (and what
 * {@code calibrate --histograms} writes) and gives {@code {"tensors": {"<tensor>": {"min": lo, "max": hi}}}};
 * ema needs per-batch statistics and is refused there. {@code --npy} treats the array's first axis as samples,
 * cut into batches of {@code --batch} (ema, mse: one observer update per batch), and gives
 * {@code {"method", "min", "max", "scale", "zero_point", "observed_min", "observed_max"}} where min/max is the
 * method's range and scale/zero point follow ONNX Runtime's rule under the scheme. Text by default, JSON with
 * {@code --json}.
 */
@Command(name = "range", description = "Run one range method on a saved histogram or a .npy array.")
final class RangeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--npy", paramLabel = "X.npy", description = "Values (first axis = samples).")
        Path npy;

        @Option(names = "--histogram", paramLabel = "H.json", description = "Histograms per tensor (reference layout).")
        Path histogram;
    }

    @Option(names = "--tensor", paramLabel = "NAME", description = "Only this tensor of --histogram.")
    String tensor;

    @Option(names = "--method", required = true, paramLabel = "M",
            description = "minmax, ema, percentile, kl-tensorrt, kl-onnxruntime, kl-ncnn, mse, aciq.")
    String method;

    @Option(names = "--scheme", paramLabel = "S",
            description = "uint8-asymmetric (default), int8-symmetric, int8-asymmetric; an explicit asymmetric "
                    + "scheme makes percentile two-sided.")
    String scheme;

    @Option(names = "--bits", defaultValue = "8", description = "Bits, 2..16 (default ${DEFAULT-VALUE}).")
    int bits;

    @Mixin
    MethodTuning tuning;

    @Option(names = "--bins", defaultValue = "2048", description = "Histogram bins for --npy (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--batch", defaultValue = "16", description = "Samples per batch for --npy (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        RangeMethod m = MethodArgs.method(method);
        QuantSpec qspec = MethodArgs.spec(MethodArgs.scheme(scheme), bits, "--bits");
        RangeOptions options = tuning.options(m, scheme, bits).rangeOnly(); // only ranges are printed
        List<String> warnings = new ArrayList<>();
        Map<String, Object> doc = source.npy != null ? fromNpy(m, qspec, options, warnings)
                : fromHistograms(m, options, warnings);
        warnings.forEach(w -> spec.commandLine().getErr().println("quantlens: warning: " + w));
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.toString(doc));
        } else if (source.npy != null) {
            out.printf("%s: [%s, %s] scale %s zero point %s (observed [%s, %s])%n", doc.get("method"), doc.get("min"),
                    doc.get("max"), doc.get("scale"), doc.get("zero_point"), doc.get("observed_min"),
                    doc.get("observed_max"));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> t = (Map<String, Map<String, Object>>) doc.get("tensors");
            t.forEach((k, v) -> out.println(k + ": [" + v.get("min") + ", " + v.get("max") + "]"));
        }
        return QuantLensCommand.OK;
    }

    private Map<String, Object> fromHistograms(RangeMethod m, RangeOptions options, List<String> warnings) {
        if (m == RangeMethod.EMA) {
            throw new InvalidInputException("--method ema needs per-batch statistics, which a histogram does not "
                    + "hold; use --npy or calibrate");
        }
        Map<String, Histogram> all = HistogramFile.read(source.histogram);
        if (tensor != null && !all.containsKey(tensor)) {
            throw InvalidInputException.of(source.histogram.getFileName(), "no tensor \"" + tensor + "\" (it holds "
                    + all.size() + " tensors)");
        }
        List<Map.Entry<String, Histogram>> chosen = all.entrySet().stream()
                .filter(e -> tensor == null || tensor.equals(e.getKey())).toList();
        // Searched one tensor per core (SearchBatch), reported in file order as before.
        SearchResult[] found = SearchBatch.run(chosen.size(), ExecContext.defaultContext(),
                i -> ActivationStatistics.rangeOf(chosen.get(i).getValue(), m, optionsFor(m, options,
                        chosen.get(i).getValue())));
        Map<String, Object> tensors = new LinkedHashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
            Map.Entry<String, Histogram> e = chosen.get(i);
            if (optionsFor(m, options, e.getValue()) != options) {
                warnings.add("tensor " + e.getKey() + ": an |x| histogram allows only the symmetric percentile");
            }
            SearchResult r = found[i];
            r.warnings().forEach(w -> warnings.add("tensor " + e.getKey() + ": " + w));
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("min", r.range().lo());
            v.put("max", r.range().hi());
            tensors.put(e.getKey(), v);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tensors", tensors);
        return doc;
    }

    /** The options for one histogram: an |x| histogram allows only the symmetric percentile. */
    private static RangeOptions optionsFor(RangeMethod m, RangeOptions options, Histogram h) {
        boolean absoluteOnly = m == RangeMethod.PERCENTILE && !options.symmetric()
                && h.form() == Histogram.Form.ABSOLUTE;
        return absoluteOnly ? options.withSymmetric(true) : options;
    }

    private Map<String, Object> fromNpy(RangeMethod m, QuantSpec qspec, RangeOptions options, List<String> warnings) {
        if (tensor != null) {
            throw new InvalidInputException("--tensor goes with --histogram, not --npy");
        }
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1, got " + batch);
        }
        if (bins < 8 || bins % 4 != 0 || bins > 1 << 20) {
            throw new InvalidInputException("--bins must be a multiple of 4 in 8.." + (1 << 20) + ", got " + bins);
        }
        Tensor x = Npy.read(source.npy).toFloat32();
        if (x.size() == 0) {
            throw InvalidInputException.of(source.npy.getFileName(), "holds no values");
        }
        int samples = x.rank() == 0 ? 1 : x.shape().dim(0);
        CalibrationRun.Options o = CalibrationRun.Options.of(m).withBatchSize(batch).withBins(bins)
                .withEmaConstant(tuning.emaConstant());
        ActivationStatistics s = CalibrationRun.observeArray(source.npy.getFileName().toString(), x.floats(),
                samples, o);
        SearchResult r = s.range(m, options);
        r.warnings().forEach(warnings::add);
        Histogram h = s.histogram();
        ActivationEntry e = CalibrationTables.entry(m.cliName(), r.range(), h.isEmpty() ? 0 : h.min(),
                h.isEmpty() ? 0 : h.max(), qspec, source.npy.getFileName().toString(), warnings);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("method", m.cliName());
        doc.put("min", r.range().lo());
        doc.put("max", r.range().hi());
        doc.put("scale", e.scale());
        doc.put("zero_point", e.zeroPoint());
        doc.put("observed_min", e.observedMin());
        doc.put("observed_max", e.observedMax());
        if (m == RangeMethod.EMA) {
            doc.put("note", "ema depends on the batch size: " + batch + " samples per update");
        }
        return doc;
    }
}
