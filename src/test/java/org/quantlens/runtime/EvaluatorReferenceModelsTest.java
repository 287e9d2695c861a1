package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.ExecContext;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.quant.QuantScheme;
import org.quantlens.tensor.Tensor;

/**
 * Acceptance: our MinMax INT8 model reaches ONNX Runtime's QDQ accuracy (quantized.json) within half a point on
 * both reference models, per channel and per tensor, in both requantization modes.
 */
class EvaluatorReferenceModelsTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "digits_mlp, true, FIXED_POINT", "digits_mlp, false, FIXED_POINT", "digits_mlp, true, FLOAT",
        "digits_lenet, true, FIXED_POINT", "digits_lenet, false, FIXED_POINT", "digits_lenet, true, FLOAT"})
    void minMaxInt8AccuracyIsWithinHalfAPointOfOnnxRuntime(String name, boolean perChannel, RequantMode mode)
            throws Exception {
        ReferenceModels ref = new ReferenceModels(name);
        CalibrationTable table = ref.minMaxTable();
        RuntimeOptions opts = RuntimeOptions.defaults().withPerChannelWeights(perChannel).withRequantMode(mode);
        Int8Engine int8 = new Int8Engine(QuantizedModelBuilder.build(ref.model, table, opts),
                ExecContext.singleThreaded());
        Tensor test = ref.npy("test.npy");
        Tensor labels = ref.npy("test_labels.npy");

        EvaluationReport r = Evaluator.evaluate(ref.fp32, int8, test, labels, 50, CancellationToken.none(),
                ProgressMonitor.NONE);

        double ort = ref.ortAccuracy(perChannel ? "qdq_minmax_per_channel" : "qdq_minmax_per_tensor");
        System.out.printf("%s per_channel=%s %s: fp32 %.4f int8 %.4f (ORT %.4f) agree %.4f sqnr %.2f dB fallbacks %s%n",
                name, perChannel, mode, r.fp32Accuracy(), r.int8Accuracy(), ort, r.top1Agreement(),
                r.logitsSqnrDb(), r.fallbackNodes());
        r.layers().forEach(l -> System.out.printf("   %-30s %-12s %7.2f dB cos %.5f%n", l.tensor(), l.op(),
                l.sqnrDb(), l.cosine()));
        assertEquals(400, r.samples());
        assertEquals(ort, r.int8Accuracy(), 0.005 + 1e-9);
        assertTrue(r.fallbackNodes().isEmpty(), "fallbacks: " + r.fallbackNodes());
        assertTrue(r.logitsSqnrDb() > 25, "logits SQNR " + r.logitsSqnrDb());
        assertFalse(r.layers().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"digits_mlp", "digits_lenet"})
    void int8SymmetricActivationsMatchOnnxRuntimeS8S8Accuracy(String name) throws Exception {
        ReferenceModels ref = new ReferenceModels(name);
        CalibrationTable table = ref.minMaxTable(QuantScheme.INT8_SYMMETRIC);
        Int8Engine int8 = new Int8Engine(QuantizedModelBuilder.build(ref.model, table, RuntimeOptions.defaults()),
                ExecContext.singleThreaded());

        EvaluationReport r = Evaluator.evaluate(ref.fp32, int8, ref.npy("test.npy"), ref.npy("test_labels.npy"), 100,
                CancellationToken.none(), ProgressMonitor.NONE);

        double ort = ref.ortAccuracy("qdq_s8s8_symmetric_minmax_per_channel");
        System.out.printf("%s s8s8: int8 %.4f (ORT %.4f) sqnr %.2f dB%n", name, r.int8Accuracy(), ort, r.logitsSqnrDb());
        assertEquals(ort, r.int8Accuracy(), 0.005 + 1e-9);
    }
}
