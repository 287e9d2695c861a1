package org.quantlens.runtime;

import org.quantlens.ir.Graph;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.Quantizer;
import org.quantlens.tensor.Tensor;

/**
 * The real clamp range of a Relu or Clip node and its image in the quantized domain. Relu is [0, +inf); Clip takes
 * {@code min}/{@code max} from attributes before opset 11 and from constant (initializer) inputs from 11 on, each
 * defaulting to -inf/+inf. In codes: {@code [max(qmin, quantize(min)), min(qmax, quantize(max))]}, exact because
 * quantization is monotone (so clamping codes equals quantizing the clamped real value).
 *
 * @param min real lower bound (may be -infinity)
 * @param max real upper bound (may be +infinity)
 */
record ActivationClamp(float min, float max) {

    static final ActivationClamp NONE = new ActivationClamp(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

    /** The node's clamp, or null when it is no Relu/Clip or its bounds are not constant. */
    static ActivationClamp of(Node n, Graph g, long opset) {
        if (n.opType().equals("Relu")) {
            return new ActivationClamp(0f, Float.POSITIVE_INFINITY);
        }
        if (!n.opType().equals("Clip")) {
            return null;
        }
        if (opset < 11) {
            return new ActivationClamp(n.attrFloat("min", Float.NEGATIVE_INFINITY),
                    n.attrFloat("max", Float.POSITIVE_INFINITY));
        }
        Float lo = bound(n, g, 1, Float.NEGATIVE_INFINITY);
        Float hi = bound(n, g, 2, Float.POSITIVE_INFINITY);
        return lo == null || hi == null ? null : new ActivationClamp(lo, hi);
    }

    private static Float bound(Node n, Graph g, int i, float dflt) {
        if (!n.hasInput(i)) {
            return dflt;
        }
        Tensor t = g.initializers().get(n.input(i));
        return t == null || t.size() != 1 ? null : (float) t.getDouble(0);
    }

    /** Lowest code allowed under {@code p}. */
    int lo(QuantParams p) {
        return Math.max(p.qmin(), Quantizer.quantize(min, p.scale(), p.zeroPoint(), p.qmin(), p.qmax()));
    }

    /** Highest code allowed under {@code p}; may be below {@link #lo} only for an empty Clip (min > max). */
    int hi(QuantParams p) {
        return Math.min(p.qmax(), Quantizer.quantize(max, p.scale(), p.zeroPoint(), p.qmin(), p.qmax()));
    }
}
