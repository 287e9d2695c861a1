package org.quantlens.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.exec.ClampFusionFactory;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.InPlaceKernel;
import org.quantlens.exec.KernelFactory;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Tensor;

/**
 * A profiling aid like {@link NodeTimingProfile}, but for the path benchmarks measure: runs without a tap (fusion,
 * in-place results and output reuse on), timing each kernel call by wrapping the standard registry's kernels. Per
 * operator kind it prints the sum over nodes of each node's least time for 1 and 2 threads and the ratio, and the
 * part of a run spent outside kernels (the engine's own bookkeeping). {@code java --add-modules jdk.incubator.vector
 * -cp <test classpath> org.quantlens.bench.UntappedNodeProfile [model] [runs]}; {@code
 * -Dquantlens.profile.perNode=true} also prints each node's least times.
 */
public final class UntappedNodeProfile {
    private UntappedNodeProfile() {
    }

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "mobilenetv2";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        BenchModels bench = BenchModels.load(model);
        Model m = bench.model();
        Map<String, Tensor> feeds = Map.of(m.graph().inputNames().get(0), bench.input());
        Map<String, long[]> one = new LinkedHashMap<>();
        Map<String, long[]> two = new LinkedHashMap<>();
        Engine e1 = new Engine(m, timed(one), ExecContext.withThreads(1));
        Engine e2 = new Engine(m, timed(two), ExecContext.withThreads(2));
        long best1 = Long.MAX_VALUE;
        long best2 = Long.MAX_VALUE;
        long outside1 = Long.MAX_VALUE;
        long outside2 = Long.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            inKernels = 0;
            long a = System.nanoTime();
            e1.run(feeds);
            long b = System.nanoTime();
            long kernels1 = inKernels;
            inKernels = 0;
            e2.run(feeds);
            long c = System.nanoTime();
            if (run > runs / 2) {
                outside1 = Math.min(outside1, b - a - kernels1);
                outside2 = Math.min(outside2, c - b - inKernels);
            }
            if (run == runs / 2) {
                one.values().forEach(t -> t[0] = Long.MAX_VALUE);
                two.values().forEach(t -> t[0] = Long.MAX_VALUE);
            }
            best1 = run > runs / 2 ? Math.min(best1, b - a) : best1;
            best2 = run > runs / 2 ? Math.min(best2, c - b) : best2;
        }
        Map<String, double[]> perKind = new LinkedHashMap<>();
        for (String key : one.keySet()) {
            if (one.get(key)[0] == Long.MAX_VALUE) {
                continue; // a kernel the run never called (the plain kernel of a fused Conv, an absorbed Clip)
            }
            if (Boolean.getBoolean("quantlens.profile.perNode")) {
                System.out.printf("  node %-40s 1 thread %7.3f ms  2 threads %7.3f ms%n", key, one.get(key)[0] / 1e6,
                        two.get(key)[0] / 1e6);
            }
            String kind = key.substring(key.indexOf(' ') + 1);
            double[] t = perKind.computeIfAbsent(kind, k -> new double[2]);
            t[0] += one.get(key)[0] / 1e6;
            t[1] += two.get(key)[0] / 1e6;
        }
        double sum1 = 0;
        double sum2 = 0;
        for (var entry : perKind.entrySet()) {
            double[] t = entry.getValue();
            sum1 += t[0];
            sum2 += t[1];
            System.out.printf("%-34s 1 thread %7.3f ms  2 threads %7.3f ms  speed-up %.2fx%n", entry.getKey(), t[0],
                    t[1], t[0] / t[1]);
        }
        System.out.printf("kernels (sum of least times)      1 thread %7.3f ms  2 threads %7.3f ms  speed-up %.2fx%n",
                sum1, sum2, sum1 / sum2);
        System.out.printf("least whole run                   1 thread %7.3f ms  2 threads %7.3f ms  speed-up %.2fx%n",
                best1 / 1e6, best2 / 1e6, (double) best1 / best2);
        System.out.printf("least time outside kernels in a run  1 thread %7.3f ms  2 threads %7.3f ms%n",
                outside1 / 1e6, outside2 / 1e6);
        System.exit(0);
    }

    /** The standard registry with every kernel (plain, in place, fused) timed into {@code times} by node. */
    private static KernelRegistry timed(Map<String, long[]> times) {
        KernelRegistry standard = KernelRegistry.standard();
        KernelRegistry out = new KernelRegistry();
        for (String op : standard.operators()) {
            KernelFactory f = standard.find(op);
            out.register(op, (node, opset) -> wrap(f.create(node, opset), slot(times, node, op)));
            ClampFusionFactory fused = standard.findClampFusion(op);
            if (fused != null) {
                out.registerClampFusion(op, (node, opset, min, max) ->
                        wrap(fused.create(node, opset, min, max), slot(times, node, op + "+clamp")));
            }
        }
        return out;
    }

    private static long[] slot(Map<String, long[]> times, Node node, String kind) {
        String shape = "";
        if (node.opType().equals("Conv")) {
            long[] k = node.attrInts("kernel_shape", new long[0]);
            shape = node.attrInt("group", 1) > 1 ? " dw" : k.length > 0 && k[0] == 1 ? " 1x1" : " kxk";
        }
        return times.computeIfAbsent(node.displayName() + " " + kind + shape, k -> new long[] {Long.MAX_VALUE});
    }

    /** Nanoseconds spent inside kernels by the run in progress (runs are sequential). */
    private static long inKernels;

    private static void record(long[] least, long t0) {
        long dt = System.nanoTime() - t0;
        least[0] = Math.min(least[0], dt);
        inKernels += dt;
    }

    private static OpKernel wrap(OpKernel k, long[] least) {
        if (k instanceof InPlaceKernel ip) {
            return new InPlaceKernel() {
                @Override
                public Tensor[] computeInPlace(Tensor[] inputs, boolean[] writable, org.quantlens.exec.ExecContext ctx) {
                    long t0 = System.nanoTime();
                    Tensor[] r = ip.computeInPlace(inputs, writable, ctx);
                    record(least, t0);
                    return r;
                }

                @Override
                public Tensor[] compute(Tensor[] inputs, org.quantlens.exec.ExecContext ctx) {
                    long t0 = System.nanoTime();
                    Tensor[] r = ip.compute(inputs, ctx);
                    record(least, t0);
                    return r;
                }
            };
        }
        return (inputs, ctx) -> {
            long t0 = System.nanoTime();
            Tensor[] r = k.compute(inputs, ctx);
            record(least, t0);
            return r;
        };
    }
}
