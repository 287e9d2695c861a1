package org.quantlens.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.conformance.TensorComparison;
import org.quantlens.runtime.SignalComparison;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;

/**
 * {@code run --expect REF.npy}: compares the first output with a reference array. Three bounds, each optional:
 * {@code --atol} (max |got - ref|), {@code --min-sqnr} ({@code 10 log10(sum ref^2 / sum (ref - got)^2)} in dB, as
 * {@link SignalComparison}) and {@code --min-agreement} (fraction of rows of an [N, classes] output whose first
 * arg-max, as numpy's argmax, is the same). The run matches when every given bound holds; with none given the bound
 * is {@code atol 1e-4} (an FP32 run against ONNX Runtime). An INT8 run against ONNX Runtime's QDQ logits is checked
 * with SQNR and agreement, since its logits differ by a few quantization steps.
 */
record ExpectCheck(Double atol, Double minSqnrDb, Double minAgreement) {
    static final double DEFAULT_ATOL = 1e-4;

    /** The reading of the three options, with the default atol when none is given. */
    static ExpectCheck of(Double atol, Double minSqnrDb, Double minAgreement) {
        boolean none = atol == null && minSqnrDb == null && minAgreement == null;
        return new ExpectCheck(none ? Double.valueOf(DEFAULT_ATOL) : atol, minSqnrDb, minAgreement);
    }

    /**
     * Compares {@code got} with the array in {@code reference}; the map is the {@code expect} object of run's JSON:
     * reference, max_abs_diff, sqnr_db, top1_agreement (null when the output is not [N, classes]), the bounds,
     * match, and problem (when shapes differ).
     */
    Map<String, Object> compare(Tensor got, Path reference) {
        Tensor ref = Npy.read(reference);
        if (ref.dtype() != got.dtype()) {
            ref = ref.toFloat32();
            got = got.toFloat32();
        }
        TensorComparison c = TensorComparison.compare(got, ref, 0, atol == null ? Double.MAX_VALUE : atol);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", reference.toString());
        boolean comparable = c.problem() == null;
        Double sqnr = comparable ? sqnrDb(ref, got) : null;
        Double agreement = comparable ? top1Agreement(ref, got) : null;
        m.put("max_abs_diff", comparable ? c.maxAbs() : null);
        m.put("sqnr_db", sqnr);
        m.put("top1_agreement", agreement);
        m.put("atol", atol);
        m.put("min_sqnr_db", minSqnrDb);
        m.put("min_agreement", minAgreement);
        boolean match = comparable && c.matches()
                && (minSqnrDb == null || sqnr >= minSqnrDb)
                && (minAgreement == null || (agreement != null && agreement >= minAgreement));
        m.put("match", match);
        if (!comparable) {
            m.put("problem", c.problem());
        } else if (minAgreement != null && agreement == null) {
            m.put("problem", "--min-agreement needs an [N, classes] output, got " + got.shape());
        }
        return m;
    }

    private static double sqnrDb(Tensor ref, Tensor got) {
        SignalComparison s = new SignalComparison();
        s.add(asFloats(ref), asFloats(got));
        return s.sqnrDb();
    }

    /** Fraction of rows with the same first arg-max; null unless both are [N, classes] float arrays. */
    private static Double top1Agreement(Tensor ref, Tensor got) {
        if (ref.rank() != 2 || ref.shape().dim(0) == 0) {
            return null;
        }
        float[] a = asFloats(ref);
        float[] b = asFloats(got);
        int rows = ref.shape().dim(0);
        int classes = ref.shape().dim(1);
        int same = 0;
        for (int r = 0; r < rows; r++) {
            same += argmax(a, r * classes, classes) == argmax(b, r * classes, classes) ? 1 : 0;
        }
        return same / (double) rows;
    }

    /** First index of the maximum of {@code v[off, off + len)}, as numpy's argmax on rows without NaN. */
    private static int argmax(float[] v, int off, int len) {
        int best = 0;
        for (int i = 1; i < len; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }

    private static float[] asFloats(Tensor t) {
        return t.toFloat32().floats();
    }
}
