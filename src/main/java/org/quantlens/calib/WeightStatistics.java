package org.quantlens.calib;

import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Node;
import org.quantlens.quant.PerChannelQuantParams;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Min/max of one weight initializer, overall and per output channel.
 *
 * <p>Weights are float32 initializers fed as input 1 (the weight) of Conv, Gemm or MatMul. The channel axis is the
 * one the layer's outputs are indexed by, as ONNX Runtime and PyTorch quantize per channel: Conv W[M, C/g, kh, kw]
 * along axis 0 (output channels); Gemm B along axis 0 when transB = 1 (B is [N, K], one row per output, PyTorch's
 * Linear layout) and along axis 1 when transB = 0 (B is [K, N]); MatMul B[..., K, N] along its last axis. A weight
 * of rank below 2 (or a MatMul B of rank 1) has one channel (axis -1). An initializer shared by several layers is
 * described once, by its first user in graph order. NaN elements are skipped; a weight with an infinite element is
 * reported with {@link #finite()} false.
 *
 * @param name       the initializer's name
 * @param opType     the op that consumes it as a weight
 * @param shape      its shape
 * @param axis       the channel axis, or -1 for a single channel
 * @param channelMin per-channel minimum (one entry when axis is -1)
 * @param channelMax per-channel maximum
 * @param finite     false when the weight holds +-Inf (no parameters can be derived)
 */
public record WeightStatistics(String name, String opType, Shape shape, int axis, float[] channelMin,
                               float[] channelMax, boolean finite) {

    /** Minimum over the whole tensor. */
    public float min() {
        float m = Float.POSITIVE_INFINITY;
        for (float v : channelMin) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** Maximum over the whole tensor. */
    public float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : channelMax) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The weights of {@code graph}, in graph order (see the class comment for which and along which axis). */
    public static Map<String, WeightStatistics> collect(Graph graph) {
        Map<String, WeightStatistics> out = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            if (!n.domain().isEmpty() || !n.hasInput(1)) {
                continue;
            }
            String w = n.input(1);
            Tensor t = graph.initializers().get(w);
            if (t == null || t.dtype() != DType.FLOAT32 || out.containsKey(w) || t.size() == 0) {
                continue;
            }
            Integer axis = channelAxis(n, t.shape());
            if (axis != null) {
                out.put(w, of(w, n.opType(), t, axis));
            }
        }
        return out;
    }

    /** Channel axis of the weight of node n, -1 for one channel, null when n is not a Conv/Gemm/MatMul. */
    static Integer channelAxis(Node n, Shape s) {
        if (s.rank() < 2) {
            return switch (n.opType()) {
                case "Conv", "Gemm", "MatMul" -> -1;
                default -> null;
            };
        }
        return switch (n.opType()) {
            case "Conv" -> 0;
            case "Gemm" -> n.attrInt("transB", 0) != 0 ? 0 : 1;
            case "MatMul" -> s.rank() - 1;
            default -> null;
        };
    }

    static WeightStatistics of(String name, String opType, Tensor t, int axis) {
        float[] data = t.floats();
        boolean finite = true;
        for (float v : data) {
            if (Float.isInfinite(v)) {
                finite = false;
                break;
            }
        }
        // One channel: the whole tensor as a single row.
        float[][] mm = axis < 0
                ? PerChannelQuantParams.channelMinMax(data, Shape.of(1, data.length), 0)
                : PerChannelQuantParams.channelMinMax(data, t.shape(), axis);
        return new WeightStatistics(name, opType, t.shape(), axis, mm[0], mm[1], finite);
    }
}
