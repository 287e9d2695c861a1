package org.quantlens.calib;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.calib.search.Range;
import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.calib.search.SearchBatch;
import org.quantlens.calib.search.SearchResult;
import org.quantlens.exec.ExecContext;
import org.quantlens.quant.PerChannelQuantParams;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;

/**
 * Turns {@link CalibrationStatistics} into a {@link CalibrationTable} (CONTRACTS.md) for one method and scheme.
 *
 * <p><b>Activations.</b> (lo, hi) = the method's range ({@link ActivationStatistics#range}); the clip range
 * recorded is ONNX Runtime's: rmin = min(lo, 0), rmax = max(hi, 0), and for a symmetric scheme
 * (-absmax, absmax); scale and zero point are {@link QuantParams#onnxRuntime} of (lo, hi) under the activation
 * spec; observed_min/observed_max are the exact extremes of the data. <b>Weights.</b> Per channel along the
 * weight's axis ({@link WeightStatistics}) or, on request or for single-channel weights, per tensor (axis -1);
 * each channel's range widened and symmetrised the same way, scale/zero point by ONNX Runtime's rule under the
 * weight spec (default int8 symmetric on [-127, 127]: scale = absmax/127, zero point 0).
 *
 * <p><b>Degenerate cases</b> never give inf/NaN: a range of zero width (all zeros, no finite value) gets ORT's
 * scale 1, zero point 0 (symmetric uint: also 0) and a warning naming the tensor (and channel); a weight holding
 * +-Inf is left out with a warning; the method's own warnings are passed on, prefixed by the tensor name.
 */
public final class CalibrationTables {
    private CalibrationTables() {
    }

    /**
     * What table to build.
     *
     * @param method      the activation range method
     * @param options     method options (the percentile mode is {@code options.symmetric()})
     * @param activations activation scheme and bits
     * @param weights     weight scheme and bits
     * @param perChannel  weights per channel (else per tensor)
     * @param model       the model file and hash to record
     */
    public record Spec(RangeMethod method, RangeOptions options, QuantSpec activations, QuantSpec weights,
                       boolean perChannel, CalibrationTable.ModelRef model) {
    }

    /** The table and what the user should know about it. */
    public record Result(CalibrationTable table, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /** {@link #build(CalibrationStatistics, Spec, ExecContext)} on the calling thread. */
    public static Result build(CalibrationStatistics stats, Spec spec) {
        return build(stats, spec, ExecContext.singleThreaded());
    }

    /**
     * The table for {@code spec}: the activations' range searches run in parallel over {@code ctx} (one tensor per
     * worker at a time, {@link SearchBatch}), then entries and warnings are assembled in tensor order, so the table
     * and the warnings are identical for any thread count. Only the ranges are kept, so the searches may skip
     * candidates that cannot be chosen ({@link RangeOptions#rangeOnly}; same ranges).
     */
    public static Result build(CalibrationStatistics stats, Spec spec, ExecContext ctx) {
        List<String> warnings = new ArrayList<>();
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        List<ActivationStatistics> activations = List.copyOf(stats.activations().values());
        SearchResult[] ranges = SearchBatch.run(activations.size(), ctx,
                i -> activations.get(i).range(spec.method(), spec.options().rangeOnly()));
        for (int i = 0; i < activations.size(); i++) {
            ActivationStatistics a = activations.get(i);
            entries.put(a.name(), activation(a, ranges[i], spec, warnings));
        }
        for (WeightStatistics w : stats.weights().values()) {
            if (!w.finite()) {
                warnings.add("weight " + w.name() + ": holds +-Inf, left out of the table");
                continue;
            }
            entries.put(w.name(), weight(w, spec.weights(), spec.perChannel(), warnings));
        }
        CalibrationTable table = new CalibrationTable(spec.model(),
                new CalibrationTable.ActivationSpec(spec.activations().scheme().cliName(), spec.activations().bits()),
                new CalibrationTable.WeightSpec(spec.weights().scheme().cliName(), spec.weights().bits(),
                        spec.perChannel()),
                entries);
        return new Result(table, warnings);
    }

    /** The entry of activation {@code a} whose search for {@code spec.method()} gave {@code r}. */
    private static ActivationEntry activation(ActivationStatistics a, SearchResult r, Spec spec,
                                              List<String> warnings) {
        r.warnings().forEach(w -> warnings.add("tensor " + a.name() + ": " + w));
        if (a.nonFiniteCount() > 0) {
            warnings.add("tensor " + a.name() + ": " + a.nonFiniteCount() + " NaN/Inf values were left out of the "
                    + "statistics");
        }
        Histogram h = a.histogram();
        double observedMin = h.isEmpty() ? 0 : h.min();
        double observedMax = h.isEmpty() ? 0 : h.max();
        return entry(spec.method().cliName(), r.range(), observedMin, observedMax, spec.activations(),
                "tensor " + a.name(), warnings);
    }

    /**
     * An activation entry for the clip range {@code range} under {@code qspec} (also used for ranges set by hand
     * and by {@code range --npy}).
     */
    public static ActivationEntry entry(String method, Range range, double observedMin, double observedMax,
                                        QuantSpec qspec, String what, List<String> warnings) {
        float lo = (float) range.lo();
        float hi = (float) range.hi();
        float[] clip = clipRange(lo, hi, qspec.symmetric());
        if (clip[0] == clip[1]) {
            warnings.add(what + ": degenerate range [" + lo + ", " + hi + "]; scale 1, zero point 0 (ONNX Runtime's "
                    + "rule)");
        }
        QuantParams p = QuantParams.onnxRuntime(lo, hi, qspec);
        return new ActivationEntry(method, false, clip[0], clip[1], p.scale(), p.zeroPoint(), observedMin,
                observedMax);
    }

    /** ONNX Runtime's clip range: (min(lo, 0), max(hi, 0)), symmetrised to (-absmax, absmax) when asked. */
    static float[] clipRange(float lo, float hi, boolean symmetric) {
        float rmin = Math.min(lo, 0f);
        float rmax = Math.max(hi, 0f);
        if (symmetric) {
            float t = Math.max(-rmin, rmax);
            return new float[] {-t, t};
        }
        return new float[] {rmin, rmax};
    }

    static WeightEntry weight(WeightStatistics w, QuantSpec qspec, boolean perChannel, List<String> warnings) {
        boolean channels = perChannel && w.axis() >= 0;
        float[] mins = channels ? w.channelMin() : new float[] {w.min()};
        float[] maxs = channels ? w.channelMax() : new float[] {w.max()};
        int axis = channels ? w.axis() : -1;
        PerChannelQuantParams p = PerChannelQuantParams.onnxRuntime(mins, maxs, Math.max(axis, 0), qspec);
        double[] scale = new double[mins.length];
        int[] zp = new int[mins.length];
        double[] lo = new double[mins.length];
        double[] hi = new double[mins.length];
        List<Integer> zero = new ArrayList<>();
        for (int c = 0; c < mins.length; c++) {
            float[] clip = clipRange(mins[c], maxs[c], qspec.symmetric());
            if (clip[0] == clip[1]) {
                zero.add(c);
            }
            lo[c] = clip[0];
            hi[c] = clip[1];
            scale[c] = p.scale(c);
            zp[c] = p.zeroPoint(c);
        }
        if (!zero.isEmpty()) {
            warnings.add("weight " + w.name() + ": " + (channels ? "channel" + (zero.size() > 1 ? "s " : " ")
                    + abbreviate(zero) + " all zero" : "all zero") + "; scale 1, zero point 0 there");
        }
        return new WeightEntry(axis, scale, zp, lo, hi);
    }

    private static String abbreviate(List<Integer> l) {
        if (l.size() <= 8) {
            return l.toString().replaceAll("[\\[\\]]", "");
        }
        return l.subList(0, 8).toString().replaceAll("[\\[\\]]", "") + ", ... (" + l.size() + " channels)";
    }
}
