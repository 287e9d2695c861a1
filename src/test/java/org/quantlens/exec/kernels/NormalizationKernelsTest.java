package org.quantlens.exec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quantlens.exec.kernels.KernelTestSupport.run1;

import org.junit.jupiter.api.Test;
import org.quantlens.exec.KernelException;
import org.quantlens.ir.Attribute;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class NormalizationKernelsTest {
    private static final Tensor SCALE = Tensor.ofFloats(Shape.of(2), 2, 1);
    private static final Tensor BIAS = Tensor.ofFloats(Shape.of(2), 1, -1);
    private static final Tensor MEAN = Tensor.ofFloats(Shape.of(2), 1, 10);
    private static final Tensor VAR = Tensor.ofFloats(Shape.of(2), 4, 0.25f);

    @Test
    void normalisesEachChannelWithItsOwnStatistics() {
        // channel 0: (x - 1) / 2 * 2 + 1 = x; channel 1: (x - 10) / 0.5 * 1 - 1 = 2x - 21.
        Tensor x = Tensor.ofFloats(Shape.of(1, 2, 2), 3, 5, 10, 11);
        Tensor y = run1("BatchNormalization", new Tensor[] {x, SCALE, BIAS, MEAN, VAR}, Attribute.ofFloat("epsilon", 0f));
        assertArrayEquals(new float[] {3, 5, -1, 1}, y.floats());
        assertEquals(x.shape(), y.shape());
    }

    @Test
    void epsilonIsAddedToTheVarianceBeforeTheSquareRoot() {
        // var 0 + epsilon 0.25 -> divide by 0.5.
        Tensor x = Tensor.ofFloats(Shape.of(1, 1), 3);
        Tensor one = Tensor.ofFloats(Shape.of(1), 1);
        Tensor zero = Tensor.ofFloats(Shape.of(1), 0);
        Tensor y = run1("BatchNormalization", new Tensor[] {x, one, zero, zero, zero}, Attribute.ofFloat("epsilon", 0.25f));
        assertArrayEquals(new float[] {6}, y.floats());
    }

    @Test
    void refusesTrainingModeAndMismatchedStatistics() {
        Tensor x = Tensor.ofFloats(Shape.of(1, 2, 1), 1, 2);
        KernelException e = assertThrows(KernelException.class, () -> run1("BatchNormalization",
                new Tensor[] {x, SCALE, BIAS, MEAN, VAR}, Attribute.ofInt("training_mode", 1)));
        assertEquals("training mode is not supported", e.getMessage());
        run1("BatchNormalization", new Tensor[] {x, SCALE, BIAS, MEAN, VAR}, Attribute.ofInt("training_mode", 0));
        Tensor three = Tensor.ofFloats(Shape.of(3), 1, 1, 1);
        assertThrows(KernelException.class, () -> run1("BatchNormalization", new Tensor[] {x, three, BIAS, MEAN, VAR}));
    }
}
