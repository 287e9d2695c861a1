package org.quantlens.calib;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.quantlens.calib.search.MovingAverageMinMax;
import org.quantlens.calib.search.Percentile;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeMethods;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.calib.search.SearchResult;
import org.quantlens.calib.search.TorchHistogramObserver;
import org.quantlens.exec.ExecContext;

/**
 * Everything a calibration run learned about one float activation, and the range each method derives from it.
 *
 * <p>Always kept: a streaming {@link Histogram} of x (SIGNED lattice, exact observed min/max, NaN/Inf counted
 * apart) and PyTorch's moving-average min/max ({@link MovingAverageMinMax}, one update per engine batch, so the ema
 * result depends on the batch size). Kept when a method needs it (see {@link CalibrationRun.Options#methods()}):
 * a streaming |x| histogram (kl-tensorrt, kl-ncnn: TensorRT and ncnn bin |x|); PyTorch's
 * {@link TorchHistogramObserver} fed batch by batch (mse, exactly as HistogramObserver sees the data); and, from a
 * second pass, ONNX Runtime's one-call histograms (kl-onnxruntime and percentile, see {@link OrtOneCallHistogram}).
 *
 * <p>Instances are filled by {@link CalibrationRun} and read-only afterwards.
 */
public final class ActivationStatistics {
    private final String name;
    private final Histogram histogram;
    private final Histogram absHistogram;
    private final MovingAverageMinMax ema;
    private final TorchHistogramObserver torch;
    private float absMin = Float.POSITIVE_INFINITY;
    private long batches;
    private OrtOneCallHistogram ortSignedBuilder;
    private OrtOneCallHistogram ortAbsoluteBuilder;
    private Histogram ortSigned;
    private Histogram ortAbsolute;
    private final int perSampleLimit;
    private PerSampleHistograms perSample;

    ActivationStatistics(String name, int bins, double emaConstant, boolean keepAbsolute, boolean keepTorch,
                         int perSampleLimit) {
        this.perSampleLimit = perSampleLimit;
        this.name = name;
        this.histogram = Histogram.signed(bins);
        this.absHistogram = keepAbsolute ? Histogram.absolute(bins) : null;
        this.ema = new MovingAverageMinMax(emaConstant);
        this.torch = keepTorch ? new TorchHistogramObserver(bins, 128) : null;
    }

    /**
     * First pass: one engine batch of this tensor. One scan of the batch (min, max, min |x|, NaN/Inf counts) feeds
     * both histograms and the moving average; then the independent collectors run in parallel on the engine's
     * workers when the tensor is large enough to pay for the hand-off (a lone collector gets the workers itself);
     * the data is not kept.
     */
    void observe(float[] data, int samples, ExecContext ctx) {
        HistogramBinning.Scan scan = HistogramBinning.scan(data, 0, data.length, ctx);
        batchExtremes(scan);
        List<Consumer<ExecContext>> tasks = new ArrayList<>(3);
        tasks.add(c -> {
            histogram.add(data, scan, c);
            perSample(data, samples);
        });
        if (absHistogram != null) {
            tasks.add(c -> absHistogram.add(data, scan, c));
        }
        if (torch != null) {
            tasks.add(c -> torch.observe(data));
        }
        if (tasks.size() == 1) {
            tasks.get(0).accept(ctx);
        } else {
            ExecContext one = ExecContext.singleThreaded();
            ctx.parallelFor(tasks.size(), data.length, (s, e) -> {
                for (int i = s; i < e; i++) {
                    tasks.get(i).accept(one);
                }
            });
        }
        batches++;
    }

    /**
     * One histogram per sample for the first samples, on the lattice the stream had after its first batch (so the
     * curves share bins; a later sample outside that range grows its own histogram along the same lattice).
     */
    private void perSample(float[] data, int samples) {
        if (perSampleLimit == 0 || samples == 0 || histogram.isEmpty()) {
            return;
        }
        if (perSample == null) {
            perSample = new PerSampleHistograms(histogram, perSampleLimit);
        }
        if (perSample.accepts()) {
            perSample.addBatch(data, samples);
        }
    }

    /**
     * Batch min/max of the finite values for the moving average, and min |x| for ONNX Runtime's |x| histogram
     * edges (each a Math.min/max fold over the finite values, from the scan).
     */
    private void batchExtremes(HistogramBinning.Scan scan) {
        absMin = Math.min(absMin, scan.absMin());
        if (scan.min() <= scan.max()) {
            ema.update(scan.min(), scan.max());
        }
    }

    /** Prepares the second pass: ORT's edges follow from the first pass's exact extremes. */
    void startSecondPass(int bins, boolean signed, boolean absolute) {
        float min = histogram.min();
        float max = histogram.max();
        if (signed) {
            float t = Math.max(Math.abs(min), Math.abs(max));
            ortSignedBuilder = new OrtOneCallHistogram(false, bins, -t, t);
        }
        if (absolute) {
            float hi = Math.max(Math.abs(min), Math.abs(max));
            float lo = absMin == Float.POSITIVE_INFINITY ? Float.NaN : absMin;
            ortAbsoluteBuilder = new OrtOneCallHistogram(true, bins, lo, hi);
        }
    }

    /** Second pass: one engine batch, binned into ORT's fixed edges. */
    void observeSecondPass(float[] data, ExecContext ctx) {
        OrtOneCallHistogram[] builders = {ortSignedBuilder, ortAbsoluteBuilder};
        ctx.parallelFor(2, data.length, (s, e) -> {
            for (int i = s; i < e; i++) {
                if (builders[i] != null) {
                    builders[i].add(data);
                }
            }
        });
    }

    void finishSecondPass() {
        if (ortSignedBuilder != null) {
            ortSigned = ortSignedBuilder.toHistogram(histogram.min(), histogram.max());
        }
        if (ortAbsoluteBuilder != null) {
            ortAbsolute = ortAbsoluteBuilder.toHistogram(histogram.min(), histogram.max());
        }
        ortSignedBuilder = null;
        ortAbsoluteBuilder = null;
    }

    public String name() {
        return name;
    }

    /** The streaming histogram of x (exact observed min/max, NaN/Inf counts). */
    public Histogram histogram() {
        return histogram;
    }

    /** The streaming |x| histogram, or null when no method asked for it. */
    public Histogram absoluteHistogram() {
        return absHistogram;
    }

    /** ONNX Runtime's one-call signed histogram, or null when not collected. */
    public Histogram ortSignedHistogram() {
        return ortSigned;
    }

    /** ONNX Runtime's one-call |x| histogram, or null when not collected. */
    public Histogram ortAbsoluteHistogram() {
        return ortAbsolute;
    }

    /** The per-sample histograms of the first samples (empty unless asked for, see CalibrationRun.Options). */
    public List<Histogram> perSampleHistograms() {
        return perSample == null ? List.of() : perSample.samples();
    }

    /** PyTorch's moving-average min/max state after every batch. */
    public MovingAverageMinMax ema() {
        return ema;
    }

    /** PyTorch's HistogramObserver state, or null when not collected. */
    public TorchHistogramObserver torchObserver() {
        return torch;
    }

    /** Engine batches seen in the first pass. */
    public long batches() {
        return batches;
    }

    /** NaN, +Inf and -Inf values seen (never binned). */
    public long nonFiniteCount() {
        return histogram.nanCount() + histogram.positiveInfinityCount() + histogram.negativeInfinityCount();
    }

    /**
     * The histogram {@code method} works on: ORT's one-call histograms for kl-onnxruntime and percentile when
     * collected (|x| for symmetric percentile), the |x| histogram for kl-tensorrt/kl-ncnn when collected, else the
     * streaming signed histogram. This is what {@code --histograms} saves, so {@code range --histogram} repeats
     * the calibration's choice.
     */
    public Histogram histogramFor(RangeMethod method, boolean symmetricPercentile) {
        Histogram h = switch (method) {
            case KL_ONNXRUNTIME -> ortSigned;
            case PERCENTILE -> symmetricPercentile ? ortAbsolute : ortSigned;
            case KL_TENSORRT, KL_NCNN -> absHistogram;
            default -> null;
        };
        return h != null ? h : histogram;
    }

    /**
     * The clip range {@code method} chooses, with its warnings (prefixed by nothing; the caller names the tensor).
     * ema reads the moving-average state; mse runs PyTorch's search on the observer's own histogram when it was
     * collected (else {@link RangeMethods} on the streaming histogram); percentile uses ORT's symmetric |x| rule when
     * {@code options.symmetric()} and the asymmetric two-sided rule otherwise; every other method goes through
     * {@link RangeMethods#compute} on {@link #histogramFor}.
     */
    public SearchResult range(RangeMethod method, RangeOptions options) {
        Histogram h = histogramFor(method, options.symmetric());
        return switch (method) {
            case MSE -> torch != null ? torch.search(options.bits()) : RangeMethods.compute(method, h, ema, options);
            case EMA -> RangeMethods.compute(method, h, ema, options);
            default -> rangeOf(h, method, options);
        };
    }

    /**
     * The range {@code method} chooses from a histogram alone (e.g. one read with {@link HistogramFile}): as
     * {@link RangeMethods#compute}, except that symmetric percentile on a signed histogram with no negative edge
     * searches it directly (it already is a histogram of |x|: ONNX Runtime's files store ReLU outputs' |x|
     * histograms that way) instead of folding it.
     *
     * @throws IllegalArgumentException for ema, which needs per-batch statistics
     */
    public static SearchResult rangeOf(Histogram h, RangeMethod method, RangeOptions options) {
        if (method == RangeMethod.PERCENTILE) {
            return percentile(h, options);
        }
        return RangeMethods.compute(method, h, options);
    }

    private static SearchResult percentile(Histogram h, RangeOptions o) {
        if (o.symmetric() && h.form() == Histogram.Form.SIGNED && !h.isEmpty() && h.edge(0) >= 0) {
            return Percentile.search(h, o.percentile(), true);
        }
        return RangeMethods.compute(RangeMethod.PERCENTILE, h, o);
    }
}
