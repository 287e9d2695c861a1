package org.quantlens.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.Tensor;
import org.quantlens.testing.SharedFixtures;

/** Loads one ../shared/reference model folder and derives a MinMax table from its calibration set. Test-only. */
final class ReferenceModels {
    final Path dir;
    final Model model;
    final Engine fp32;

    ReferenceModels(String name) {
        dir = SharedFixtures.require("reference/" + name);
        model = OnnxReader.read(dir.resolve("model.onnx"));
        fp32 = new Engine(model, FloatReference.registry(), ExecContext.singleThreaded());
    }

    Tensor npy(String file) throws IOException {
        return Npy.read(dir.resolve(file));
    }

    /**
     * ONNX Runtime's MinMax calibration, redone here: observed min/max of every float tensor over calib.npy (fed in
     * batches of 16), activations uint8 asymmetric via {@link QuantParams#onnxRuntime}; no weight entries (the
     * builder computes per-channel or per-tensor symmetric int8 weights from the weights).
     */
    CalibrationTable minMaxTable() throws IOException {
        return minMaxTable(QuantScheme.UINT8_ASYMMETRIC);
    }

    /** As {@link #minMaxTable()} with activations in {@code scheme} (ONNX Runtime's range rule for it). */
    CalibrationTable minMaxTable(QuantScheme scheme) throws IOException {
        Tensor calib = npy("calib.npy");
        Map<String, float[]> ranges = new LinkedHashMap<>();
        String input = model.graph().inputNames().get(0);
        for (int s = 0; s < calib.shape().dim(0); s += 16) {
            Tensor batch = Batching.slice(calib, s, Math.min(calib.shape().dim(0), s + 16));
            fp32.run(Map.of(input, batch), (name, v) -> {
                float[] r = ranges.computeIfAbsent(name, k -> new float[] {Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY});
                for (float f : v.floats()) {
                    r[0] = Math.min(r[0], f);
                    r[1] = Math.max(r[1], f);
                }
            }, org.quantlens.progress.CancellationToken.none());
        }
        QuantSpec spec = QuantSpec.of(scheme);
        Map<String, CalibrationTable.TensorEntry> entries = new LinkedHashMap<>();
        ranges.forEach((name, r) -> {
            QuantParams p = QuantParams.onnxRuntime(r[0], r[1], spec);
            entries.put(name, new CalibrationTable.ActivationEntry("minmax", false, Math.min(r[0], 0),
                    Math.max(r[1], 0), p.scale(), p.zeroPoint(), r[0], r[1]));
        });
        return new CalibrationTable(new CalibrationTable.ModelRef("model.onnx", ""),
                new CalibrationTable.ActivationSpec(scheme.cliName(), 8),
                new CalibrationTable.WeightSpec("int8-symmetric", 8, true), entries);
    }

    /** quantized.json's accuracy for one ONNX Runtime setting. */
    double ortAccuracy(String setting) throws IOException {
        String json = Files.readString(dir.resolve("quantized.json"));
        Matcher m = Pattern.compile("\"" + Pattern.quote(setting) + "\"\\s*:\\s*\\{\\s*\"acc\"\\s*:\\s*([0-9.eE+-]+)")
                .matcher(json);
        if (!m.find()) {
            throw new IOException("no accuracy for " + setting + " in quantized.json");
        }
        return Double.parseDouble(m.group(1));
    }

}
