package org.quantlens.exec.kernels;

import java.util.SplittableRandom;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * A profiling aid, not a test or a benchmark: times {@link ConvKernel} alone on typical MobileNetV2 and LeNet layer
 * shapes (best of many calls, so machine load shows less) and prints the multiply-add rate. Run its main with
 * {@code --add-modules jdk.incubator.vector}; arguments: threads (default 1), then an optional
 * filter on the printed layer description.
 */
final class ConvLayerProfile {
    private ConvLayerProfile() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        ExecContext ctx = ExecContext.withThreads(threads);
        // batch, cin, h, w, cout, k, stride, group
        int[][] layers = {
            {1, 3, 224, 224, 32, 3, 2, 1}, {1, 32, 112, 112, 32, 3, 1, 32}, {1, 16, 112, 112, 96, 1, 1, 1},
            {1, 96, 112, 112, 96, 3, 2, 96}, {1, 96, 56, 56, 24, 1, 1, 1}, {1, 144, 56, 56, 144, 3, 1, 144},
            {1, 384, 14, 14, 384, 3, 1, 384}, {1, 64, 14, 14, 384, 1, 1, 1}, {1, 960, 7, 7, 960, 3, 1, 960},
            {1, 960, 7, 7, 160, 1, 1, 1}, {1, 320, 7, 7, 1280, 1, 1, 1},
            {1, 144, 56, 56, 144, 3, 2, 144}, {1, 192, 28, 28, 192, 3, 2, 192}, {1, 576, 14, 14, 576, 3, 2, 576},
            {1, 24, 56, 56, 144, 1, 1, 1}, {1, 144, 56, 56, 24, 1, 1, 1}, {1, 32, 112, 112, 16, 1, 1, 1},
            {1, 576, 14, 14, 96, 1, 1, 1}, {1, 160, 7, 7, 960, 1, 1, 1},
            {64, 1, 28, 28, 8, 5, 1, 1}, {64, 8, 14, 14, 16, 5, 1, 1}, {64, 1, 16, 16, 16, 3, 1, 1},
            {64, 16, 8, 8, 32, 3, 1, 1}};
        // Optional second argument: only layers whose description contains it, e.g. "3, 2," for stride-2 3x3.
        String filter = args.length > 1 ? args[1] : "";
        for (int[] l : layers) {
            if (java.util.Arrays.toString(l).contains(filter)) {
                profile(l, ctx);
            }
        }
    }

    private static void profile(int[] l, ExecContext ctx) {
        int pad = l[5] / 2;
        Node node = Kernels.node("Conv", 3, Attribute.ofInts("kernel_shape", l[5], l[5]),
                Attribute.ofInts("strides", l[6], l[6]), Attribute.ofInts("pads", pad, pad, pad, pad),
                Attribute.ofInt("group", l[7]));
        // -Dquantlens.profile.relu6=true: with a fused Relu6, as MobileNetV2's expand and depthwise layers run.
        var kernel = Boolean.getBoolean("quantlens.profile.relu6") ? ConvKernel.createWithClamp(node, 13, 0f, 6f)
                : ConvKernel.create(node, 13);
        Tensor x = random(Shape.of(l[0], l[1], l[2], l[3]));
        Tensor w = random(Shape.of(l[4], l[1] / l[7], l[5], l[5]));
        Tensor b = random(Shape.of(l[4]));
        Tensor[] in = {x, w, b};
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 1_500_000_000L;
        Tensor y = null;
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            y = kernel.compute(in, ctx)[0];
            best = Math.min(best, System.nanoTime() - t0);
        }
        double macs = (double) y.size() * (l[1] / l[7]) * l[5] * l[5];
        System.out.printf("%-40s %-16s %8.3f ms %7.2f GMAC/s%n", java.util.Arrays.toString(l), y.shape(), best / 1e6,
                macs / best);
    }

    private static Tensor random(Shape s) {
        SplittableRandom r = new SplittableRandom(s.numElements());
        float[] v = new float[s.numElements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return Tensor.ofFloats(s, v);
    }
}
