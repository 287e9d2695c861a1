package org.quantlens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.quantlens.conformance.TensorComparison;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.data.PreprocessSpec;
import org.quantlens.exec.ActivationTap;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Npz;
import org.quantlens.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens run MODEL --input IN [--output OUT.npy] [--json]}: runs the FP32 engine over a data set in
 * batches and writes the outputs (first output to a .npy, or all to a .npz). {@code --expect REF.npy} compares the
 * first output with a reference and fails (exit 1) beyond {@code --atol}.
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

    @Option(names = "--atol", defaultValue = "1e-4", description = "Max abs difference allowed by --expect.")
    double atol;

    @Option(names = "--int8", description = "Run the INT8 runtime with --table.")
    boolean int8;

    @Option(names = "--table", paramLabel = "T.json", description = "Calibration table for --int8.")
    Path table;

    @Override
    public Integer call() throws Exception {
        if (int8) {
            throw new InvalidInputException("--int8: the INT8 runtime is not part of this build yet");
        }
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1");
        }
        Model model = OnnxReader.read(modelPath);
        Engine engine = Engine.load(model);
        List<String> inputNames = model.graph().inputNames();
        Map<String, List<Tensor>> collected = new LinkedHashMap<>();
        model.graph().outputNames().forEach(n -> collected.put(n, new ArrayList<>()));
        PreprocessSpec spec = preprocess == null ? null : PreprocessSpec.read(preprocess);
        DataOptions opts = new DataOptions(inputNames, npzName, spec, limit);
        long start = System.nanoTime();
        try (BatchSource source = InputArgs.open(inputs, inputNames, opts)) {
            source.notes().forEach(n -> System.err.println("quantlens: note: " + n));
            ConsoleProgress progress = new ConsoleProgress("run");
            int done = 0;
            for (Iterator<Map<String, Tensor>> it = source.batches(batch); it.hasNext(); ) {
                Map<String, Tensor> feeds = it.next();
                Map<String, Tensor> outs = engine.run(feeds, ActivationTap.NONE, CancellationToken.none());
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

    private int report(Map<String, Tensor> results, double seconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", modelPath.toString());
        doc.put("seconds", seconds);
        Map<String, Object> outs = new LinkedHashMap<>();
        results.forEach((name, t) -> outs.put(name, summary(t)));
        doc.put("outputs", outs);
        int status = QuantLensCommand.OK;
        if (expect != null) {
            Tensor ref = Npy.read(expect);
            Tensor got = results.values().iterator().next();
            if (ref.dtype() != got.dtype()) {
                ref = ref.toFloat32();
                got = got.toFloat32();
            }
            TensorComparison c = TensorComparison.compare(got, ref, 0, atol);
            Map<String, Object> cmp = new LinkedHashMap<>();
            cmp.put("reference", expect.toString());
            cmp.put("max_abs_diff", c.problem() == null ? c.maxAbs() : null);
            cmp.put("atol", atol);
            cmp.put("match", c.matches());
            if (c.problem() != null) {
                cmp.put("problem", c.problem());
            }
            doc.put("expect", cmp);
            status = c.matches() ? QuantLensCommand.OK : QuantLensCommand.JOB_FAILED;
        }
        if (json) {
            out().println(Json.toString(doc));
        } else {
            results.forEach((name, t) -> out().println("output " + name + ": " + summary(t)));
            out().printf("%.3f s%n", seconds);
            if (expect != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> cmp = (Map<String, Object>) doc.get("expect");
                out().println("vs " + expect + ": " + (cmp.containsKey("problem") ? cmp.get("problem")
                        : "max abs diff " + cmp.get("max_abs_diff")) + (status == 0 ? " (ok)" : " (FAILED, atol " + atol + ")"));
            }
        }
        return status;
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
