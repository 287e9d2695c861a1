package org.quantlens.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.quantlens.exec.Engine;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quantlens inspect MODEL [--json]}: what a model holds and whether QuantLens can run it. */
@Command(name = "inspect", description = "Describe a model: inputs, outputs, operators, parameters, support.")
final class InspectCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Parameters(index = "0", paramLabel = "MODEL")
    Path modelPath;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        Model model = OnnxReader.read(modelPath);
        Map<String, Object> doc = describe(modelPath, model);
        if (json) {
            out().println(Json.toString(doc));
        } else {
            printText(doc);
        }
        return QuantLensCommand.OK;
    }

    static Map<String, Object> describe(Path path, Model model) {
        Graph g = model.graph();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", path.toString());
        doc.put("ir_version", model.irVersion());
        Map<String, Long> opsets = new LinkedHashMap<>();
        model.opsets().forEach((d, v) -> opsets.put(d.isEmpty() ? "ai.onnx" : d, v));
        doc.put("opsets", opsets);
        doc.put("producer", (model.producerName() + " " + model.producerVersion()).trim());
        doc.put("inputs", values(g.inputs()));
        doc.put("outputs", values(g.outputs()));
        Map<String, Integer> ops = new TreeMap<>();
        for (Node n : g.nodes()) {
            ops.merge(n.domain().isEmpty() ? n.opType() : n.domain() + "." + n.opType(), 1, Integer::sum);
        }
        doc.put("nodes", g.nodes().size());
        doc.put("operators", ops);
        long params = 0;
        for (Tensor t : g.initializers().values()) {
            params += t.size();
        }
        doc.put("initializers", g.initializers().size());
        doc.put("parameters", params);
        List<String> unsupported = Engine.unsupportedOperators(model, KernelRegistry.standard());
        doc.put("supported", unsupported.isEmpty());
        doc.put("unsupported", unsupported);
        return doc;
    }

    private static List<Map<String, String>> values(List<ValueInfo> vs) {
        return vs.stream().map(v -> Map.of("name", v.name(), "type", v.typeString())).toList();
    }

    @SuppressWarnings("unchecked")
    private void printText(Map<String, Object> doc) {
        out().println("model:        " + doc.get("model"));
        out().println("ir version:   " + doc.get("ir_version") + ", opsets " + doc.get("opsets")
                + (doc.get("producer").toString().isEmpty() ? "" : ", producer " + doc.get("producer")));
        for (Map<String, String> v : (List<Map<String, String>>) doc.get("inputs")) {
            out().println("input:        " + v.get("name") + " " + v.get("type"));
        }
        for (Map<String, String> v : (List<Map<String, String>>) doc.get("outputs")) {
            out().println("output:       " + v.get("name") + " " + v.get("type"));
        }
        out().println("nodes:        " + doc.get("nodes") + " " + doc.get("operators"));
        out().printf("parameters:   %,d in %d initializers%n", (Long) doc.get("parameters"), doc.get("initializers"));
        List<String> unsupported = (List<String>) doc.get("unsupported");
        out().println("supported:    " + (unsupported.isEmpty() ? "yes" : "no"));
        unsupported.forEach(u -> out().println("  " + u));
    }
}
