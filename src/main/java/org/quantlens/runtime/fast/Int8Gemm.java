package org.quantlens.runtime.fast;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The integer product under the fast Conv and Gemm kernels: {@code C = A * B} with A as int32 and B as signed bytes,
 * every element {@code c[i, j] = sum_p a[i, p] * b[p, j]} in int32 arithmetic (wrapping modulo 2^32, so callers
 * that know the true sum fits int32 get it exactly, in any summation order).
 *
 * <p>Vectorised over the columns of B: one {@code ByteVector} of B's row {@code p} is sign-extended to an
 * {@code IntVector} of the same lane count (128-bit bytes to 512-bit ints on AVX-512), then multiplied by the
 * broadcast {@code a[i, p]} of four rows at once, so each widening serves four multiply-adds and 8 accumulators stay
 * in registers. No horizontal reductions are needed. {@code width} must be a multiple of {@link #LANES}.
 */
final class Int8Gemm {
    /** Int lanes per vector (at least 8, so that the matching byte vector is a legal 64-bit or wider shape). */
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED.length() >= 8
            ? IntVector.SPECIES_PREFERRED : IntVector.SPECIES_256;
    static final int LANES = INTS.length();
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * Byte.SIZE));

    private Int8Gemm() {
    }

    /** {@code n} rounded up to a multiple of {@link #LANES}. */
    static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /**
     * {@code c[cOff + i*ldc + j] = sum_{p < k} a[aOff + i*lda + p] * b[bOff + p*ldb + j]} for {@code i < rows},
     * {@code j < width}; overwrites C. {@code width % LANES == 0}.
     */
    static void multiply(int rows, int width, int k, int[] a, int aOff, int lda, byte[] b, int bOff, int ldb,
                         int[] c, int cOff, int ldc) {
        int j = 0;
        for (; j + 2 * LANES <= width; j += 2 * LANES) {
            int i = 0;
            for (; i + 4 <= rows; i += 4) {
                block4x2(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            }
            for (; i < rows; i++) {
                block1x2(k, a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j);
            }
        }
        for (; j < width; j += LANES) {
            for (int i = 0; i < rows; i++) {
                block1x1(k, a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j);
            }
        }
    }

    private static IntVector widen(byte[] b, int at) {
        return (IntVector) ByteVector.fromArray(BYTES, b, at).convertShape(VectorOperators.B2I, INTS, 0);
    }

    /** {@link #LANES} bytes from {@code b[at]}, each XORed with {@code flip} and sign-extended to int. */
    static IntVector widen(byte[] b, int at, int flip) {
        return (IntVector) ByteVector.fromArray(BYTES, b, at).lanewise(VectorOperators.XOR, (byte) flip)
                .convertShape(VectorOperators.B2I, INTS, 0);
    }

    /** Four rows by two vectors of columns. */
    private static void block4x2(int k, int[] a, int a0, int lda, byte[] b, int b0, int ldb, int[] c, int c0,
                                 int ldc) {
        IntVector r00 = IntVector.zero(INTS);
        IntVector r01 = IntVector.zero(INTS);
        IntVector r10 = IntVector.zero(INTS);
        IntVector r11 = IntVector.zero(INTS);
        IntVector r20 = IntVector.zero(INTS);
        IntVector r21 = IntVector.zero(INTS);
        IntVector r30 = IntVector.zero(INTS);
        IntVector r31 = IntVector.zero(INTS);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0, bi = b0; p < k; p++, bi += ldb) {
            IntVector x0 = widen(b, bi);
            IntVector x1 = widen(b, bi + LANES);
            int w = a[a0 + p];
            r00 = r00.add(x0.mul(w));
            r01 = r01.add(x1.mul(w));
            w = a[a1 + p];
            r10 = r10.add(x0.mul(w));
            r11 = r11.add(x1.mul(w));
            w = a[a2 + p];
            r20 = r20.add(x0.mul(w));
            r21 = r21.add(x1.mul(w));
            w = a[a3 + p];
            r30 = r30.add(x0.mul(w));
            r31 = r31.add(x1.mul(w));
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + LANES);
        r10.intoArray(c, c0 + ldc);
        r11.intoArray(c, c0 + ldc + LANES);
        r20.intoArray(c, c0 + 2 * ldc);
        r21.intoArray(c, c0 + 2 * ldc + LANES);
        r30.intoArray(c, c0 + 3 * ldc);
        r31.intoArray(c, c0 + 3 * ldc + LANES);
    }

    private static void block1x2(int k, int[] a, int a0, byte[] b, int b0, int ldb, int[] c, int c0) {
        IntVector r0 = IntVector.zero(INTS);
        IntVector r1 = IntVector.zero(INTS);
        for (int p = 0, bi = b0; p < k; p++, bi += ldb) {
            int w = a[a0 + p];
            r0 = r0.add(widen(b, bi).mul(w));
            r1 = r1.add(widen(b, bi + LANES).mul(w));
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + LANES);
    }

    private static void block1x1(int k, int[] a, int a0, byte[] b, int b0, int ldb, int[] c, int c0) {
        IntVector r0 = IntVector.zero(INTS);
        for (int p = 0, bi = b0; p < k; p++, bi += ldb) {
            r0 = r0.add(widen(b, bi).mul(a[a0 + p]));
        }
        r0.intoArray(c, c0);
    }
}
