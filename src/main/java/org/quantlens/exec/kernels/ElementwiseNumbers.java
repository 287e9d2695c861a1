package org.quantlens.exec.kernels;

import org.quantlens.exec.KernelException;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Conversions between the integer tensor types and a {@code long[]} working form, for kernels whose integer variants
 * compute in 64 bits and narrow at the end. Narrowing keeps the low bits of the destination width (two's complement
 * wrap-around), which is how ONNX Runtime's C++ integer arithmetic and ONNX's integer Cast behave.
 */
final class ElementwiseNumbers {
    private ElementwiseNumbers() {
    }

    /** The smallest value of an integer type (UINT8 0). */
    static long minOf(DType t) {
        return switch (t) {
            case INT8 -> Byte.MIN_VALUE;
            case UINT8 -> 0;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> throw new IllegalArgumentException("not an integer type: " + t.displayName());
        };
    }

    /** The largest value of an integer type (UINT8 255). */
    static long maxOf(DType t) {
        return switch (t) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case INT64 -> Long.MAX_VALUE;
            default -> throw new IllegalArgumentException("not an integer type: " + t.displayName());
        };
    }

    /** The elements of an integer or bool tensor as longs (UINT8 unsigned); INT64 data is returned as is. */
    static long[] longs(Tensor t) {
        return t.dtype() == DType.INT64 ? t.longs() : t.toLongArray();
    }

    /** A tensor of integer type {@code t} holding the low bits of each value (wrap-around narrowing). */
    static Tensor fromLongs(DType t, Shape shape, long[] v) {
        Object data = switch (t) {
            case INT8, UINT8 -> {
                byte[] r = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = (byte) v[i];
                }
                yield r;
            }
            case INT16 -> {
                short[] r = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = (short) v[i];
                }
                yield r;
            }
            case INT32 -> {
                int[] r = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = (int) v[i];
                }
                yield r;
            }
            case INT64 -> v;
            default -> throw new IllegalArgumentException("not an integer type: " + t.displayName());
        };
        return Tensor.of(t, shape, data);
    }

    /** Throws unless {@code t} is one of {@code allowed}. */
    static void requireType(String op, Tensor t, DType... allowed) {
        for (DType a : allowed) {
            if (t.dtype() == a) {
                return;
            }
        }
        throw new KernelException(op + " does not support " + t.dtype().displayName() + " inputs");
    }

    /** The input at {@code i}, or a KernelException naming it when it is missing. */
    static Tensor required(Tensor[] inputs, int i, String what) {
        if (inputs.length <= i || inputs[i] == null) {
            throw new KernelException("missing input " + i + " (" + what + ")");
        }
        return inputs[i];
    }

    /** The optional input at {@code i}, or null. */
    static Tensor optional(Tensor[] inputs, int i) {
        return inputs.length > i ? inputs[i] : null;
    }
}
