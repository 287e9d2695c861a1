package org.quantlens.app.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.app.layers.LayerBrowserViewModel;
import org.quantlens.app.layers.TensorEntry;
import org.quantlens.app.layers.TensorKind;
import org.quantlens.app.layers.TensorRow;
import org.quantlens.app.layers.TensorStats;

class HistogramViewModelTest {
    private final LayerBrowserViewModel layers = new LayerBrowserViewModel();
    private final HistogramViewModel vm = new HistogramViewModel(layers);

    HistogramViewModelTest() {
        float[] v = new float[4001];
        for (int i = 0; i < v.length; i++) {
            v[i] = -1 + 5f * i / 4000f; // uniform on [-1, 4]
        }
        layers.setEntries(List.of(
                new TensorEntry("a", TensorKind.ACTIVATION, "Conv", "[Nx8]",
                        TensorStats.of(TensorHistogram.of(v, 2048), List.of())),
                new TensorEntry("b", TensorKind.ACTIVATION, "Relu", "[Nx8]", null)));
    }

    @Test
    void selectingARowShowsItsHistogramAndClipRange() {
        TensorRow a = layers.find("a");
        layers.selectedProperty().set(a);
        assertSame(a.stats().histogram(), vm.histogramProperty().get());
        assertEquals(-1.0, vm.clipMinProperty().get(), 1e-6);
        assertEquals(4.0, vm.clipMaxProperty().get(), 1e-6);
        assertEquals("minmax", a.clip().method(), "selecting does not make the range manual");
        assertEquals("0.00%", vm.clippedTextProperty().get());
    }

    @Test
    void movingTheMaxMarkerUpdatesTheMetricsAndTheRow() {
        TensorRow a = layers.find("a");
        layers.selectedProperty().set(a);
        String scaleBefore = vm.scaleTextProperty().get();
        String sqnrBefore = vm.sqnrTextProperty().get();
        vm.clipMaxProperty().set(1.5);
        // [-1, 1.5] under uint8 asymmetric: scale 2.5/255; half of uniform [-1, 4] lies above 1.5
        assertEquals(2.5 / 255, a.clip().params().scale(), 1e-7);
        assertEquals("manual", a.clip().method());
        assertEquals(1.5, a.clip().hi(), 1e-6);
        assertEquals(0.5, a.clip().metrics().fractionClipped(), 0.01);
        assertNotEquals(scaleBefore, vm.scaleTextProperty().get());
        assertNotEquals(sqnrBefore, vm.sqnrTextProperty().get());
    }

    @Test
    void draggingTheMinPastTheMaxPushesTheMaxAlong() {
        layers.selectedProperty().set(layers.find("a"));
        vm.clipMinProperty().set(4.5);
        assertEquals(4.5, vm.clipMaxProperty().get());
    }

    @Test
    void aRowWithoutDataShowsNoHistogramUntilItsStatsArrive() {
        TensorRow b = layers.find("b");
        layers.selectedProperty().set(b);
        assertNull(vm.histogramProperty().get());
        assertEquals("", vm.scaleTextProperty().get());
        float[] v = {0, 0, 1, 2, 3, 6};
        layers.applyStats(Map.of("b", TensorStats.of(TensorHistogram.of(v, 64), List.of())));
        assertSame(b.stats().histogram(), vm.histogramProperty().get());
        assertEquals(6.0, vm.clipMaxProperty().get(), 1e-6);
        // uint8 asymmetric [0, 6]: scale 6/255, zero point 0
        assertEquals("0", vm.zeroPointTextProperty().get());
    }

    @Test
    void resetGoesBackToTheObservedRange() {
        layers.selectedProperty().set(layers.find("a"));
        vm.setClip(0, 1);
        vm.resetToMinMax();
        assertEquals(-1.0, vm.clipMinProperty().get(), 1e-6);
        assertEquals(4.0, vm.clipMaxProperty().get(), 1e-6);
    }
}
