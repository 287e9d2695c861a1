package org.quantlens.runtime.fast;

import java.util.Arrays;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.OpKernel;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.RequantMode;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Fast Add, Mul and requantize-and-clamp, bit-exact with
 * {@link org.quantlens.runtime.reference.QElementwiseKernels} (same methods, same contracts) by construction: an
 * 8-bit output code is a function of the 8-bit input code(s) alone, so each kernel asks the reference kernel once
 * for every possible input byte (a 256-entry table, or 256 x 256 for the binary ops, built from broadcast
 * {@code [256, 1]} and {@code [1, 256]} tensors) and then only looks results up. Lookups run on same-shaped inputs
 * (the residual Add of a network); broadcasting inputs, and inputs whose storage type is not the one their
 * parameters imply, go to the reference kernel itself. Parallel over element ranges; threads never change a bit.
 */
public final class QElementwiseKernels {
    private static final int CODES = 256;

    private QElementwiseKernels() {
    }

    /** As {@link org.quantlens.runtime.reference.QElementwiseKernels#add}. */
    public static OpKernel add(QuantParams a, QuantParams b, QuantParams y, int lo, int hi, RequantMode mode) {
        return binary(org.quantlens.runtime.reference.QElementwiseKernels.add(a, b, y, lo, hi, mode), a, b, y);
    }

    /** As {@link org.quantlens.runtime.reference.QElementwiseKernels#mul}. */
    public static OpKernel mul(QuantParams a, QuantParams b, QuantParams y, int lo, int hi, RequantMode mode) {
        return binary(org.quantlens.runtime.reference.QElementwiseKernels.mul(a, b, y, lo, hi, mode), a, b, y);
    }

    /** As {@link org.quantlens.runtime.reference.QElementwiseKernels#requantizeClamp}. */
    public static OpKernel requantizeClamp(QuantParams x, QuantParams y, int lo, int hi, RequantMode mode) {
        byte[] table = org.quantlens.runtime.reference.QElementwiseKernels.requantize(everyByte(x, CODES, 1), x, y,
                lo, hi, mode).bytes();
        DType in = QuantTensors.dtypeFor(x);
        DType out = QuantTensors.dtypeFor(y);
        OpKernel reference = org.quantlens.runtime.reference.QElementwiseKernels.requantizeClamp(x, y, lo, hi, mode);
        return (inputs, ctx) -> {
            Tensor t = inputs[0];
            if (t.dtype() != in) {
                return reference.compute(inputs, ctx);
            }
            byte[] src = t.bytes();
            byte[] dst = new byte[src.length];
            ctx.parallelFor(src.length, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    dst[i] = table[src[i] & 0xff];
                }
            });
            return new Tensor[] {Tensor.of(out, t.shape(), dst)};
        };
    }

    /** As {@link org.quantlens.runtime.reference.QElementwiseKernels#requantize} (through a fresh table). */
    public static Tensor requantize(Tensor t, QuantParams x, QuantParams y, int lo, int hi, RequantMode mode) {
        return requantizeClamp(x, y, lo, hi, mode).compute(new Tensor[] {t}, ExecContext.singleThreaded())[0];
    }

    /** The lookup form of a binary reference kernel: {@code y = table[byteA * 256 + byteB]}. */
    private static OpKernel binary(OpKernel reference, QuantParams a, QuantParams b, QuantParams y) {
        byte[] table = reference.compute(new Tensor[] {everyByte(a, CODES, 1), everyByte(b, 1, CODES)},
                ExecContext.singleThreaded())[0].bytes();
        DType ta = QuantTensors.dtypeFor(a);
        DType tb = QuantTensors.dtypeFor(b);
        DType out = QuantTensors.dtypeFor(y);
        return (inputs, ctx) -> {
            Tensor x0 = inputs[0];
            Tensor x1 = inputs[1];
            if (x0.dtype() != ta || x1.dtype() != tb || !Arrays.equals(x0.shape().dims(), x1.shape().dims())) {
                return reference.compute(inputs, ctx);
            }
            byte[] p = x0.bytes();
            byte[] q = x1.bytes();
            byte[] dst = new byte[p.length];
            ctx.parallelFor(p.length, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    dst[i] = table[(p[i] & 0xff) * CODES + (q[i] & 0xff)];
                }
            });
            return new Tensor[] {Tensor.of(out, x0.shape(), dst)};
        };
    }

    /** A {@code rows x cols} tensor (one of them 256) of {@code p}'s storage type holding the bytes 0..255. */
    private static Tensor everyByte(QuantParams p, int rows, int cols) {
        byte[] b = new byte[CODES];
        for (int i = 0; i < CODES; i++) {
            b[i] = (byte) i;
        }
        return Tensor.of(QuantTensors.dtypeFor(p), Shape.of(rows, cols), b);
    }
}
