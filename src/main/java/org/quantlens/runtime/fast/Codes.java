package org.quantlens.runtime.fast;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.KernelException;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.runtime.reference.Requantizer;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Byte-level views shared by the fast kernels. An 8-bit tensor's codes are read as signed bytes {@code s}: INT8
 * as stored, UINT8 shifted by -128 ({@code s = (b & 0xff) - 128}, which is the stored byte with its top bit
 * flipped). The shift cancels wherever a zero point is subtracted, because the zero point gets the same shift.
 */
final class Codes {
    /** The byte species the fast kernels share (one shape only, see {@link RowRequantizer}). */
    static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Int8Gemm.LANES * Byte.SIZE));

    private Codes() {
    }

    /** 128 for UINT8, 0 for INT8; throws the reference kernels' message for any other type. */
    static int shiftOf(Tensor t) {
        if (t.dtype() == DType.UINT8) {
            return 128;
        }
        if (t.dtype() == DType.INT8) {
            return 0;
        }
        throw new KernelException("expected an int8 or uint8 tensor, got " + t.dtype().displayName());
    }

    /** XOR mask that turns a stored byte into its signed code: 0x80 for UINT8, 0 for INT8. */
    static int flipOf(int shift) {
        return shift == 128 ? 0x80 : 0;
    }

    /** {@code dst[to + j] = src[from + j] ^ flip} for {@code j < n}, a vector of bytes at a time. */
    static void copyFlipped(byte[] src, int from, byte[] dst, int to, int n, int flip) {
        int j = 0;
        for (; j + BYTES.length() <= n; j += BYTES.length()) {
            ByteVector.fromArray(BYTES, src, from + j).lanewise(VectorOperators.XOR, (byte) flip).intoArray(dst, to + j);
        }
        for (; j < n; j++) {
            dst[to + j] = (byte) (src[from + j] ^ flip);
        }
    }

    /** The true code of a stored byte ({@code b} or {@code b & 0xff}). */
    static int code(byte b, int shift) {
        return shift == 0 ? b : b & 0xff;
    }

    /**
     * Where a kernel writes: 8-bit codes requantized by {@code requant}, or (without one) the int32 accumulators.
     */
    static final class Output {
        private final Requantizer requant;
        private final RowRequantizer rows;
        private final boolean perChannel;
        private final byte[] codes;
        private final int[] ints;
        private final Shape shape;
        private final QuantParams y;

        Output(Requantizer requant, QuantParams y, Shape shape) {
            this.requant = requant;
            this.rows = requant == null ? null : new RowRequantizer(requant);
            this.perChannel = requant != null && requant.channels() > 1;
            this.codes = requant == null ? null : new byte[shape.numElements()];
            this.ints = requant == null ? new int[shape.numElements()] : null;
            this.shape = shape;
            this.y = y;
        }

        /** Stores accumulator {@code acc} of output channel {@code channel} at flat index {@code i}. */
        void put(int i, int acc, int channel) {
            if (codes != null) {
                codes[i] = (byte) requant.apply(acc, perChannel ? channel : 0);
            } else {
                ints[i] = acc;
            }
        }

        /**
         * Stores {@code acc[from + j] + addend} (int addition) of one channel at {@code outAt + j}, {@code j < count};
         * {@code acc} and {@code tmp} hold at least {@link Int8Gemm#roundUp}{@code (count)} values from
         * {@code from} and 0.
         */
        void putRow(int[] acc, int from, int count, int addend, int channel, int outAt, RowRequantizer.Scratch tmp) {
            if (codes != null) {
                rows.apply(acc, from, count, addend, perChannel ? channel : 0, codes, outAt, tmp);
            } else {
                for (int j = 0; j < count; j++) {
                    ints[outAt + j] = acc[from + j] + addend;
                }
            }
        }

        Tensor tensor() {
            return codes == null ? Tensor.ofInts(shape, ints) : Tensor.of(QuantTensors.dtypeFor(y), shape, codes);
        }
    }
}
