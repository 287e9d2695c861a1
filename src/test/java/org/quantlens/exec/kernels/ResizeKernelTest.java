package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quantlens.exec.kernels.ShapeKernelHarness.in;
import static org.quantlens.exec.kernels.ShapeKernelHarness.run;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Expected values are computed by hand from the formulas in the ONNX Resize spec (shown in the comments). */
class ResizeKernelTest {
    private static final Tensor TWO_BY_TWO = Tensor.ofFloats(Shape.of(1, 1, 2, 2), 1, 2, 3, 4);

    private static Tensor scales(float... s) {
        return Tensor.ofFloats(Shape.of(s.length), s);
    }

    private static Tensor sizes(long... s) {
        return Tensor.ofLongs(Shape.of(s.length), s);
    }

    private static Attribute linear() {
        return Attribute.ofString("mode", "linear");
    }

    private static Attribute coords(String mode) {
        return Attribute.ofString("coordinate_transformation_mode", mode);
    }

    @Test
    void linearHalfPixelUpsampleClampsAtTheBorder() {
        // x_ori = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, then 0.25, 0.75, then clamped 1.
        Tensor out = run("Resize", 19, in(TWO_BY_TWO, null, scales(1, 1, 2, 2)), linear());
        assertEquals(Shape.of(1, 1, 4, 4), out.shape());
        assertArrayEquals(new float[] {
            1, 1.25f, 1.75f, 2,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3, 3.25f, 3.75f, 4}, out.floats(), 1e-6f);
    }

    @Test
    void alignCornersWithScalesUsesTheUnroundedOutputLength() {
        // W: 4 * 0.6 = 2.4 -> 2 outputs; x_ori(1) = 1 * 3 / (2.4 - 1) = 2.142857 -> 3 + 0.142857 * (4 - 3).
        // H: 2 * 0.6 = 1.2 -> 1 output at x_ori 0.
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 2, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor out = run("Resize", 19, in(x, null, scales(1, 1, 0.6f, 0.6f)), linear(), coords("align_corners"));
        assertEquals(Shape.of(1, 1, 1, 2), out.shape());
        assertArrayEquals(new float[] {1, 3.142857f}, out.floats(), 1e-5f);
    }

    @Test
    void halfPixelSymmetricCentresTheRoundedCanvas() {
        // in 4, scale 0.6: offset = 2 * (1 - 2 / 2.4) = 1/3; x_ori = 1/3 + (x + 0.5) / 0.6 - 0.5 = 2/3, 7/3.
        Tensor x = Tensor.ofFloats(Shape.of(4), 1, 2, 3, 4);
        Tensor out = run("Resize", 19, in(x, null, scales(0.6f)), linear(), coords("half_pixel_symmetric"));
        assertArrayEquals(new float[] {5f / 3, 10f / 3}, out.floats(), 1e-5f);
    }

    @Test
    void pytorchHalfPixelSamplesTheFirstElementForLengthOne() {
        Tensor x = Tensor.ofFloats(Shape.of(3), 5, 7, 9);
        assertArrayEquals(new float[] {5},
                run("Resize", 19, in(x, null, null, sizes(1)), linear(), coords("pytorch_half_pixel")).floats());
        // half_pixel puts that single output at (0.5) * 3 - 0.5 = 1.
        assertArrayEquals(new float[] {7}, run("Resize", 19, in(x, null, null, sizes(1)), linear()).floats());
    }

    @Test
    void tfCropAndResizeExtrapolatesOutsideTheInput() {
        // roi [0.5, 1.5] of 4 elements: x_ori = x * (1.0 * 3) / 2 + 0.5 * 3 = 1.5, 3, 4.5 (outside -> 10).
        Tensor x = Tensor.ofFloats(Shape.of(4), 0, 10, 20, 30);
        Tensor roi = Tensor.ofFloats(Shape.of(2), 0.5f, 1.5f);
        Tensor out = run("Resize", 19, in(x, roi, null, sizes(3)), linear(), coords("tf_crop_and_resize"),
                Attribute.ofFloat("extrapolation_value", 10f));
        assertArrayEquals(new float[] {15, 30, 10}, out.floats(), 1e-6f);
    }

    @Test
    void nearestModesRoundHalfwayCoordinatesTheirOwnWay() {
        // asymmetric, scale 2: x_ori = 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5 (the last ceil clamps to index 3).
        Tensor x = Tensor.ofLongs(Shape.of(4), 10, 20, 30, 40);
        long[] down = {10, 10, 20, 20, 30, 30, 40, 40};
        long[] up = {10, 20, 20, 30, 30, 40, 40, 40};
        assertArrayEquals(down, nearest(x, "round_prefer_floor"));
        assertArrayEquals(down, nearest(x, "floor"));
        assertArrayEquals(up, nearest(x, "round_prefer_ceil"));
        assertArrayEquals(up, nearest(x, "ceil"));
    }

    private static long[] nearest(Tensor x, String mode) {
        return run("Resize", 19, in(x, null, scales(2)), coords("asymmetric"),
                Attribute.ofString("nearest_mode", mode)).longs();
    }

    @Test
    void keepAspectRatioPoliciesPickOneScale() {
        // sizes [1,3] for a 2x4 input: scales 0.5 and 0.75; not_larger uses 0.5 -> [1,2], not_smaller 0.75 -> [2,3].
        Tensor x = Tensor.ofFloats(Shape.of(1, 1, 2, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        Attribute axes = Attribute.ofInts("axes", 2, 3);
        Tensor smaller = run("Resize", 19, in(x, null, null, sizes(1, 3)), axes,
                Attribute.ofString("keep_aspect_ratio_policy", "not_larger"));
        assertEquals(Shape.of(1, 1, 1, 2), smaller.shape());
        // scale 0.5, half_pixel: x_ori = 0.5 (prefers floor -> 0) and 2.5 (-> 2).
        assertArrayEquals(new float[] {1, 3}, smaller.floats());
        Tensor larger = run("Resize", 19, in(x, null, null, sizes(1, 3)), axes,
                Attribute.ofString("keep_aspect_ratio_policy", "not_smaller"));
        assertEquals(Shape.of(1, 1, 2, 3), larger.shape());
    }

    @Test
    void axesAttributeMapsScalesInAnyOrder() {
        Tensor a = run("Resize", 19, in(TWO_BY_TWO, null, scales(2, 3)), Attribute.ofInts("axes", 2, 3));
        Tensor b = run("Resize", 19, in(TWO_BY_TWO, null, scales(3, 2)), Attribute.ofInts("axes", 3, 2));
        assertEquals(Shape.of(1, 1, 4, 6), a.shape());
        assertTrue(a.contentEquals(b));
    }

    @Test
    void antialiasWidensTheTriangleFilterWhenDownsampling() {
        // scale 0.5: taps p = base-1 .. base+2 with weight 1 - |p - x_ori| / 2, normalised (0.125, 0.375, 0.375, 0.125).
        // x_ori = 0.5 over values [0,0,4,8] (index -1 clamps) -> 2.5; x_ori = 2.5 over [4,8,12,12] -> 9.5.
        Tensor x = Tensor.ofFloats(Shape.of(4), 0, 4, 8, 12);
        Tensor aa = run("Resize", 19, in(x, null, null, sizes(2)), linear(), Attribute.ofInt("antialias", 1));
        assertArrayEquals(new float[] {2.5f, 9.5f}, aa.floats(), 1e-6f);
        Tensor plain = run("Resize", 19, in(x, null, null, sizes(2)), linear());
        assertArrayEquals(new float[] {2, 10}, plain.floats(), 1e-6f);
    }

    @Test
    void linearOnInt8RoundsHalfToEven() {
        // asymmetric, scale 4 over [0, 1]: 0, .25, .5, .75, 1, 1, 1, 1 -> 0, 0, 0, 1, 1, 1, 1, 1.
        Tensor x = Tensor.ofInt8(Shape.of(2), (byte) 0, (byte) 1);
        Tensor out = run("Resize", 19, in(x, null, scales(4)), linear(), coords("asymmetric"));
        assertArrayEquals(new byte[] {0, 0, 0, 1, 1, 1, 1, 1}, out.bytes());
    }

    @Test
    void opset10TakesScalesAsSecondInputWithFloorNearest() {
        Tensor x = Tensor.ofInts(Shape.of(3), 10, 20, 30);
        Tensor out = run("Resize", 10, in(x, scales(1.5f)));
        // floor(3 * 1.5) = 4 outputs at x / 1.5 = 0, 0.67, 1.33, 2 -> floor 0, 0, 1, 2.
        assertArrayEquals(new int[] {10, 10, 20, 30}, out.ints());
    }

    @Test
    void multiThreadedLinearMatchesSingleThreaded() {
        float[] v = new float[3 * 40 * 50];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        Tensor x = Tensor.ofFloats(Shape.of(3, 40, 50), v);
        Tensor[] inputs = in(x, null, scales(1, 2.5f, 1.7f));
        var kernel = ShapeKernelHarness.kernel("Resize", 19, inputs, linear());
        Tensor one = kernel.compute(inputs, ExecContext.singleThreaded())[0];
        Tensor two = kernel.compute(inputs, ExecContext.withThreads(2))[0];
        assertTrue(one.contentEquals(two));
    }

    @Test
    void rejectsCubicAndAmbiguousOrMissingTargets() {
        KernelException cubic = assertThrows(KernelException.class,
                () -> ShapeKernelHarness.kernel("Resize", 19, in(), Attribute.ofString("mode", "cubic")));
        assertTrue(cubic.getMessage().contains("cubic mode is not supported"));
        assertThrows(KernelException.class,
                () -> ShapeKernelHarness.kernel("Resize", 19, in(), coords("sideways")));
        assertThrows(KernelException.class, () -> run("Resize", 19, in(TWO_BY_TWO, null, null, null)));
        assertThrows(KernelException.class,
                () -> run("Resize", 19, in(TWO_BY_TWO, null, scales(1, 1, 2, 2), sizes(1, 1, 4, 4))));
        assertThrows(KernelException.class, () -> run("Resize", 19, in(TWO_BY_TWO, null, scales(2, 2))));
        assertThrows(KernelException.class, () -> run("Resize", 19, in(TWO_BY_TWO, null, scales(1, 1, 0, 2))));
    }
}
