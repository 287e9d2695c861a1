package org.quantlens.formats;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.ActivationSpec;
import org.quantlens.calib.CalibrationTable.ModelRef;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.calib.CalibrationTable.WeightSpec;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;

/**
 * ncnn's int8 table as {@code ncnn2table} writes it and {@code ncnn2int8} reads it: first one weight line per
 * quantizable layer ({@link NcnnLayers}) {@code <layer>_param_0 s0 s1 ... } with s = 127/absmax per output channel
 * (per group for a grouped Conv), then one line {@code <layer> s } per layer with s = 127/threshold for the layer's
 * input blob, threshold = max(|min|, |max|) of the table's range. ncnn scales multiply: q = round(x*s).
 * Values are printed like ncnn2table ({@code "%f "}, six decimals, trailing space) when that reads back as the same
 * float32, else as the shortest exact decimal (ncnn reads with sscanf %f, which takes either).
 *
 * <p>All-zero weight channel: ncnn2table prints 127/0 = {@code inf}; QuantLens writes {@code 0.000000}, which ncnn's
 * int8 Convolution/InnerProduct take as "this channel is zero" (scale_in = 0) instead of multiplying 0 by inf.
 * Reading accepts both 0 and inf for weights (channel range [0, 0]); activation scales must be finite and > 0.
 *
 * <p>Writing: weights come from the table's entry when it is per channel along the output axis or per tensor,
 * otherwise from the initializer (with a warning); a layer whose input blob has no activation entry, or a zero
 * range, is left out with a warning. Reading maps layer names back through the model: activation ranges become
 * int8-symmetric (-t, t) entries of the input blob, weights int8-symmetric per-channel entries; unknown layer names
 * are reported in {@code unknownTensors}.
 */
public final class NcnnTableFormat {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern OTHER_PARAM = Pattern.compile(".*_param_[1-9]\\d*");

    private NcnnTableFormat() {
    }

    /** Writes the ncnn table for {@code model}'s Conv/Gemm/MatMul layers to {@code out} (atomically); returns warnings. */
    public static List<String> write(CalibrationTable table, Model model, Path out) {
        List<String> warnings = new ArrayList<>();
        StringBuilder weights = new StringBuilder();
        StringBuilder acts = new StringBuilder();
        for (NcnnLayers.Layer layer : NcnnLayers.of(model)) {
            ActivationEntry a = table.activationEntries().get(layer.input());
            double t = a == null ? 0 : Math.max(Math.abs(a.min()), Math.abs(a.max()));
            if (!(t > 0)) {
                warnings.add(layer.name() + ": input " + layer.input() + (a == null ? " has no range" : " has range [0, 0]")
                        + " in the table; layer left out of the ncnn table (stays float)");
                continue;
            }
            weights.append(layer.name()).append("_param_0 ");
            for (double absmax : groupAbsMax(layer, weightAbsMax(table, model, layer, warnings))) {
                weights.append(absmax == 0 ? format(0) : format(127.0 / absmax));
            }
            weights.append('\n');
            acts.append(layer.name()).append(' ').append(format(127.0 / t)).append('\n');
        }
        AtomicFiles.write(out, (weights.toString() + acts).getBytes(StandardCharsets.UTF_8));
        return warnings;
    }

    private static double[] weightAbsMax(CalibrationTable table, Model model, NcnnLayers.Layer layer, List<String> warnings) {
        WeightEntry w = table.weightEntries().get(layer.weight());
        if (w != null && (w.scale().length == 1 || (w.axis() == layer.outAxis() && w.scale().length == layer.channels()))) {
            double[] absmax = new double[layer.channels()];
            for (int c = 0; c < absmax.length; c++) {
                int k = w.scale().length == 1 ? 0 : c;
                absmax[c] = Math.max(Math.abs(w.min()[k]), Math.abs(w.max()[k]));
            }
            return absmax;
        }
        warnings.add(layer.name() + ": " + (w == null ? "no weight entry for " + layer.weight()
                : "weight entry of " + layer.weight() + " is not per output channel")
                + "; ncnn weight scales computed from the initializer (max |w| per output channel)");
        return NcnnLayers.channelAbsMax(model, layer);
    }

    private static double[] groupAbsMax(NcnnLayers.Layer layer, double[] channelAbsMax) {
        double[] out = new double[layer.groups()];
        for (int c = 0; c < channelAbsMax.length; c++) {
            int g = c / layer.channelsPerScale();
            out[g] = Math.max(out[g], channelAbsMax[c]);
        }
        return out;
    }

    /** ncnn2table's "%f " when lossless for float32, else the shortest exact decimal, plus the trailing space. */
    static String format(double s) {
        float f = (float) s;
        String fixed = String.format(Locale.ROOT, "%f", (double) f);
        String text = Float.parseFloat(fixed) == f ? fixed : PythonRepr.repr(f);
        return text + " ";
    }

    /** Reads an ncnn table, mapping layer names back through {@code model}. */
    public static ImportedTable read(Path in, Model model) {
        List<NcnnLayers.Layer> layers = NcnnLayers.of(model);
        Map<String, NcnnLayers.Layer> byName = new HashMap<>();
        layers.forEach(l -> byName.putIfAbsent(l.name(), l));
        Map<String, Node> nodesByName = new HashMap<>();
        model.graph().nodes().forEach(n -> nodesByName.putIfAbsent(NcnnLayers.layerName(n), n));
        TextLines text = TextLines.read(in);
        Map<String, Integer> seen = new HashMap<>();
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 1; i <= text.count(); i++) {
            List<String> tok = TextLines.tokens(text.line(i));
            if (tok.isEmpty()) {
                continue;
            }
            String key = tok.get(0);
            Integer first = seen.putIfAbsent(key, i);
            if (first != null) {
                throw text.fail(i, "duplicate entry " + TextLines.quote(key) + " (first on line " + first + ")");
            }
            if (tok.size() < 2) {
                throw text.fail(i, "no scales after " + TextLines.quote(key));
            }
            boolean weight = key.endsWith("_param_0") && !byName.containsKey(key);
            String layerName = weight ? key.substring(0, key.length() - "_param_0".length()) : key;
            double[] scales = numbers(text, i, tok, weight);
            NcnnLayers.Layer layer = byName.get(layerName);
            if (layer == null) {
                if (OTHER_PARAM.matcher(key).matches() || nodesByName.containsKey(layerName)) {
                    warnings.add(text.source() + ":" + i + ": " + key + " is not a Conv/Gemm/MatMul layer QuantLens maps; skipped");
                } else {
                    unknown.add(key);
                }
                continue;
            }
            if (weight) {
                putWeight(text, i, layer, scales, entries);
            } else {
                putActivation(text, i, layer, scales, entries, warnings);
            }
        }
        CalibrationTable table = new CalibrationTable(new ModelRef("", ""), new ActivationSpec(QuantRule.INT8_SYMMETRIC, 8),
                new WeightSpec(QuantRule.INT8_SYMMETRIC, 8, true), entries);
        return new ImportedTable(table, unknown, warnings);
    }

    private static double[] numbers(TextLines text, int line, List<String> tok, boolean weight) {
        double[] out = new double[tok.size() - 1];
        for (int k = 1; k < tok.size(); k++) {
            String t = tok.get(k);
            double v;
            if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("+inf") || t.equalsIgnoreCase("infinity")) {
                v = Double.POSITIVE_INFINITY;
            } else if (NUMBER.matcher(t).matches()) {
                v = Float.parseFloat(t);
            } else {
                throw text.fail(line, "bad number " + TextLines.quote(t));
            }
            boolean zeroChannel = weight && (v == 0 || Double.isInfinite(v));
            if (!zeroChannel && (!(v > 0) || Double.isInfinite(v))) {
                throw text.fail(line, "scale must be finite and > 0 (got " + TextLines.quote(t) + ")");
            }
            if (!zeroChannel && Float.isInfinite((float) (2 * 127.0 / v))) {
                throw text.fail(line, "scale " + TextLines.quote(t) + " is too small: 127/scale does not fit float32");
            }
            out[k - 1] = v;
        }
        return out;
    }

    private static void putWeight(TextLines text, int line, NcnnLayers.Layer layer, double[] s, Map<String, TensorEntry> entries) {
        if (s.length != layer.groups()) {
            throw text.fail(line, "layer " + TextLines.quote(layer.name()) + " needs " + layer.groups()
                    + " weight scales, got " + s.length);
        }
        int n = layer.channels();
        double[] scale = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        for (int c = 0; c < n; c++) {
            double sc = s[c / layer.channelsPerScale()];
            double absmax = sc == 0 || Double.isInfinite(sc) ? 0 : 127.0 / sc;
            QuantRule.Params p = QuantRule.fromRange(QuantRule.INT8_SYMMETRIC, 8, -absmax, absmax);
            scale[c] = p.scale();
            min[c] = p.min();
            max[c] = p.max();
        }
        entries.put(layer.weight(), new WeightEntry(layer.outAxis(), scale, new int[n], min, max));
    }

    private static void putActivation(TextLines text, int line, NcnnLayers.Layer layer, double[] s,
                                      Map<String, TensorEntry> entries, List<String> warnings) {
        if (s.length != 1) {
            throw text.fail(line, "layer " + TextLines.quote(layer.name()) + " needs one input scale, got " + s.length);
        }
        double t = 127.0 / s[0];
        TensorEntry before = entries.get(layer.input());
        if (before instanceof ActivationEntry a) {
            if (Math.abs(a.max() - t) > 1e-6 * t) {
                warnings.add(text.source() + ":" + line + ": blob " + layer.input() + " already has threshold " + a.max()
                        + " from an earlier layer; kept that, ignored " + t);
            }
            return;
        }
        entries.put(layer.input(), new ActivationEntry("imported", false, -t, t, t / 127.0, 0, -t, t));
    }
}
