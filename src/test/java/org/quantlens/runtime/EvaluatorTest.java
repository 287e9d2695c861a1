package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class EvaluatorTest {
    private final Model model = BranchyModel.model(4);
    private final Tensor data = BranchyModel.random(new Random(5), Shape.of(10, 2, 6, 6), 1.5f);
    private final Engine fp32 = new Engine(model, FloatReference.registry(), ExecContext.singleThreaded());
    private final Int8Engine int8 = new Int8Engine(QuantizedModelBuilder.build(model,
            BranchyModel.minMaxTable(model, data), RuntimeOptions.defaults()), ExecContext.singleThreaded());

    @Test
    void accuracyCountsLabelsAndEveryTappedLayerIsCompared() {
        Tensor logits = fp32.run(Map.of("x", data)).get("out");
        long[] labels = new long[10];
        for (int r = 0; r < 10; r++) { // FP32 right on the first 6 samples, wrong on the rest
            int best = Evaluator.argmax(logits.floats(), r * 36, 36);
            labels[r] = r < 6 ? best : (best + 1) % 36;
        }
        List<Long> progress = new ArrayList<>();
        EvaluationReport r = Evaluator.evaluate(fp32, int8, data, Tensor.ofLongs(Shape.of(10), labels), 4,
                CancellationToken.none(), (done, total, msg) -> progress.add(done));

        assertEquals(10, r.samples());
        assertEquals(0.6, r.fp32Accuracy(), 1e-12);
        assertTrue(Math.abs(r.int8Accuracy() - 0.6) <= (1 - r.top1Agreement()) + 1e-12,
                "INT8 accuracy differs from FP32 by at most the disagreement");
        assertEquals(List.of(4L, 8L, 10L), progress);
        assertEquals(List.of("x", "a", "b", "s", "m", "cat", "mp", "out"),
                r.layers().stream().map(EvaluationReport.Layer::tensor).toList());
        assertEquals("Conv+Clip", r.layers().get(1).op());
        r.layers().forEach(l -> assertTrue(l.sqnrDb() > 20 && l.cosine() > 0.99, l.toString()));
        assertEquals(r.layers().get(r.layers().size() - 1).sqnrDb(), r.logitsSqnrDb(), 1e-9);
        assertTrue(r.fallbackNodes().isEmpty());
    }

    @Test
    void withoutLabelsTheAccuraciesAreNull() {
        EvaluationReport r = Evaluator.evaluate(fp32, int8, data, null, 3, CancellationToken.none(),
                ProgressMonitor.NONE);
        assertNull(r.fp32Accuracy());
        assertNull(r.int8Accuracy());
        assertTrue(r.top1Agreement() >= 0 && r.top1Agreement() <= 1);
    }

    @Test
    void labelCountMustMatchTheSamples() {
        assertThrows(InvalidInputException.class, () -> Evaluator.evaluate(fp32, int8, data,
                Tensor.ofLongs(Shape.of(3), 1, 2, 3), 4, CancellationToken.none(), ProgressMonitor.NONE));
    }

    @Test
    void signalComparisonDegenerateCases() {
        SignalComparison same = new SignalComparison();
        same.add(new float[] {1, -2}, new float[] {1, -2});
        assertEquals(Double.POSITIVE_INFINITY, same.sqnrDb());
        assertEquals(1.0, same.cosine(), 1e-12);
        SignalComparison half = new SignalComparison();
        half.add(new float[] {2, 0}, new float[] {1, 0}); // signal 4, noise 1 -> 10 log10(4)
        assertEquals(10 * Math.log10(4), half.sqnrDb(), 1e-12);
        SignalComparison zeros = new SignalComparison();
        zeros.add(new float[] {0, 0}, new float[] {0, 0});
        assertEquals(1.0, zeros.cosine());
        zeros.add(new float[] {0}, new float[] {1});
        assertEquals(0.0, zeros.cosine());
        assertEquals(Double.NEGATIVE_INFINITY, zeros.sqnrDb());
    }
}
