package org.quantlens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.data.PreprocessSpec;
import org.quantlens.exec.ActivationTap;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.runtime.Int8Engine;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Npz;
import org.quantlens.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens run MODEL --input IN [--output OUT.npy] [--int8 --table T.json] [--json]}: runs the FP32 engine,
 * or with {@code --int8} the INT8 runtime built from the calibration table, over a data set in batches and writes
 * the outputs (first output to a .npy, or all to a .npz; INT8 outputs dequantized to float32). {@code --expect
 * REF.npy} compares the first output with a reference and fails (exit 1) outside the bounds ({@link ExpectCheck}).
 * An INT8 run lists its FP32 fallback nodes. A QDQ model is not run with {@code --int8} directly: the runtime
 * quantizes an FP32 model from a table, so the message says how to import the QDQ model's table.
 */
@Command(name = "run", description = "Run a model on inputs and write or summarise its outputs.")
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Parameters(index = "0", paramLabel = "MODEL")
    Path modelPath;

    @Option(names = "--input", required = true, paramLabel = "IN|NAME=IN",
            description = "Input data (npy, npz, pb, image folder, ONNX test folder); NAME=IN per input for several.")
    List<String> inputs;

    @Option(names = "--output", paramLabel = "OUT.npy", description = "Write the first output (.npy) or all (.npz).")
    Path output;

    @Option(names = "--json", description = "Print a JSON summary.")
    boolean json;

    @Option(names = "--name", paramLabel = "NAME", description = "Array to read from an .npz input.")
    String npzName;

    @Option(names = "--preprocess", paramLabel = "P.json", description = "Preprocessing spec for image folders.")
    Path preprocess;

    @Option(names = "--batch", defaultValue = "64", description = "Samples per engine call (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", defaultValue = "0", description = "Use at most N samples (0 = all).")
    int limit;

    @Option(names = "--expect", paramLabel = "REF.npy", description = "Compare the first output with this array.")
    Path expect;

    @Option(names = "--atol", paramLabel = "A",
            description = "Max abs difference allowed by --expect (1e-4 when no other bound is given).")
    Double atol;

    @Option(names = "--min-sqnr", paramLabel = "DB", description = "Least SQNR in dB allowed by --expect.")
    Double minSqnrDb;

    @Option(names = "--min-agreement", paramLabel = "R",
            description = "Least top-1 agreement (0..1) with --expect's [N, classes] reference.")
    Double minAgreement;

    @Option(names = "--int8", description = "Run the INT8 runtime with --table.")
    boolean int8;

    @Option(names = "--table", paramLabel = "T.json", description = "Calibration table for --int8.")
    Path table;

    @Option(names = "--requantize", defaultValue = "fixed-point", paramLabel = "fixed-point|float",
            description = "INT8 requantization: integer (TFLite) or float (ONNX Runtime CPU) (default ${DEFAULT-VALUE}).")
    String requantize;

    /** Runs one batch through the FP32 or the INT8 engine. */
    private interface BatchRunner {
        Map<String, Tensor> run(Map<String, Tensor> feeds);
    }

    /** The INT8 engine's FP32 fallbacks, "name (Op)"; null for an FP32 run. */
    private List<String> fallbackNodes;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1");
        }
        if (table != null && !int8) {
            throw new InvalidInputException("--table is for INT8 runs: add --int8");
        }
        Model model = OnnxReader.read(modelPath);
        BatchRunner engine = int8 ? int8Runner(model) : fp32Runner(model);
        List<String> inputNames = model.graph().inputNames();
        Map<String, List<Tensor>> collected = new LinkedHashMap<>();
        model.graph().outputNames().forEach(n -> collected.put(n, new ArrayList<>()));
        PreprocessSpec spec = preprocess == null ? null : PreprocessSpec.read(preprocess);
        DataOptions opts = new DataOptions(inputNames, npzName, spec, limit);
        long start = System.nanoTime();
        try (BatchSource source = InputArgs.open(inputs, inputNames, opts)) {
            source.notes().forEach(this::note);
            ConsoleProgress progress = new ConsoleProgress("run");
            int done = 0;
            for (Iterator<Map<String, Tensor>> it = source.batches(batch); it.hasNext(); ) {
                Map<String, Tensor> feeds = it.next();
                Map<String, Tensor> outs = engine.run(feeds);
                outs.forEach((k, v) -> collected.get(k).add(v));
                done += feeds.values().iterator().next().shape().dim(0);
                progress.progress(done, source.sampleCount(), "");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Tensor> results = new LinkedHashMap<>();
        collected.forEach((k, v) -> {
            if (!v.isEmpty()) {
                results.put(k, Batching.concat(v));
            }
        });
        if (results.isEmpty()) {
            throw new InvalidInputException(inputs.get(0) + ": no samples");
        }
        if (output != null) {
            if (output.toString().endsWith(".npz")) {
                Npz.write(results, output);
            } else {
                Npy.write(results.values().iterator().next(), output);
            }
        }
        return report(results, seconds);
    }

    private BatchRunner fp32Runner(Model model) {
        Engine engine = Engine.load(model);
        return feeds -> engine.run(feeds, ActivationTap.NONE, CancellationToken.none());
    }

    private BatchRunner int8Runner(Model model) {
        if (table == null) {
            if (Int8Runs.isQdqModel(model)) {
                throw InvalidInputException.of(modelPath, "is a QDQ model; the INT8 runtime quantizes an FP32 model "
                        + "from a table: quantlens import " + modelPath + " --format onnx-qdq --model FP32.onnx "
                        + "--out T.json, then quantlens run FP32.onnx --int8 --table T.json");
            }
            throw new InvalidInputException("--int8 needs --table T.json (see quantlens calibrate or import)");
        }
        Int8Engine engine = Int8Runs.engine(modelPath, model, table, requantize, this::note);
        fallbackNodes = engine.fallbackNodes();
        return feeds -> engine.run(feeds, ActivationTap.NONE, CancellationToken.none());
    }

    private void note(String message) {
        spec.commandLine().getErr().println("quantlens: note: " + QuantLensCommand.firstLine(message));
    }

    private int report(Map<String, Tensor> results, double seconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", modelPath.toString());
        doc.put("engine", int8 ? "int8" : "fp32");
        if (fallbackNodes != null) {
            doc.put("fallback_nodes", fallbackNodes);
        }
        doc.put("seconds", seconds);
        Map<String, Object> outs = new LinkedHashMap<>();
        results.forEach((name, t) -> outs.put(name, summary(t)));
        doc.put("outputs", outs);
        int status = QuantLensCommand.OK;
        Map<String, Object> cmp = null;
        if (expect != null) {
            cmp = ExpectCheck.of(atol, minSqnrDb, minAgreement).compare(results.values().iterator().next(), expect);
            doc.put("expect", cmp);
            status = Boolean.TRUE.equals(cmp.get("match")) ? QuantLensCommand.OK : QuantLensCommand.JOB_FAILED;
        }
        if (json) {
            out().println(Json.toString(doc));
        } else {
            results.forEach((name, t) -> out().println("output " + name + ": " + summary(t)));
            out().printf("%.3f s%s%n", seconds, int8 ? " (int8)" : "");
            if (fallbackNodes != null) {
                out().println("fp32 fallbacks: " + (fallbackNodes.isEmpty() ? "none" : String.join(", ", fallbackNodes)));
            }
            if (cmp != null) {
                out().println("vs " + expect + ": " + expectLine(cmp) + (status == 0 ? " (ok)" : " (FAILED)"));
            }
        }
        return status;
    }

    private static String expectLine(Map<String, Object> cmp) {
        if (cmp.containsKey("problem")) {
            return String.valueOf(cmp.get("problem"));
        }
        StringBuilder b = new StringBuilder("max abs diff " + cmp.get("max_abs_diff"));
        if (cmp.get("atol") != null) {
            b.append(" (atol ").append(cmp.get("atol")).append(')');
        }
        b.append(String.format(", SQNR %.2f dB", (Double) cmp.get("sqnr_db")));
        if (cmp.get("min_sqnr_db") != null) {
            b.append(" (min ").append(cmp.get("min_sqnr_db")).append(')');
        }
        if (cmp.get("top1_agreement") != null) {
            b.append(String.format(", top-1 agreement %.4f", (Double) cmp.get("top1_agreement")));
        }
        if (cmp.get("min_agreement") != null) {
            b.append(" (min ").append(cmp.get("min_agreement")).append(')');
        }
        return b.toString();
    }

    private static Map<String, Object> summary(Tensor t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", t.dtype().displayName());
        m.put("shape", java.util.Arrays.stream(t.shape().dims()).boxed().toList());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < t.size(); i++) {
            double v = t.getDouble(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        if (t.size() > 0) {
            m.put("min", min);
            m.put("max", max);
            m.put("mean", sum / t.size());
        }
        return m;
    }
}
