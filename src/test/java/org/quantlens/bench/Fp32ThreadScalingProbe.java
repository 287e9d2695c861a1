package org.quantlens.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.tensor.Tensor;

/**
 * A profiling aid for thread scaling, not a benchmark: untapped runs (the path that reuses output arrays and fuses)
 * of one of {@link Fp32EngineBenchmark}'s models on a one-thread and a two-thread engine, interleaved so machine load
 * hits both alike; per engine the minimum and median wall time over the last half of the runs, the 2-thread speed-up,
 * the garbage collections seen, the bytes one 2-thread run allocates on the calling thread, and the least CPU time of a
 * 1-thread run (what machine load disturbs least).
 * {@code java --add-modules jdk.incubator.vector -cp <test classpath> org.quantlens.bench.Fp32ThreadScalingProbe
 * [model] [runs]} (default mobilenetv2, 400 runs).
 */
public final class Fp32ThreadScalingProbe {
    private Fp32ThreadScalingProbe() {
    }

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "mobilenetv2";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        BenchModels bench = BenchModels.load(model);
        Map<String, Tensor> feeds = Map.of(bench.model().graph().inputNames().get(0), bench.input());
        Engine one = new Engine(bench.model(), KernelRegistry.standard(), ExecContext.withThreads(1));
        Engine two = new Engine(bench.model(), KernelRegistry.standard(), ExecContext.withThreads(2));
        long[] t1 = new long[runs];
        long[] t2 = new long[runs];
        long gcBefore = 0;
        java.lang.management.ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        long leastCpu1 = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            if (i == runs / 2) {
                gcBefore = collections();
            }
            long cpu = clock.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            one.run(feeds);
            long b = System.nanoTime();
            leastCpu1 = i >= runs / 2 ? Math.min(leastCpu1, clock.getCurrentThreadCpuTime() - cpu) : leastCpu1;
            two.run(feeds);
            long c = System.nanoTime();
            t1[i] = b - a;
            t2[i] = c - b;
        }
        long gcs = collections() - gcBefore;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes0 = threads.getCurrentThreadAllocatedBytes();
        two.run(feeds);
        long perRun = threads.getCurrentThreadAllocatedBytes() - bytes0;
        long[] s1 = Arrays.copyOfRange(t1, runs / 2, runs);
        long[] s2 = Arrays.copyOfRange(t2, runs / 2, runs);
        Arrays.sort(s1);
        Arrays.sort(s2);
        System.out.printf("%s: 1 thread min %.3f median %.3f ms; 2 threads min %.3f median %.3f ms; "
                        + "speed-up (medians) %.2fx; %d GCs in the last %d run pairs; "
                        + "%.1f kB allocated by the caller per run; 1 thread least CPU time %.3f ms%n",
                model, s1[0] / 1e6, s1[s1.length / 2] / 1e6, s2[0] / 1e6, s2[s2.length / 2] / 1e6,
                (double) s1[s1.length / 2] / s2[s2.length / 2], gcs, s1.length, perRun / 1e3,
                leastCpu1 / 1e6);
        System.exit(0);
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
