package org.quantlens.app.playground;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.quantlens.app.histogram.TensorHistogram;

class PlaygroundViewModelTest {
    @Test
    void rangeMinusOneToOneShowsTheTextbookNumbers() {
        PlaygroundViewModel vm = new PlaygroundViewModel();
        vm.rangeMinProperty().set(-1);
        vm.rangeMaxProperty().set(1);
        Mapping a = vm.asymmetricProperty().get();
        assertEquals((float) (2.0 / 255), a.scale());
        assertEquals(0.5, Math.abs(a.zeroPoint() - 127.5), 1e-12, "zero point 127 or 128");
        Mapping s = vm.symmetricProperty().get();
        assertEquals((float) (1.0 / 127), s.scale());
        assertEquals(0, s.zeroPoint());
    }

    @Test
    void fewerBitsGiveCoarserGrids() {
        PlaygroundViewModel vm = new PlaygroundViewModel();
        vm.rangeMinProperty().set(-1);
        vm.rangeMaxProperty().set(1);
        vm.bitsProperty().set(4);
        assertEquals(15, vm.asymmetricProperty().get().qmax());
        assertEquals((float) (2.0 / 15), vm.asymmetricProperty().get().scale());
        assertEquals(7, vm.symmetricProperty().get().qmax());
    }

    @Test
    void aSeedDrawsTheSameValuesAgainAndANewSeedOthers() {
        PlaygroundViewModel vm = new PlaygroundViewModel();
        float[] first = vm.valuesProperty().get();
        vm.nextSeed();
        float[] second = vm.valuesProperty().get();
        vm.seedProperty().set(1);
        assertArrayEquals(first, vm.valuesProperty().get());
        assertFalse(java.util.Arrays.equals(first, second));
    }

    @Test
    void outliersWidenTheRangeAndReluValuesAreNeverNegative() {
        PlaygroundViewModel vm = new PlaygroundViewModel();
        vm.distributionProperty().set(Distribution.RELU);
        assertEquals(0, vm.rangeMinProperty().get(), "ReLU'd values start at 0");
        double before = vm.rangeMaxProperty().get();
        vm.outlierMagnitudeProperty().set(40);
        vm.outlierFractionProperty().set(0.01);
        assertTrue(vm.rangeMaxProperty().get() >= 40, "outliers of 40 sigma or more");
        assertTrue(before < 10);
        // uint8 asymmetric spends every code on [0, max]; int8 symmetric wastes the negative half
        assertEquals(0, vm.asymmetricProperty().get().zeroPoint());
        assertTrue(vm.asymmetricProperty().get().sqnrDb() > vm.symmetricProperty().get().sqnrDb());
    }

    @Test
    void theSelectedTensorsHistogramBecomesTheValues() {
        PlaygroundViewModel vm = new PlaygroundViewModel();
        // 4 bins over [0, 4): counts 1, 0, 2, 1 -> values at 0.5, 2.25, 2.75, 3.5
        vm.selectedHistogramProperty().set(new TensorHistogram(new double[] {1, 0, 2, 1}, 0, 1, 0, 0.2, 3.9));
        vm.fromSelectedProperty().set(true);
        assertArrayEquals(new float[] {0.5f, 2.25f, 2.75f, 3.5f}, vm.valuesProperty().get());
        assertEquals(0.2, vm.rangeMinProperty().get(), 1e-12);
        assertEquals(3.9, vm.rangeMaxProperty().get(), 1e-12);
    }

    @Test
    void multiplicationPanelReportsUnusableInput() {
        MultiplicationModel m = new PlaygroundViewModel().multiplication();
        assertNotNull(m.dotProperty().get());
        assertEquals(-32385, m.dotProperty().get().accumulator());
        m.xTextProperty().set("1 two");
        assertNull(m.dotProperty().get());
        assertTrue(m.problemProperty().get().contains("'two'"));
        m.xTextProperty().set("1, 2");
        m.wTextProperty().set("0.5 -0.25");
        m.autoOutputRange();
        assertEquals(1.0, m.yMaxProperty().get(), 1e-12);
        assertEquals(0.0, m.dotProperty().get().exact(), 1e-12);
    }
}
