package org.quantlens.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.data.BatchSource;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** CalibrationRun on a two-node model (Gemm then Relu) whose activations the test computes by hand. */
class CalibrationRunTest {
    /** W (3x2, transB=1): y_j = x . W_j + b_j. */
    static final float[] W = {1, 0, 0, 1, 1, -1};
    static final float[] B = {0, 0, 0.5f};

    static Model model() {
        Node gemm = Node.of("fc", "Gemm", List.of("x", "W", "B"), List.of("y"), Attribute.ofInt("transB", 1));
        Node relu = Node.of("act", "Relu", List.of("y"), List.of("z"));
        Graph g = new Graph("g", List.of(gemm, relu), List.of(ValueInfo.of("x", DType.FLOAT32, -1, 2)),
                List.of(ValueInfo.of("z", DType.FLOAT32, -1, 3)),
                Map.of("W", Tensor.ofFloats(Shape.of(3, 2), W), "B", Tensor.ofFloats(Shape.of(3), B)), Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    /** Sample i is (i - 5, 2i / 10). */
    static float[] samples(int n) {
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i - 5;
            x[2 * i + 1] = 2 * i / 10f;
        }
        return x;
    }

    /** A source over an in-memory [n, 2] array; counts how many passes were started. */
    static final class ArraySource implements BatchSource {
        final float[] x;
        int passes;

        ArraySource(float[] x) {
            this.x = x;
        }

        @Override
        public int sampleCount() {
            return x.length / 2;
        }

        @Override
        public Iterator<Map<String, Tensor>> batches(int batchSize) {
            passes++;
            List<Map<String, Tensor>> out = new ArrayList<>();
            for (int s = 0; s < sampleCount(); s += batchSize) {
                int n = Math.min(batchSize, sampleCount() - s);
                float[] b = java.util.Arrays.copyOfRange(x, 2 * s, 2 * (s + n));
                out.add(Map.of("x", Tensor.ofFloats(Shape.of(n, 2), b)));
            }
            return out.iterator();
        }

        @Override
        public String description() {
            return "test array";
        }
    }

    static CalibrationStatistics run(ExecContext ctx, CalibrationRun.Options o, float[] x) {
        Engine e = new Engine(model(), KernelRegistry.standard(), ctx);
        return CalibrationRun.run(e, new ArraySource(x), o, ProgressMonitor.NONE, CancellationToken.none());
    }

    @Test
    void everyFloatTensorGetsItsExactRange() {
        float[] x = samples(20); // x0 in [-5, 14], x1 in [0, 3.8]
        CalibrationStatistics s = run(ExecContext.singleThreaded(), CalibrationRun.Options.of(RangeMethod.MINMAX), x);
        assertEquals(List.of("x", "y", "z"), new ArrayList<>(s.activations().keySet()));
        Histogram y = s.activations().get("y").histogram();
        // y0 = x0 in [-5, 14]; y1 = x1 in [0, 3.8]; y2 = x0 - x1 + 0.5: i - 5 - 0.2 i + 0.5 in [-4.5, 11.7]
        assertEquals(-5f, y.min());
        assertEquals(14f, y.max());
        assertEquals(0f, s.activations().get("z").histogram().min());
        assertEquals(20 * 3, y.total());
        assertEquals(20, s.samples());
    }

    @Test
    void parallelCollectorsGiveTheSameStatisticsAsOneThread() {
        // batches large enough (x: 8192 values) for the collectors to be handed to the second worker
        float[] x = samples(9000);
        CalibrationRun.Options o = CalibrationRun.Options.all().withBatchSize(4096);
        CalibrationStatistics one = run(ExecContext.singleThreaded(), o, x);
        CalibrationStatistics two = run(ExecContext.withThreads(2), o, x);
        for (String t : one.activations().keySet()) {
            ActivationStatistics a = one.activations().get(t);
            ActivationStatistics b = two.activations().get(t);
            assertEquals(a.histogram(), b.histogram(), t);
            assertArrayEquals(a.histogram().edges(), b.histogram().edges(), t);
            assertEquals(a.ema().max(), b.ema().max(), t);
            assertArrayEquals(a.torchObserver().histogram(), b.torchObserver().histogram(), t);
            assertArrayEquals(a.ortSignedHistogram().counts(), b.ortSignedHistogram().counts(), t);
        }
    }

    @Test
    void emaUpdatesOncePerBatchSoTheBatchSizeMatters() {
        float[] x = samples(64);
        CalibrationStatistics small = run(ExecContext.singleThreaded(),
                CalibrationRun.Options.of(RangeMethod.EMA).withBatchSize(16), x);
        CalibrationStatistics whole = run(ExecContext.singleThreaded(),
                CalibrationRun.Options.of(RangeMethod.EMA).withBatchSize(64), x);
        assertEquals(4, small.activations().get("x").batches());
        assertEquals(4, small.activations().get("x").ema().batches());
        // one batch: the moving average is the batch's own min/max
        assertEquals(58f, whole.activations().get("x").ema().max());
        // four batches: max 10 first, then 10 + 0.01*(26 - 10), ... (PyTorch's update, float32)
        float m = 10f;
        for (float bmax : new float[] {26f, 42f, 58f}) {
            m = m + 0.01f * (bmax - m);
        }
        assertEquals(m, small.activations().get("x").ema().max());
    }

    @Test
    void onnxRuntimeHistogramsFromTwoPassesEqualOrtsSingleCall() {
        float[] x = samples(100);
        ArraySource src = new ArraySource(x);
        Engine e = new Engine(model(), KernelRegistry.standard(), ExecContext.singleThreaded());
        CalibrationStatistics s = CalibrationRun.run(e, src, CalibrationRun.Options.of(RangeMethod.KL_ONNXRUNTIME,
                RangeMethod.PERCENTILE).withBatchSize(7), ProgressMonitor.NONE,
                CancellationToken.none());
        assertEquals(2, src.passes);
        OrtHistogramCollector signed = new OrtHistogramCollector(false, 2048);
        signed.collect(x);
        OrtHistogramCollector abs = new OrtHistogramCollector(true, 2048);
        abs.collect(x);
        ActivationStatistics a = s.activations().get("x");
        assertArrayEquals(signed.histogram().counts(), a.ortSignedHistogram().counts());
        assertArrayEquals(signed.histogram().edges(), a.ortSignedHistogram().edges());
        assertArrayEquals(abs.histogram().counts(), a.ortAbsoluteHistogram().counts());
        assertArrayEquals(abs.histogram().edges(), a.ortAbsoluteHistogram().edges());
    }

    @Test
    void minmaxNeedsOnePassAndNoOptionalCollectors() {
        ArraySource src = new ArraySource(samples(10));
        Engine e = new Engine(model(), KernelRegistry.standard(), ExecContext.singleThreaded());
        CalibrationStatistics s = CalibrationRun.run(e, src, CalibrationRun.Options.of(RangeMethod.MINMAX),
                ProgressMonitor.NONE, CancellationToken.none());
        assertEquals(1, src.passes);
        ActivationStatistics a = s.activations().get("y");
        assertNull(a.ortSignedHistogram());
        assertNull(a.torchObserver());
        assertNull(a.absoluteHistogram());
        assertEquals(a.histogram(), a.histogramFor(RangeMethod.KL_ONNXRUNTIME, true), "falls back to the stream");
    }

    @Test
    void progressCountsSamplesOverBothPasses() {
        List<long[]> seen = new ArrayList<>();
        Engine e = new Engine(model(), KernelRegistry.standard(), ExecContext.singleThreaded());
        CalibrationRun.run(e, new ArraySource(samples(40)), CalibrationRun.Options.of(RangeMethod.PERCENTILE),
                (done, total, msg) -> seen.add(new long[] {done, total}), CancellationToken.none());
        assertEquals(6, seen.size()); // 3 batches of 16, 16, 8 per pass
        assertEquals(80, seen.get(5)[0]);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(80, seen.get(i)[1]);
            assertTrue(i == 0 || seen.get(i)[0] > seen.get(i - 1)[0]);
        }
    }

    @Test
    void cancellingBetweenBatchesStopsTheRun() {
        CancellationToken token = new CancellationToken();
        List<Long> seen = new ArrayList<>();
        Engine e = new Engine(model(), KernelRegistry.standard(), ExecContext.singleThreaded());
        assertThrows(CancellationToken.CancelledException.class, () -> CalibrationRun.run(e,
                new ArraySource(samples(64)), CalibrationRun.Options.of(RangeMethod.MINMAX),
                (done, total, msg) -> {
                    seen.add(done);
                    token.cancel();
                }, token));
        assertEquals(List.of(16L), seen);
    }

    @Test
    void observeArrayEqualsARunOverTheSameValues() {
        float[] x = samples(50);
        CalibrationRun.Options o = CalibrationRun.Options.all().withBatchSize(8);
        CalibrationStatistics s = run(ExecContext.singleThreaded(), o, x);
        ActivationStatistics viaRun = s.activations().get("x");
        ActivationStatistics direct = CalibrationRun.observeArray("x", x, 50, o);
        assertEquals(viaRun.histogram(), direct.histogram());
        assertEquals(viaRun.ema().min(), direct.ema().min());
        for (RangeMethod m : RangeMethod.values()) {
            RangeOptions ro = RangeOptions.DEFAULT;
            assertEquals(viaRun.range(m, ro).range(), direct.range(m, ro).range(), m.cliName());
        }
    }

    @Test
    void weightsAreMeasuredPerOutputRow() {
        CalibrationStatistics s = run(ExecContext.singleThreaded(), CalibrationRun.Options.of(), samples(4));
        WeightStatistics w = s.weights().get("W");
        assertNotNull(w);
        assertEquals(0, w.axis());
        assertArrayEquals(new float[] {0, 0, -1}, w.channelMin());
        assertArrayEquals(new float[] {1, 1, 1}, w.channelMax());
        assertNull(s.weights().get("B"), "a bias is not a weight");
    }

    @Test
    void perSampleHistogramsKeepTheFirstSamplesOneByOne() {
        CalibrationStatistics s = run(ExecContext.singleThreaded(),
                CalibrationRun.Options.of(RangeMethod.MINMAX).withBatchSize(2).withPerSample(3), samples(10));
        List<Histogram> y = s.activations().get("y").perSampleHistograms();
        assertEquals(3, y.size());
        for (Histogram h : y) {
            assertEquals(3, h.total()); // one sample of y holds 3 values
        }
        // sample 2 is x = (-3, 0.4): y = (-3, 0.4, -2.9)
        assertEquals(-3f, y.get(2).min());
        assertEquals(0.4f, y.get(2).max());
        assertTrue(run(ExecContext.singleThreaded(), CalibrationRun.Options.of(), samples(4)).activations().get("y")
                .perSampleHistograms().isEmpty());
    }
}
