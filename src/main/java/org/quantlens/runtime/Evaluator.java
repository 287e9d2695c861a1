package org.quantlens.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.exec.ActivationTap;
import org.quantlens.exec.Engine;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Compares an FP32 {@link Engine} with an {@link Int8Engine} of the same model on an evaluation set: one float
 * input batch tensor [N, ...] fed to the single graph input in batches, the first graph output taken as logits
 * [N, classes]. Top-1 is the first index of the maximum (ties to the lower class, as numpy argmax). Per-layer figures
 * compare every float value the FP32 engine taps with the dequantized value of the same name in the INT8 run,
 * summed over the whole set ({@link SignalComparison}). Timings are wall clock around each engine's runs.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Evaluates.
     *
     * @param labels int64 (or any integer) labels [N], or null
     * @throws InvalidInputException when the model does not have exactly one input, the labels don't match N, or
     *                               the logits are not [N, classes]
     */
    public static EvaluationReport evaluate(Engine fp32, Int8Engine int8, Tensor data, Tensor labels, int batchSize,
                                            CancellationToken token, ProgressMonitor monitor) {
        List<String> inputs = fp32.graph().inputNames();
        if (inputs.size() != 1) {
            throw new InvalidInputException("evaluation needs a model with one input, this one has " + inputs.size());
        }
        int n = data.rank() == 0 ? 0 : data.shape().dim(0);
        if (labels != null && labels.size() != n) {
            throw new InvalidInputException(labels.size() + " labels for " + n + " samples");
        }
        String input = inputs.get(0);
        String output = fp32.graph().outputNames().get(0);
        Map<String, SignalComparison> layers = new LinkedHashMap<>();
        Map<String, String> ops = new LinkedHashMap<>();
        ops.put(input, "input");
        for (QuantizedStep s : int8.model().steps()) {
            s.outputs().forEach(o -> ops.put(o, s.op()));
        }
        Tally tally = new Tally(labels);
        int step = Math.max(1, batchSize);
        for (int start = 0; start < n; start += step) {
            token.throwIfCancelled();
            Tensor batch = Batching.slice(data, start, Math.min(n, start + step));
            Map<String, Tensor> fpTaps = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            Tensor fpOut = fp32.run(Map.of(input, batch), fpTaps::put, token).get(output);
            long t1 = System.nanoTime();
            ActivationTap compare = (name, v) -> {
                Tensor ref = fpTaps.get(name);
                if (ref != null && ref.shape().equals(v.shape()) && ops.containsKey(name)) {
                    layers.computeIfAbsent(name, k -> new SignalComparison()).add(ref.floats(), v.floats());
                }
            };
            Tensor qOut = int8.run(Map.of(input, batch), compare, token).get(output);
            tally.fp32Nanos += t1 - t0;
            tally.int8Nanos += System.nanoTime() - t1;
            tally.addBatch(output, start, fpOut, qOut);
            monitor.progress(start + batch.shape().dim(0), n, "evaluated " + (start + batch.shape().dim(0)) + " of " + n);
        }
        List<EvaluationReport.Layer> rows = new ArrayList<>();
        layers.forEach((name, c) -> rows.add(new EvaluationReport.Layer(name, ops.get(name), c.sqnrDb(), c.cosine())));
        Double fpAcc = labels == null || n == 0 ? null : (double) tally.fpCorrect / n;
        Double qAcc = labels == null || n == 0 ? null : (double) tally.qCorrect / n;
        return new EvaluationReport(n, fpAcc, qAcc, n == 0 ? 1.0 : (double) tally.agree / n, tally.logits.sqnrDb(),
                tally.fp32Nanos / 1e9, tally.int8Nanos / 1e9, int8.fallbackNodes(), rows);
    }

    /** Running counts over the batches. */
    private static final class Tally {
        private final Tensor labels;
        private final SignalComparison logits = new SignalComparison();
        private long fp32Nanos;
        private long int8Nanos;
        private int agree;
        private int fpCorrect;
        private int qCorrect;

        Tally(Tensor labels) {
            this.labels = labels;
        }

        void addBatch(String output, int start, Tensor fpOut, Tensor qOut) {
            float[] f = fpOut.toFloat32().floats();
            float[] q = qOut.toFloat32().floats();
            if (fpOut.rank() != 2 || !fpOut.shape().equals(qOut.shape())) {
                throw new InvalidInputException("logits '" + output + "' have shape " + fpOut.shape()
                        + ", expected [batch, classes]");
            }
            logits.add(f, q);
            int rows = fpOut.shape().dim(0);
            int classes = fpOut.shape().dim(1);
            for (int r = 0; r < rows; r++) {
                int a = argmax(f, r * classes, classes);
                int b = argmax(q, r * classes, classes);
                agree += a == b ? 1 : 0;
                if (labels != null) {
                    long label = labels.getLong(start + r);
                    fpCorrect += a == label ? 1 : 0;
                    qCorrect += b == label ? 1 : 0;
                }
            }
        }
    }

    /** First index of the maximum of {@code v[off .. off+len)}; NaN never wins. */
    static int argmax(float[] v, int off, int len) {
        int best = 0;
        for (int i = 1; i < len; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
