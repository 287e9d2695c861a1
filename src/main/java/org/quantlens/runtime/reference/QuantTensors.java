package org.quantlens.runtime.reference;

import org.quantlens.exec.KernelException;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.Quantizer;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Moves between 8-bit tensors and plain int codes. A quantized value is an INT8 or UINT8 {@link Tensor} whose
 * parameters are known from the graph (they are not stored in the tensor): INT8 when {@code qmin < 0}, else UINT8.
 */
public final class QuantTensors {
    private QuantTensors() {
    }

    /** The storage type for codes in {@code [p.qmin(), p.qmax()]}; throws for ranges wider than 8 bits. */
    public static DType dtypeFor(QuantParams p) {
        if (p.qmin() >= 0 && p.qmax() <= 255) {
            return DType.UINT8;
        }
        if (p.qmin() >= -128 && p.qmax() <= 127) {
            return DType.INT8;
        }
        throw new IllegalArgumentException("code range [" + p.qmin() + ", " + p.qmax() + "] does not fit 8 bits");
    }

    /** The codes of an INT8 (signed) or UINT8 (read as {@code b & 0xff}) tensor, as ints. */
    public static int[] codes(Tensor t) {
        byte[] b;
        if (t.dtype() == DType.INT8) {
            b = t.bytes();
            int[] q = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                q[i] = b[i];
            }
            return q;
        }
        if (t.dtype() == DType.UINT8) {
            b = t.bytes();
            int[] q = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                q[i] = b[i] & 0xff;
            }
            return q;
        }
        throw new KernelException("expected an int8 or uint8 tensor, got " + t.dtype().displayName());
    }

    /** Stores codes (already within {@code p}'s range) as a tensor of {@link #dtypeFor}{@code (p)}. */
    public static Tensor fromCodes(int[] q, Shape shape, QuantParams p) {
        byte[] b = new byte[q.length];
        for (int i = 0; i < q.length; i++) {
            b[i] = (byte) q[i];
        }
        return Tensor.of(dtypeFor(p), shape, b);
    }

    /** ONNX QuantizeLinear of a float32 tensor ({@link Quantizer}: rint half to even, saturate). */
    public static Tensor quantize(Tensor x, QuantParams p) {
        float[] f = x.toFloat32().floats();
        int[] q = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            q[i] = Quantizer.quantize(f[i], p.scale(), p.zeroPoint(), p.qmin(), p.qmax());
        }
        return fromCodes(q, x.shape(), p);
    }

    /** ONNX DequantizeLinear: {@code float32(q - zp) * scale}. */
    public static Tensor dequantize(Tensor q, QuantParams p) {
        int[] c = codes(q);
        float[] f = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            f[i] = Quantizer.dequantize(c[i], p.scale(), p.zeroPoint());
        }
        return Tensor.of(DType.FLOAT32, q.shape(), f);
    }

    /** {@code v} clamped to int32 range (accumulators are summed in long and saturated before requantizing). */
    public static int saturateToInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
