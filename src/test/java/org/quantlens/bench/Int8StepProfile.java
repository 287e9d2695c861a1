package org.quantlens.bench;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.ValueInfo;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.Int8Engine;
import org.quantlens.runtime.QuantizedModel;
import org.quantlens.runtime.QuantizedStep;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.tensor.Tensor;

/**
 * A development aid, not a benchmark of record: per-step wall time of the fast INT8 engine on the
 * {@link Int8RuntimeBenchmark} models (steps on one thread, CPU time; whole engines as set up there), summed by
 * operator, so one sees where the time goes.
 * {@code java ... org.quantlens.bench.Int8StepProfile [digits_lenet|mobilenetv2] [iterations]}.
 */
public final class Int8StepProfile {
    private Int8StepProfile() {
    }

    public static void main(String[] args) throws Exception {
        Int8RuntimeBenchmark b = new Int8RuntimeBenchmark();
        b.model = args.length > 0 ? args[0] : "mobilenetv2";
        b.threads = 2;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        b.setUp();
        Int8Engine engine = (Int8Engine) field(b, "int8Fast");
        Engine fp32 = (Engine) field(b, "fp32");
        @SuppressWarnings("unchecked")
        Map<String, Tensor> feeds = (Map<String, Tensor>) field(b, "feeds");
        QuantizedModel qm = engine.model();
        // one thread and CPU time, so that other processes on the machine disturb the numbers less
        ExecContext ctx = ExecContext.singleThreaded();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        List<QuantizedStep> steps = qm.steps();
        long[] nanos = new long[steps.size()];
        long fp32Nanos = 0;
        long engineNanos = 0;
        for (int it = 0; it < iterations; it++) {
            boolean measure = it >= iterations / 2;
            Map<String, Tensor> env = new HashMap<>(qm.model().graph().initializers());
            for (ValueInfo in : qm.model().graph().inputs()) {
                QuantParams p = qm.paramsOf(in.name());
                env.put(in.name(), QuantTensors.quantize(feeds.get(in.name()), p));
            }
            for (int i = 0; i < steps.size(); i++) {
                QuantizedStep s = steps.get(i);
                Tensor[] ins = new Tensor[s.inputs().size()];
                for (int j = 0; j < ins.length; j++) {
                    ins[j] = s.inputs().get(j).isEmpty() ? null : env.get(s.inputs().get(j));
                }
                long t0 = cpu.getCurrentThreadCpuTime();
                Tensor[] outs = s.kernel().compute(ins, ctx);
                if (measure) {
                    nanos[i] += cpu.getCurrentThreadCpuTime() - t0;
                }
                env.put(s.outputs().get(0), outs[0]);
                if (it == 0 && args.length > 2) {
                    System.out.println(s.name() + " " + s.op() + " in " + ins[0].shape() + " " + ins[0].dtype()
                            + " out " + outs[0].shape());
                }
            }
            long t0 = System.nanoTime();
            engine.run(feeds);
            long t1 = System.nanoTime();
            fp32.run(feeds);
            long t2 = System.nanoTime();
            if (measure) {
                engineNanos += t1 - t0;
                fp32Nanos += t2 - t1;
            }
        }
        int n = iterations - iterations / 2;
        Map<String, double[]> byOp = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < steps.size(); i++) {
            double ms = nanos[i] / 1e6 / n;
            total += ms;
            String key = steps.get(i).op() + (args.length > 2 ? " " + steps.get(i).name() : "");
            double[] acc = byOp.computeIfAbsent(key, k -> new double[2]);
            acc[0] += ms;
            acc[1]++;
        }
        byOp.forEach((op, v) -> System.out.printf("%-30s %3d steps %8.3f ms%n", op, (int) v[1], v[0]));
        System.out.printf("steps total %.3f ms, engine %.3f ms, fp32 %.3f ms%n", total, engineNanos / 1e6 / n,
                fp32Nanos / 1e6 / n);
        System.exit(0);
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }
}
