package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.quant.QuantScheme;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** The fast and the reference kernel sets are interchangeable: same steps, same bytes in every tapped value. */
class KernelSetTest {

    @Test
    void fastIsTheDefaultAndPicksTheFastConvKernel() {
        assertEquals(KernelSet.FAST, RuntimeOptions.defaults().kernels());
        Model model = BranchyModel.model(1);
        Tensor data = BranchyModel.random(new Random(2), Shape.of(4, 2, 6, 6), 1.5f);
        QuantizedModel fast = QuantizedModelBuilder.build(model, BranchyModel.minMaxTable(model, data),
                RuntimeOptions.defaults());
        QuantizedModel ref = QuantizedModelBuilder.build(model, BranchyModel.minMaxTable(model, data),
                RuntimeOptions.defaults().withKernels(KernelSet.REFERENCE));
        assertInstanceOf(org.quantlens.runtime.fast.QConvKernel.class, fast.steps().get(0).kernel());
        assertInstanceOf(org.quantlens.runtime.reference.QConvKernel.class, ref.steps().get(0).kernel());
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void bothSetsWriteTheSameBytesThroughTheBranchyModel(RequantMode mode) {
        Model model = BranchyModel.model(3);
        Tensor data = BranchyModel.random(new Random(4), Shape.of(8, 2, 6, 6), 1.5f);
        assertSameActivations(model, BranchyModel.minMaxTable(model, data), Map.of("x", data), mode);
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void bothSetsWriteTheSameBytesThroughTheReferenceLeNet(RequantMode mode) throws Exception {
        ReferenceModels ref = new ReferenceModels("digits_lenet");
        Tensor batch = Batching.slice(ref.npy("test.npy"), 0, 32);
        String input = ref.model.graph().inputNames().get(0);
        for (QuantScheme scheme : new QuantScheme[] {QuantScheme.UINT8_ASYMMETRIC, QuantScheme.INT8_SYMMETRIC}) {
            assertSameActivations(ref.model, ref.minMaxTable(scheme), Map.of(input, batch), mode);
        }
    }

    private static void assertSameActivations(Model model, CalibrationTable table, Map<String, Tensor> feeds,
                                              RequantMode mode) {
        RuntimeOptions opts = RuntimeOptions.defaults().withRequantMode(mode);
        Map<String, Tensor> fast = tapped(QuantizedModelBuilder.build(model, table, opts), feeds);
        Map<String, Tensor> ref = tapped(QuantizedModelBuilder.build(model, table,
                opts.withKernels(KernelSet.REFERENCE)), feeds);
        assertEquals(ref.keySet(), fast.keySet());
        assertTrue(ref.size() > 3, "tapped " + ref.keySet());
        ref.forEach((name, t) -> assertTrue(t.contentEquals(fast.get(name)), name));
    }

    private static Map<String, Tensor> tapped(QuantizedModel q, Map<String, Tensor> feeds) {
        Map<String, Tensor> seen = new HashMap<>();
        new Int8Engine(q, ExecContext.withThreads(2)).run(feeds, seen::put,
                org.quantlens.progress.CancellationToken.none());
        return seen;
    }
}
