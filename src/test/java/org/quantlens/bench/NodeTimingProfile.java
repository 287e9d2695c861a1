package org.quantlens.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Tensor;

/**
 * A profiling aid, not a benchmark: runs the FP32 engine on one of {@link Fp32EngineBenchmark}'s models and prints
 * where the time goes per node, using the activation tap as a clock (the time between two taps is the time of the
 * node that produced the second tensor, plus the engine's bookkeeping); per node the minimum over the runs, which
 * shows machine load least. Also prints the spread of whole runs, to
 * tell steady slowness from outliers (GC, thread hand-off).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp ... org.quantlens.bench.NodeTimingProfile mobilenetv2 2 200}.
 */
public final class NodeTimingProfile {
    private NodeTimingProfile() {
    }

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "mobilenetv2";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        BenchModels bench = BenchModels.load(model);
        Model m = bench.model();
        Tensor input = bench.input();
        Engine engine = new Engine(m, KernelRegistry.standard(), ExecContext.withThreads(threads));
        Map<String, Tensor> feeds = Map.of(m.graph().inputNames().get(0), input);
        Map<String, String> producer = new LinkedHashMap<>();
        for (Node n : engine.executionOrder()) {
            for (String o : n.outputs()) {
                producer.put(o, n.opType() + " " + describe(n));
            }
        }
        Map<String, long[]> perNode = new LinkedHashMap<>();
        Map<String, String> shapes = new LinkedHashMap<>();
        long[] last = new long[1];
        List<Long> totals = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            boolean record = run >= runs / 2;
            long t0 = System.nanoTime();
            last[0] = t0;
            engine.run(feeds, (name, value) -> {
                long now = System.nanoTime();
                if (record && producer.containsKey(name)) {
                    long[] t = perNode.computeIfAbsent(name, k -> new long[] {0, Long.MAX_VALUE});
                    t[0] += now - last[0];
                    t[1] = Math.min(t[1], now - last[0]);
                    shapes.putIfAbsent(name, value.shape().toString());
                }
                last[0] = now;
            }, org.quantlens.progress.CancellationToken.none());
            if (record) {
                totals.add(System.nanoTime() - t0);
            }
        }
        int recorded = totals.size();
        Map<String, Double> perOp = new LinkedHashMap<>();
        for (var e : perNode.entrySet()) {
            // The minimum over runs: on a loaded machine the mean mostly measures the other processes.
            double ms = e.getValue()[1] / 1e6;
            String desc = producer.get(e.getKey());
            System.out.printf("%8.3f ms  %-40s %s%n", ms, desc, shapes.get(e.getKey()));
            String op = desc.split(" ")[0] + (desc.contains("group=1 ") ? "" : desc.contains("k=3") ? "(dw)" : "");
            if (desc.startsWith("Conv")) {
                op = "Conv " + (desc.contains("k=1x1") ? "1x1" : desc.contains("group=1 ") ? "kxk" : "dw");
            }
            perOp.merge(op, ms, Double::sum);
        }
        perOp.forEach((k, v) -> System.out.printf("TOTAL %-12s %8.3f ms%n", k, v));
        totals.sort(Long::compare);
        System.out.printf("run ms: min %.3f  median %.3f  p90 %.3f  max %.3f%n", totals.get(0) / 1e6,
                totals.get(recorded / 2) / 1e6, totals.get(recorded * 9 / 10) / 1e6, totals.get(recorded - 1) / 1e6);
    }

    private static String describe(Node n) {
        if (!n.opType().equals("Conv")) {
            return "";
        }
        long[] k = n.attrInts("kernel_shape", new long[0]);
        long[] s = n.attrInts("strides", new long[0]);
        return "k=" + (k.length == 2 ? k[0] + "x" + k[1] : "?") + " s=" + (s.length > 0 ? s[0] : 1)
                + " group=" + n.attrInt("group", 1) + " ";
    }
}
