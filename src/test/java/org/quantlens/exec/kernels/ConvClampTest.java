package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Conv with a fused clamp must give exactly the bits of Conv followed by the engine's Clip. */
class ConvClampTest {
    private static Tensor random(Random rnd, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numElements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rnd.nextFloat() * 2 - 1) * 4;
        }
        return Tensor.ofFloats(s, v);
    }

    private static void assertFusedEqualsConvThenClip(Tensor x, Tensor w, Tensor b, int k, int stride, int group,
                                                      float lo, float hi) {
        int pad = k / 2;
        Attribute[] attrs = {Attribute.ofInts("kernel_shape", k, k), Attribute.ofInts("strides", stride, stride),
            Attribute.ofInts("pads", pad, pad, pad, pad), Attribute.ofInt("group", group)};
        Node node = Kernels.node("Conv", 3, attrs);
        ExecContext ctx = ExecContext.withThreads(2);
        Tensor fused = ConvKernel.createWithClamp(node, 13, lo, hi).compute(new Tensor[] {x, w, b}, ctx)[0];
        Tensor conv = Kernels.run("Conv", 13, ctx, new Tensor[] {x, w, b}, attrs);
        Tensor clipped = Kernels.run("Clip", 13, new Tensor[] {conv, Tensor.scalar(lo), Tensor.scalar(hi)});
        assertArrayEquals(clipped.floats(), fused.floats(), "k" + k + " s" + stride + " group " + group);
    }

    @Test
    void fusedRelu6EqualsConvThenClipOnEveryConvPath() {
        Random rnd = new Random(9);
        // Depthwise 3x3 stride 1 and 2, pointwise, kxk im2col tiles, several images per tile (LeNet-like).
        assertFusedEqualsConvThenClip(random(rnd, 1, 8, 20, 20), random(rnd, 8, 1, 3, 3), random(rnd, 8), 3, 1, 8,
                0f, 6f);
        assertFusedEqualsConvThenClip(random(rnd, 1, 8, 20, 20), random(rnd, 8, 1, 3, 3), random(rnd, 8), 3, 2, 8,
                0f, 6f);
        assertFusedEqualsConvThenClip(random(rnd, 1, 16, 17, 17), random(rnd, 24, 16, 1, 1), random(rnd, 24), 1, 1,
                1, 0f, 6f);
        assertFusedEqualsConvThenClip(random(rnd, 1, 3, 31, 31), random(rnd, 16, 3, 3, 3), random(rnd, 16), 3, 2, 1,
                0f, 6f);
        assertFusedEqualsConvThenClip(random(rnd, 9, 4, 8, 8), random(rnd, 10, 4, 3, 3), random(rnd, 10), 3, 1, 1,
                0f, Float.POSITIVE_INFINITY);
    }

    @Test
    void clampBoundsEveryOutputAndPropagatesNaN() {
        ConvClamp relu6 = new ConvClamp(0f, 6f);
        float[] v = {-1f, 3f, 7f, Float.NaN};
        relu6.apply(v, 0, 4);
        assertArrayEquals(new float[] {0f, 3f, 6f, Float.NaN}, v);
        float[] same = {-0f, Float.NaN};
        ConvClamp.NONE.apply(same, 0, 2);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(same[0]));
    }

    @Test
    void vectorPathEqualsTheScalarFormulaIncludingSignedZerosInfinitiesAndNaN() {
        float[] specials = {-0f, 0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 6f, -1e-30f};
        java.util.Random rnd = new java.util.Random(3);
        float[] x = new float[1003];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(4) == 0 ? specials[rnd.nextInt(specials.length)] : (float) rnd.nextGaussian() * 5;
        }
        for (ConvClamp c : new ConvClamp[] {new ConvClamp(0f, Float.POSITIVE_INFINITY), new ConvClamp(0f, 6f),
            new ConvClamp(-0f, 0f), new ConvClamp(-1f, Float.MAX_VALUE)}) {
            float[] v = null;
            for (int rep = 0; rep < 2000; rep++) { // long enough for the JIT to compile the vector loop
                v = x.clone();
                c.apply(v, 1, x.length - 2);
            }
            for (int i = 0; i < x.length; i++) {
                float expected = i == 0 || i == x.length - 1 ? x[i] : Math.min(c.max(), Math.max(x[i], c.min()));
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(v[i]), c + " at " + i);
            }
        }
    }
}
