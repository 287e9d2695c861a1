package org.quantlens.app.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.app.histogram.TensorHistogram;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;

class LayerBrowserViewModelTest {
    private static TensorStats uniform(float lo, float hi) {
        float[] v = new float[1001];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * i / 1000f;
        }
        return TensorStats.of(TensorHistogram.of(v, 256), List.of());
    }

    private final LayerBrowserViewModel vm = new LayerBrowserViewModel();

    LayerBrowserViewModelTest() {
        vm.setEntries(List.of(
                new TensorEntry("conv.w", TensorKind.WEIGHT, "Conv", "[4x1x3x3]", uniform(-1, 3)),
                new TensorEntry("relu_out", TensorKind.ACTIVATION, "Relu", "[Nx4]", null),
                new TensorEntry("fc_out", TensorKind.ACTIVATION, "Gemm", "[Nx10]", null)));
    }

    @Test
    void rowsWithStatisticsStartClippedAtMinMax() {
        ClipState c = vm.find("conv.w").clip();
        assertEquals(-1.0, c.lo(), 1e-6);
        assertEquals(3.0, c.hi(), 1e-6);
        assertEquals("minmax", c.method());
        // uint8 asymmetric over [-1, 3]: scale 4/255, zero point round(0 + 1 / (4/255)) = round(63.75) = 64
        assertEquals(4.0 / 255, c.params().scale(), 1e-7);
        assertEquals(64, c.params().zeroPoint());
        assertNull(vm.find("relu_out").clip(), "no statistics, no clip range");
    }

    @Test
    void activationStatsArriveByName() {
        vm.applyStats(Map.of("relu_out", uniform(0, 6)));
        assertEquals(6.0, vm.find("relu_out").clip().hi(), 1e-6);
        assertNull(vm.find("fc_out").stats());
    }

    @Test
    void theFilterMatchesNameOpAndKindIgnoringCase() {
        vm.filterProperty().set("RELU");
        assertEquals(List.of("relu_out"), vm.visibleRows().stream().map(TensorRow::name).toList());
        vm.filterProperty().set("weight");
        assertEquals(List.of("conv.w"), vm.visibleRows().stream().map(TensorRow::name).toList());
        vm.filterProperty().set(" ");
        assertEquals(3, vm.visibleRows().size());
    }

    @Test
    void narrowingTheClipRangeClipsValuesAndChangesTheScale() {
        TensorRow w = vm.find("conv.w");
        double wideScale = w.clip().params().scale();
        vm.setClip(w, -0.5, 0.5, "manual");
        assertEquals(0.25 * wideScale, w.clip().params().scale(), 1e-7);
        // three quarters of a uniform [-1, 3] lie outside [-0.5 - s/2, 0.5 + s/2]
        assertEquals(0.75, w.clip().metrics().fractionClipped(), 0.01);
        assertEquals("manual", w.clip().method());
    }

    @Test
    void changingTheSpecRecomputesEveryClipState() {
        vm.specProperty().set(QuantSpec.of(QuantScheme.INT8_SYMMETRIC));
        ClipState c = vm.find("conv.w").clip();
        assertEquals(0, c.params().zeroPoint());
        assertEquals(3.0 / 127, c.params().scale(), 1e-7); // absmax 3 over the restricted [-127, 127]
    }
}
