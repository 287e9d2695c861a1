package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.calib.Histogram;
import org.quantlens.exec.ExecContext;

/**
 * The single entry point the command line and the app call: a method, the statistics gathered for one tensor, and
 * options, to a {@link SearchResult}.
 */
public final class RangeMethods {
    private RangeMethods() {
    }

    /** As {@link #compute(RangeMethod, Histogram, MovingAverageMinMax, RangeOptions)} without per-batch statistics. */
    public static SearchResult compute(RangeMethod method, Histogram h, RangeOptions o) {
        return compute(method, h, null, o);
    }

    /**
     * Runs {@code method}.
     * <ul>
     * <li>minmax: the histogram's exact observed min/max ({@link MinMax});</li>
     * <li>ema: needs {@code ema}, the per-batch statistics ({@link MovingAverageMinMax}); IllegalArgumentException
     * without it;</li>
     * <li>percentile: {@link Percentile}; symmetric mode folds a SIGNED histogram to |x| first (ORT's symmetric
     * calibrator bins |x|);</li>
     * <li>kl-tensorrt, kl-ncnn: on |x| (SIGNED histograms are folded); kl-onnxruntime: on the histogram as given
     * (ORT's signed histogram with its float32 edges for bit-exact results);</li>
     * <li>mse: {@link Mse} over the histogram's range for 2^bits levels; aciq: {@link Aciq}.</li>
     * </ul>
     * Constant data (min == max, e.g. a single element or all zeros) always carries a warning.
     */
    public static SearchResult compute(RangeMethod method, Histogram h, MovingAverageMinMax ema, RangeOptions o) {
        return compute(method, h, ema, o, ExecContext.singleThreaded());
    }

    /**
     * The same, with kl-tensorrt's and kl-ncnn's candidates split over {@code ctx}'s workers. Their curves and
     * choices do not depend on the thread count (each candidate is evaluated on its own, the minimum is taken
     * sequentially), so the result equals the single-threaded one; worth it for kl-ncnn (about 2x on 2 cores),
     * hardly for kl-tensorrt. Use it when the caller is not already running several tensors in parallel.
     */
    public static SearchResult compute(RangeMethod method, Histogram h, MovingAverageMinMax ema, RangeOptions o,
                                       ExecContext ctx) {
        SearchResult r = run(method, h, ema, o, ctx);
        if (!h.isEmpty() && h.min() == h.max() && r.warnings().isEmpty()) {
            r = withWarning(r, "constant data (min == max == " + h.min() + "): the range is degenerate");
        }
        return r;
    }

    private static SearchResult run(RangeMethod method, Histogram h, MovingAverageMinMax ema, RangeOptions o,
                                    ExecContext ctx) {
        return switch (method) {
            case MINMAX -> MinMax.of(h, o.symmetric());
            case EMA -> {
                if (ema == null) {
                    throw new IllegalArgumentException("ema needs per-batch statistics (MovingAverageMinMax)");
                }
                yield ema.result(o.symmetric());
            }
            case PERCENTILE -> {
                boolean fold = o.symmetric() && h.form() == Histogram.Form.SIGNED;
                SearchResult r = Percentile.search(fold ? h.toAbsolute() : h, o.percentile(), o.symmetric());
                yield fold ? withWarning(r, "folded the signed histogram to |x| for symmetric percentile") : r;
            }
            case KL_TENSORRT -> KlTensorRt.search(h, new KlTensorRt.Options(1 << (o.bits() - 1), 1 << (o.bits() - 1),
                    o.suppressZeroSpike(), false), ctx);
            case KL_ONNXRUNTIME -> KlOnnxRuntime.search(h, o.numQuantizedBins());
            case KL_NCNN -> KlNcnn.search(h, ctx, o.fullCurve());
            case MSE -> Mse.search(h, o.bits());
            case ACIQ -> Aciq.search(h, o.bits(), o.aciqPrior());
        };
    }

    private static SearchResult withWarning(SearchResult r, String w) {
        List<String> ws = new ArrayList<>(r.warnings());
        ws.add(w);
        return new SearchResult(r.range(), r.thresholds(), r.values(), r.bestIndex(), ws);
    }
}
