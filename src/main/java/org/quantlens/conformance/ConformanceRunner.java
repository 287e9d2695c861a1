package org.quantlens.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.UnsupportedOperatorException;
import org.quantlens.ir.Model;
import org.quantlens.ir.ValueInfo;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;

/**
 * Runs ONNX backend conformance tests: each test is a folder with {@code model.onnx} and
 * {@code test_data_set_*}/{@code input_<i>.pb}, {@code output_<j>.pb}. Input i feeds the model's i-th graph input
 * (initializers excluded), output j is compared with the i-th graph output by {@link TensorComparison}.
 * A model the executor cannot load for an unsupported operator is "unsupported"; anything else going wrong is a
 * "fail" with the reason, never an exception out of {@link #run}. The executor is the FP32 engine unless another
 * {@link ModelExecutor} is given (e.g. one that sends quantized models to the INT8 runtime).
 */
public final class ConformanceRunner {
    private final double rtol;
    private final double atol;
    private final ModelExecutor executor;

    /** Runs every model through the FP32 engine with {@code registry}'s kernels. */
    public ConformanceRunner(double rtol, double atol, KernelRegistry registry, ExecContext ctx) {
        this(rtol, atol, ModelExecutor.fp32(registry, ctx));
    }

    /** Runs every model through {@code executor}. */
    public ConformanceRunner(double rtol, double atol, ModelExecutor executor) {
        this.rtol = rtol;
        this.atol = atol;
        this.executor = executor;
    }

    /**
     * The test folders under {@code dir}: {@code dir} itself when it holds a model.onnx, else its immediate
     * sub-folders that do, sorted by name.
     */
    public static List<Path> findTests(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir + ": not a folder");
        }
        if (Files.isRegularFile(dir.resolve("model.onnx"))) {
            return List.of(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx")))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new InvalidInputException(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    /** Runs every test under {@code dir} whose folder name passes {@code filter}. */
    public List<ConformanceResult> runAll(Path dir, Predicate<String> filter, ProgressMonitor progress,
                                          CancellationToken token) {
        List<Path> tests = findTests(dir).stream().filter(p -> filter.test(p.getFileName().toString())).toList();
        List<ConformanceResult> results = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            token.throwIfCancelled();
            ConformanceResult r = run(tests.get(i));
            results.add(r);
            progress.progress(i + 1, tests.size(), r.name() + " " + r.status());
        }
        return results;
    }

    /** Runs one test folder. */
    public ConformanceResult run(Path testDir) {
        String name = testDir.getFileName().toString();
        ModelExecutor.LoadedModel engine;
        Model model;
        try {
            model = OnnxReader.read(testDir.resolve("model.onnx"));
            engine = executor.load(model);
        } catch (UnsupportedOperatorException e) {
            return new ConformanceResult(name, ConformanceResult.UNSUPPORTED, e.getMessage());
        } catch (InvalidInputException e) {
            return new ConformanceResult(name, ConformanceResult.FAIL, "load: " + e.getMessage());
        } catch (RuntimeException e) {
            return new ConformanceResult(name, ConformanceResult.FAIL, "load crashed: " + e);
        }
        List<Path> sets = dataSets(testDir);
        if (sets.isEmpty()) {
            return new ConformanceResult(name, ConformanceResult.FAIL, "no test_data_set_* folder");
        }
        double worstAbs = 0;
        double worstRel = 0;
        for (Path set : sets) {
            try {
                SetOutcome o = runDataSet(engine, model, set);
                if (o.problem() != null) {
                    return new ConformanceResult(name, ConformanceResult.FAIL, set.getFileName() + ": " + o.problem());
                }
                worstAbs = Math.max(worstAbs, o.maxAbs());
                worstRel = Math.max(worstRel, o.maxRel());
            } catch (InvalidInputException e) {
                return new ConformanceResult(name, ConformanceResult.FAIL, set.getFileName() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                return new ConformanceResult(name, ConformanceResult.FAIL, set.getFileName() + ": crashed: " + e);
            }
        }
        return new ConformanceResult(name, ConformanceResult.PASS,
                String.format(java.util.Locale.ROOT, "max abs %.3g, max rel %.3g", worstAbs, worstRel));
    }

    /** One data set's result: the first problem (null when all outputs match) and the worst errors seen. */
    private record SetOutcome(String problem, double maxAbs, double maxRel) {
    }

    private SetOutcome runDataSet(ModelExecutor.LoadedModel engine, Model model, Path set) {
        List<ValueInfo> inputs = model.graph().inputs();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            Path p = set.resolve("input_" + i + ".pb");
            if (!Files.exists(p)) {
                break;
            }
            if (i >= inputs.size()) {
                return new SetOutcome("more input files than graph inputs (" + inputs.size() + ")", 0, 0);
            }
            feeds.put(inputs.get(i).name(), TensorProtoFormat.readFile(p).tensor());
        }
        Map<String, Tensor> outs = engine.run(feeds);
        List<String> outNames = model.graph().outputNames();
        double maxAbs = 0;
        double maxRel = 0;
        for (int j = 0; ; j++) {
            Path p = set.resolve("output_" + j + ".pb");
            if (!Files.exists(p)) {
                break;
            }
            if (j >= outNames.size()) {
                return new SetOutcome("more output files than graph outputs (" + outNames.size() + ")", 0, 0);
            }
            Tensor expected = TensorProtoFormat.readFile(p).tensor();
            TensorComparison c = TensorComparison.compare(outs.get(outNames.get(j)), expected, rtol, atol);
            if (c.problem() != null) {
                return new SetOutcome("output '" + outNames.get(j) + "': " + c.problem(), maxAbs, maxRel);
            }
            maxAbs = Math.max(maxAbs, c.maxAbs());
            maxRel = Math.max(maxRel, c.maxRel());
            if (!c.matches()) {
                return new SetOutcome(String.format(java.util.Locale.ROOT,
                        "output '%s' differs: max abs %.4g, max rel %.4g", outNames.get(j), c.maxAbs(), c.maxRel()),
                        maxAbs, maxRel);
            }
        }
        return new SetOutcome(null, maxAbs, maxRel);
    }

    private static List<Path> dataSets(Path testDir) {
        try (Stream<Path> s = Files.list(testDir)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
