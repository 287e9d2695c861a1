package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class WeightQuantizationTest {
    private static final Tensor W = Tensor.ofFloats(Shape.of(2, 2), 1.27f, -0.5f, 0.1f, -2.54f);

    private static CalibrationTable table(Map<String, CalibrationTable.TensorEntry> entries) {
        return new CalibrationTable(null, new CalibrationTable.ActivationSpec("uint8-asymmetric", 8),
                new CalibrationTable.WeightSpec("int8-symmetric", 8, true), entries);
    }

    @Test
    void perChannelFromTheWeightsUsesSymmetricAbsMaxOver127() {
        WeightQuantization.QuantizedWeight q = WeightQuantization.quantize("W", W, 0, true, table(Map.of()));
        // row 0: scale 2.54 / 254 = 0.01 -> 127, -50; row 1: scale 5.08 / 254 = 0.02 -> 5, -127
        assertArrayEquals(new float[] {0.01f, 0.02f}, q.scales(), 1e-7f);
        assertArrayEquals(new int[] {127, -50, 5, -127}, q.codes());
        assertArrayEquals(new int[] {0, 0}, q.zeroPoints());
    }

    @Test
    void perTensorUsesTheOverallAbsMax() {
        WeightQuantization.QuantizedWeight q = WeightQuantization.quantize("W", W, 0, false, table(Map.of()));
        assertArrayEquals(new float[] {0.02f, 0.02f}, q.scales(), 1e-7f);
        assertArrayEquals(new int[] {64, -25, 5, -127}, q.codes()); // 63.5 rounds half to even -> 64
    }

    @Test
    void aMatchingTableEntryWins() {
        CalibrationTable t = table(Map.of("W", new CalibrationTable.WeightEntry(0, new double[] {0.1, 0.1},
                new int[] {0, 0}, new double[] {-12.7, -12.7}, new double[] {12.7, 12.7})));
        WeightQuantization.QuantizedWeight q = WeightQuantization.quantize("W", W, 0, true, t);
        assertArrayEquals(new int[] {13, -5, 1, -25}, q.codes()); // 12.7 -> 13, -25.4 -> -25
        // the per-channel entry does not answer a per-tensor request: computed from the weights instead
        assertArrayEquals(new float[] {0.02f, 0.02f}, WeightQuantization.quantize("W", W, 0, false, t).scales(), 1e-7f);
    }

    @Test
    void biasIsRoundedHalfToEvenAtInputTimesWeightScaleAndSaturated() {
        int[] b = WeightQuantization.quantizeBias(Tensor.ofFloats(Shape.of(3), 0.25f, 0.75f, 1e30f), 0.5f,
                new float[] {1f, 1f, 1f});
        assertArrayEquals(new int[] {0, 2, Integer.MAX_VALUE}, b); // 0.5 -> 0, 1.5 -> 2
    }
}
