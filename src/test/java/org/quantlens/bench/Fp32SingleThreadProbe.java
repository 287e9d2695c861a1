package org.quantlens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A companion to {@link Fp32EngineBenchmark}, not a replacement: the same models and inputs, one thread on each
 * side (ONNX Runtime with one intra-op thread computes on the calling thread), runs interleaved, and per side the
 * least CPU time of the calling thread over the last two thirds of the runs. CPU time of one thread is what other
 * processes disturb least, so the ratio shows the kernels' efficiency apart from thread scaling and load.
 * {@code java --add-modules jdk.incubator.vector -Dquantlens.vectorWarmUp=off -cp <test classpath>
 * org.quantlens.bench.Fp32SingleThreadProbe [models, comma-separated] [runs]} (default all three models, 300 runs).
 * The property makes every run use the vector kernels: without it the first ~0.1 s of each kernel's work runs on
 * its plain fresh-JVM twin (see {@code VectorWarmUp}), which 300 runs of a small model never get past.
 */
public final class Fp32SingleThreadProbe {
    private Fp32SingleThreadProbe() {
    }

    public static void main(String[] args) throws Exception {
        String models = args.length > 0 ? args[0] : "digits_mlp,digits_lenet,mobilenetv2";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        for (String model : models.split(",")) {
            Fp32EngineBenchmark b = new Fp32EngineBenchmark();
            b.model = model;
            b.threads = 1;
            b.setUp();
            long ours = Long.MAX_VALUE;
            long ort = Long.MAX_VALUE;
            for (int i = 0; i < runs; i++) {
                long t0 = clock.getCurrentThreadCpuTime();
                b.quantlens();
                long t1 = clock.getCurrentThreadCpuTime();
                b.onnxruntime();
                long t2 = clock.getCurrentThreadCpuTime();
                if (i >= runs / 3) { // the first third warms both up
                    ours = Math.min(ours, t1 - t0);
                    ort = Math.min(ort, t2 - t1);
                }
            }
            b.tearDown();
            System.out.printf("%-13s 1 thread, least CPU time: QuantLens %.3f ms, ONNX Runtime %.3f ms, ratio %.2f%n",
                    model, ours / 1e6, ort / 1e6, (double) ours / ort);
        }
        System.exit(0);
    }
}
