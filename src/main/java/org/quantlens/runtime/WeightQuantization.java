package org.quantlens.runtime;

import org.quantlens.calib.CalibrationTable;
import org.quantlens.calib.CalibrationTable.WeightEntry;
import org.quantlens.quant.PerChannelQuantParams;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;
import org.quantlens.quant.Quantizer;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Quantizes constant weights and biases when a model is built.
 * <ul>
 *   <li>Weights: per channel along the output-channel axis (or per tensor), with the table's weight entry when it
 *       has the requested granularity, axis and channel count; otherwise computed from the weights with ONNX
 *       Runtime's rule ({@link QuantParams#onnxRuntime}, symmetric int8 on [-127, 127] by default) under the
 *       table's weight scheme. Codes: {@link Quantizer} (rint half to even, saturate).</li>
 *   <li>Bias: {@code int32 = rint(b / float32(s_in * s_w[c]))} in float32 (ONNX Runtime's quantizer), zero point
 *       0, saturated to int32.</li>
 * </ul>
 */
final class WeightQuantization {
    private WeightQuantization() {
    }

    /**
     * Codes of a weight plus one scale and zero point per output channel (per-tensor parameters are repeated).
     *
     * @param codes      codes in the weight's own layout
     * @param scales     per output channel
     * @param zeroPoints per output channel
     */
    record QuantizedWeight(int[] codes, float[] scales, int[] zeroPoints) {
    }

    static QuantSpec weightSpec(CalibrationTable table) {
        CalibrationTable.WeightSpec w = table.weights();
        if (w == null || w.scheme() == null) {
            return QuantSpec.weightsDefault();
        }
        return QuantSpec.of(org.quantlens.quant.QuantScheme.fromCliName(w.scheme()), w.bits());
    }

    /** Quantizes {@code w} whose output channels run along {@code axis}. */
    static QuantizedWeight quantize(String name, Tensor w, int axis, boolean perChannel, CalibrationTable table) {
        QuantSpec spec = weightSpec(table);
        float[] data = w.toFloat32().floats();
        Shape shape = w.shape();
        int channels = shape.dim(axis);
        float[] scales = new float[channels];
        int[] zps = new int[channels];
        WeightEntry e = table.weightEntries().get(name);
        if (e != null && perChannel && e.perChannel() && e.axis() == axis && e.scale().length == channels) {
            for (int c = 0; c < channels; c++) {
                scales[c] = (float) e.scale()[c];
                zps[c] = e.zeroPoint()[c];
            }
        } else if (e != null && !perChannel && !e.perChannel() && e.scale().length == 1) {
            java.util.Arrays.fill(scales, (float) e.scale()[0]);
            java.util.Arrays.fill(zps, e.zeroPoint()[0]);
        } else if (perChannel) {
            PerChannelQuantParams p = PerChannelQuantParams.onnxRuntime(data, shape, axis, spec);
            for (int c = 0; c < channels; c++) {
                scales[c] = p.scale(c);
                zps[c] = p.zeroPoint(c);
            }
        } else {
            float lo = 0f;
            float hi = 0f;
            for (float v : data) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            QuantParams p = QuantParams.onnxRuntime(lo, hi, spec);
            java.util.Arrays.fill(scales, p.scale());
            java.util.Arrays.fill(zps, p.zeroPoint());
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        int[] codes = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            int c = (i / inner) % channels;
            codes[i] = Quantizer.quantize(data[i], scales[c], zps[c], spec.qmin(), spec.qmax());
        }
        return new QuantizedWeight(codes, scales, zps);
    }

    /** The int32 bias per channel (length must equal the channel count, or 1 to broadcast); null for no bias. */
    static int[] quantizeBias(Tensor bias, float inputScale, float[] weightScales) {
        if (bias == null) {
            return null;
        }
        float[] b = bias.toFloat32().floats();
        if (b.length != weightScales.length && b.length != 1) {
            throw new IllegalArgumentException("bias has " + b.length + " values for " + weightScales.length
                    + " channels");
        }
        int[] q = new int[weightScales.length];
        for (int c = 0; c < q.length; c++) {
            float s = inputScale * weightScales[c];
            double v = Math.rint(b[b.length == 1 ? 0 : c] / s);
            q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        return q;
    }
}
