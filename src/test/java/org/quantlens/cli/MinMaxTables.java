package org.quantlens.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.ActivationEntry;
import org.quantlens.calib.CalibrationTable.ActivationSpec;
import org.quantlens.calib.CalibrationTable.TensorEntry;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.calib.CalibrationTable.WeightSpec;
import org.quantlens.exec.Engine;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Tensor;

/**
 * MinMax tables made the way ONNX Runtime's MinMax calibrator and the calibrate command make them, for CLI tests:
 * every float activation's observed [min, max] over the calibration batch (FP32 engine tap), scale and zero point by
 * ONNX Runtime's rule ({@link QuantParams#onnxRuntime}); weights of Conv/Gemm/MatMul int8-symmetric per output
 * channel from max |w|.
 */
final class MinMaxTables {
    private static final QuantSpec WEIGHTS = QuantSpec.of(QuantScheme.INT8_SYMMETRIC);

    private MinMaxTables() {
    }

    static CalibrationTable of(Model model, Tensor calib, CalibrationTable.ModelRef ref, QuantScheme activations) {
        QuantSpec spec = QuantSpec.of(activations);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        observedRanges(model, calib).forEach((name, r) -> {
            QuantParams p = QuantParams.onnxRuntime((float) r[0], (float) r[1], spec);
            double t = Math.max(Math.abs(r[0]), Math.abs(r[1]));
            double lo = spec.symmetric() ? -t : Math.min(r[0], 0);
            double hi = spec.symmetric() ? t : Math.max(r[1], 0);
            entries.put(name, new ActivationEntry("minmax", false, lo, hi, p.scale(), p.zeroPoint(), r[0], r[1]));
        });
        for (Node n : model.graph().nodes()) {
            boolean gemm = n.opType().equals("Gemm");
            if (n.opType().equals("Conv") || gemm || n.opType().equals("MatMul")) {
                Tensor w = model.graph().initializers().get(n.input(1));
                int axis = n.opType().equals("Conv") || (gemm && n.attrInt("transB", 0) == 1) ? 0 : 1;
                entries.put(n.input(1), perChannelWeight(w, axis));
            }
        }
        return new CalibrationTable(ref, new ActivationSpec(activations.cliName(), 8),
                new WeightSpec("int8-symmetric", 8, true), entries);
    }

    private static Map<String, double[]> observedRanges(Model model, Tensor calib) {
        Map<String, double[]> observed = new LinkedHashMap<>();
        Engine.load(model).run(Map.of(model.graph().inputNames().get(0), calib), (name, v) -> {
            if (v.dtype() == DType.FLOAT32) {
                double[] r = observed.computeIfAbsent(name, k -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
                for (float x : v.floats()) {
                    r[0] = Math.min(r[0], x);
                    r[1] = Math.max(r[1], x);
                }
            }
        }, CancellationToken.none());
        return observed;
    }

    private static WeightEntry perChannelWeight(Tensor w, int axis) {
        int[] dims = w.shape().dims();
        int channels = dims[axis];
        int inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        double[] absmax = new double[channels];
        float[] v = w.floats();
        for (int i = 0; i < v.length; i++) {
            int c = (i / inner) % channels;
            absmax[c] = Math.max(absmax[c], Math.abs(v[i]));
        }
        double[] scale = new double[channels];
        double[] min = new double[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = QuantParams.onnxRuntime((float) -absmax[c], (float) absmax[c], WEIGHTS).scale();
            min[c] = -absmax[c];
        }
        return new WeightEntry(axis, scale, new int[channels], min, absmax);
    }
}
