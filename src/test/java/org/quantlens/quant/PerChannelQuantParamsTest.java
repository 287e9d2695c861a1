package org.quantlens.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.quantlens.tensor.Shape;

class PerChannelQuantParamsTest {
    private static final float[] W = {-1f, 0.5f, 2f, 0.25f, -0.5f, 0.75f}; // shape [2, 3]

    @Test
    void weightsDefaultIsInt8SymmetricPerOutputChannel() {
        PerChannelQuantParams p = PerChannelQuantParams.onnxRuntime(W, Shape.of(2, 3), 0,
                QuantSpec.weightsDefault());
        assertEquals(0, p.axis());
        assertArrayEquals(new float[] {(float) (4.0 / 254), (float) (1.5 / 254)}, p.scales());
        assertArrayEquals(new int[] {0, 0}, p.zeroPoints());
        assertEquals(-127, p.qmin());
        assertEquals(127, p.qmax());
    }

    @Test
    void channelsAlongTheLastAxisTakeTheirOwnRange() {
        float[][] mm = PerChannelQuantParams.channelMinMax(W, Shape.of(2, 3), -1);
        assertArrayEquals(new float[] {-1f, -0.5f, 0.75f}, mm[0]);
        assertArrayEquals(new float[] {0.25f, 0.5f, 2f}, mm[1]);
        PerChannelQuantParams p = PerChannelQuantParams.pyTorch(W, Shape.of(2, 3), 1,
                QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC));
        assertEquals(1, p.axis());
        // channel 2: range [0, 2] (widened), scale 2/255, zp 0 ; channel 0: [-1, 0.25], zp = round(1 / (1.25/255)) = 204
        assertEquals(2f / 255f, p.scale(2));
        assertEquals(0, p.zeroPoint(2));
        assertEquals(204, p.zeroPoint(0));
    }

    @Test
    void recordIsImmutableAndComparesByContent() {
        float[] scales = {1f, 2f};
        PerChannelQuantParams a = new PerChannelQuantParams(0, scales, new int[] {0, 0}, -127, 127);
        scales[0] = 5f;
        assertEquals(1f, a.scale(0));
        a.scales()[1] = 9f;
        assertEquals(2f, a.scale(1));
        assertEquals(a, new PerChannelQuantParams(0, new float[] {1f, 2f}, new int[] {0, 0}, -127, 127));
        assertNotEquals(a, new PerChannelQuantParams(0, new float[] {1f, 3f}, new int[] {0, 0}, -127, 127));
    }

    @Test
    void mismatchedArraysAndBadChannelsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new PerChannelQuantParams(0, new float[] {1f}, new int[] {0, 0}, 0, 255));
        assertThrows(IllegalArgumentException.class,
                () -> new PerChannelQuantParams(0, new float[] {-1f}, new int[] {0}, 0, 255));
        assertThrows(IllegalArgumentException.class,
                () -> PerChannelQuantParams.channelMinMax(W, Shape.of(4, 2), 0));
    }
}
