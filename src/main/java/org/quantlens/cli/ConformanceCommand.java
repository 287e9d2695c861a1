package org.quantlens.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.quantlens.conformance.ConformanceResult;
import org.quantlens.conformance.ConformanceRunner;
import org.quantlens.conformance.ModelExecutor;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.progress.CancellationToken;
import org.quantlens.runtime.QdqModelRunner;
import org.quantlens.runtime.RequantMode;
import org.quantlens.runtime.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quantlens conformance DIR [--json R.json] [--rtol 1e-4] [--atol 1e-5] [--engine auto|fp32|int8]}: runs ONNX
 * backend tests. {@code auto} (default) sends models with QLinearConv, QLinearMatMul, ConvInteger or MatMulInteger to
 * the INT8 runtime ({@link QdqModelRunner}, float requantization as the ONNX reference and ONNX Runtime) and
 * everything else to the FP32 engine; {@code fp32} and {@code int8} use one of them for every model. Exit 1 if any
 * test failed; unsupported is not a failure.
 */
@Command(name = "conformance", description = "Run ONNX backend conformance tests (a folder of test folders, or one).")
final class ConformanceCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Option(names = "--json", paramLabel = "R.json", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--rtol", defaultValue = "1e-4", description = "Relative tolerance (default ${DEFAULT-VALUE}).")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-5", description = "Absolute tolerance (default ${DEFAULT-VALUE}).")
    double atol;

    @Option(names = "--only", split = ",", paramLabel = "PREFIX",
            description = "Run only tests whose name starts with one of these prefixes.")
    List<String> only;

    /** Which engine runs each test. */
    enum EngineChoice { auto, fp32, int8 }

    @Option(names = "--engine", defaultValue = "auto", paramLabel = "E",
            description = "auto (INT8 runtime for models with QLinear*/ *Integer ops, FP32 engine otherwise), fp32 "
                    + "or int8 (default ${DEFAULT-VALUE}).")
    EngineChoice engine;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = one per processor).")
    int threads;

    @Override
    public Integer call() throws Exception {
        ExecContext ctx = threads > 0 ? ExecContext.withThreads(threads) : ExecContext.defaultContext();
        ConformanceRunner runner = new ConformanceRunner(rtol, atol, executor(ctx));
        List<ConformanceResult> results = runner.runAll(dir,
                name -> only == null || only.stream().anyMatch(name::startsWith),
                new ConsoleProgress("conformance"), CancellationToken.none());
        int passed = 0;
        int failed = 0;
        int unsupported = 0;
        for (ConformanceResult r : results) {
            out().printf("%-12s %s  %s%n", r.status(), r.name(), r.detail());
            switch (r.status()) {
                case ConformanceResult.PASS -> passed++;
                case ConformanceResult.FAIL -> failed++;
                default -> unsupported++;
            }
        }
        out().printf("%d passed, %d failed, %d unsupported%n", passed, failed, unsupported);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("tests", results.stream().map(r -> Map.of("name", r.name(), "status", r.status(),
                    "detail", r.detail())).toList());
            doc.put("passed", passed);
            doc.put("failed", failed);
            doc.put("unsupported", unsupported);
            Json.write(doc, json);
        }
        return failed > 0 ? QuantLensCommand.JOB_FAILED : QuantLensCommand.OK;
    }

    private ModelExecutor executor(ExecContext ctx) {
        ModelExecutor fp32 = ModelExecutor.fp32(KernelRegistry.standard(), ctx);
        RuntimeOptions opts = RuntimeOptions.defaults().withRequantMode(RequantMode.FLOAT);
        ModelExecutor int8 = model -> QdqModelRunner.load(model, opts, ctx)::run;
        return switch (engine) {
            case fp32 -> fp32;
            case int8 -> int8;
            case auto -> ModelExecutor.choosing(QdqModelRunner::hasIntegerOnlyOps, int8, fp32);
        };
    }
}
