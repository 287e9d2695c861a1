package org.quantlens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.Labels;
import org.quantlens.data.PreprocessSpec;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.runtime.EvaluationReport;
import org.quantlens.runtime.Evaluator;
import org.quantlens.runtime.Int8Engine;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.SafeText;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens evaluate MODEL --table T.json --data IN [--labels L.npy] [--json R.json]}: runs the FP32 engine
 * and the INT8 runtime built from the table over the same samples ({@link Evaluator}) and reports, as a table on
 * stdout and as CONTRACTS.md's JSON: samples, FP32 and INT8 top-1 accuracy (null without labels), top-1 agreement,
 * logits SQNR, wall times, the FP32 fallback nodes, and per layer the SQNR and cosine between FP32 and dequantized
 * INT8 activations. Non-finite SQNR (identical signals: +infinity dB) is written as the JSON strings "Infinity",
 * "-Infinity" or "NaN", which strict JSON parsers accept and Python's json reads back with float(). Exit 1 when
 * {@code --min-int8-accuracy} is given and not reached.
 */
@Command(name = "evaluate", description = "Compare the INT8 model built from a table with the FP32 model.")
final class EvaluateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL")
    Path modelPath;

    @Option(names = "--table", required = true, paramLabel = "T.json", description = "Calibration table (quantlens-json).")
    Path tablePath;

    @Option(names = "--data", required = true, paramLabel = "IN",
            description = "Evaluation inputs (npy, npz, pb, image folder, ONNX test folder).")
    Path data;

    @Option(names = "--labels", paramLabel = "L.npy", description = "Class labels [N] for accuracy.")
    Path labelsPath;

    @Option(names = "--json", paramLabel = "R.json", description = "Also write the report as JSON.")
    Path jsonPath;

    @Option(names = "--name", paramLabel = "NAME", description = "Array to read from an .npz input.")
    String npzName;

    @Option(names = "--preprocess", paramLabel = "P.json", description = "Preprocessing spec for image folders.")
    Path preprocess;

    @Option(names = "--batch", defaultValue = "64", description = "Samples per engine call (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", defaultValue = "0", description = "Use at most N samples (0 = all).")
    int limit;

    @Option(names = "--requantize", defaultValue = "fixed-point", paramLabel = "fixed-point|float",
            description = "Integer (TFLite) or float (ONNX Runtime CPU) requantization (default ${DEFAULT-VALUE}).")
    String requantize;

    @Option(names = "--min-int8-accuracy", paramLabel = "A",
            description = "Exit 1 when the INT8 accuracy (0..1, needs --labels) is below A.")
    Double minInt8Accuracy;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1");
        }
        if (minInt8Accuracy != null && labelsPath == null) {
            throw new InvalidInputException("--min-int8-accuracy needs --labels");
        }
        Int8Runs.requantMode(requantize); // a usage error before any slow work
        Model model = OnnxReader.read(modelPath);
        Int8Engine int8 = Int8Runs.engine(modelPath, model, tablePath, requantize, this::note);
        Engine fp32 = Engine.load(model);
        Tensor samples = loadSamples(model);
        Tensor labels = labelsPath == null ? null : labelTensor(Labels.read(labelsPath));
        EvaluationReport r = Evaluator.evaluate(fp32, int8, samples, labels, batch, CancellationToken.none(),
                new ConsoleProgress("evaluate"));
        Map<String, Object> doc = toJson(r);
        if (jsonPath != null) {
            Json.write(doc, jsonPath);
        }
        print(r);
        if (minInt8Accuracy != null && r.int8Accuracy() != null && r.int8Accuracy() < minInt8Accuracy) {
            spec.commandLine().getErr().printf("quantlens: INT8 accuracy %.4f is below --min-int8-accuracy %s%n",
                    r.int8Accuracy(), minInt8Accuracy);
            return QuantLensCommand.JOB_FAILED;
        }
        return QuantLensCommand.OK;
    }

    private Tensor loadSamples(Model model) {
        List<String> inputNames = model.graph().inputNames();
        PreprocessSpec pre = preprocess == null ? null : PreprocessSpec.read(preprocess);
        List<Tensor> parts = new ArrayList<>();
        try (BatchSource source = InputArgs.open(List.of(data.toString()), inputNames,
                new DataOptions(inputNames, npzName, pre, limit))) {
            source.notes().forEach(this::note);
            for (Iterator<Map<String, Tensor>> it = source.batches(batch); it.hasNext(); ) {
                parts.add(it.next().values().iterator().next());
            }
        }
        if (parts.isEmpty()) {
            throw InvalidInputException.of(data, "no samples");
        }
        return Batching.concat(parts);
    }

    private static Tensor labelTensor(long[] labels) {
        return Tensor.ofLongs(Shape.of(labels.length), labels);
    }

    /** The report as CONTRACTS.md's {@code evaluate} JSON, field for field, in that order. */
    static Map<String, Object> toJson(EvaluationReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("samples", r.samples());
        doc.put("fp32_accuracy", r.fp32Accuracy());
        doc.put("int8_accuracy", r.int8Accuracy());
        doc.put("top1_agreement", r.top1Agreement());
        doc.put("logits_sqnr_db", r.logitsSqnrDb());
        doc.put("fp32_seconds", r.fp32Seconds());
        doc.put("int8_seconds", r.int8Seconds());
        doc.put("fallback_nodes", r.fallbackNodes());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (EvaluationReport.Layer l : r.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tensor", l.tensor());
            m.put("op", l.op());
            m.put("sqnr_db", l.sqnrDb());
            m.put("cosine", l.cosine());
            layers.add(m);
        }
        doc.put("layers", layers);
        return doc;
    }

    private void print(EvaluationReport r) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("samples          %d%n", r.samples());
        if (r.int8Accuracy() != null) {
            o.printf("accuracy         fp32 %.2f%%   int8 %.2f%%%n", 100 * r.fp32Accuracy(), 100 * r.int8Accuracy());
        }
        o.printf("top-1 agreement  %.2f%%%n", 100 * r.top1Agreement());
        o.printf("logits SQNR      %.2f dB%n", r.logitsSqnrDb());
        o.printf("time             fp32 %.3f s   int8 %.3f s%n", r.fp32Seconds(), r.int8Seconds());
        o.println("fallback nodes   " + (r.fallbackNodes().isEmpty() ? "none" : String.join(", ", r.fallbackNodes())));
        int width = Math.max(6, r.layers().stream().mapToInt(l -> SafeText.printable(l.tensor(), 60).length()).max().orElse(6));
        o.printf("%n%-" + width + "s  %-16s %9s %9s%n", "tensor", "op", "SQNR dB", "cosine");
        for (EvaluationReport.Layer l : r.layers()) {
            o.printf("%-" + width + "s  %-16s %9.2f %9.5f%n", SafeText.printable(l.tensor(), 60), l.op(), l.sqnrDb(), l.cosine());
        }
    }

    private void note(String message) {
        spec.commandLine().getErr().println("quantlens: note: " + QuantLensCommand.firstLine(message));
    }
}
