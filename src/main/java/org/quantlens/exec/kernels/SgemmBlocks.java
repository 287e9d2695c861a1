package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernels of {@link Sgemm}: each computes a block of C rows by one or two vectors of
 * columns over one K panel, keeping the block's accumulators in registers. Every element is the fused multiply-add
 * chain {@code start, +a[i][0]*b[0][j], +a[i][1]*b[1][j], ...} in increasing p, so all blocks give the same bits as
 * {@link SgemmReference}; they differ only in how many B loads and A broadcasts each multiply-add costs.
 *
 * <p>The blocks are spelled out row by row on purpose: each accumulator must be its own local variable for C2 to
 * keep it in a register (an array of vectors, or a loop over rows, makes the Vector API box them), so the
 * repetition between block sizes is the price of the register blocking, not shared logic to factor out.
 */
final class SgemmBlocks {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    private SgemmBlocks() {
    }

    /**
     * The A operand of one K panel ({@code a[aStart + i * lda + p]} is row i, step p) and where each row's chain
     * starts: at {@code init[initOff + i]} when {@code init} is non-null, else at the current C.
     */
    record Rows(float[] a, int aStart, int lda, float[] init, int initOff) {
        int row(int i) {
            return aStart + i * lda;
        }

        /** The same rows starting at row {@code i} (row 0 of the result is row i here). */
        Rows shifted(int i) {
            return new Rows(a, aStart + i * lda, lda, init, initOff + i);
        }

        /** The starting accumulator of row i at C offset {@code ci}. */
        FloatVector start(int i, float[] c, int ci) {
            return init == null ? FloatVector.fromArray(SPECIES, c, ci)
                    : FloatVector.broadcast(SPECIES, init[initOff + i]);
        }
    }

    /**
     * Twelve rows by two vectors: 24 accumulators (of AVX-512's 32 registers), 2 B loads and 12 broadcasts per
     * 24 fused multiply-adds, so each B vector loaded serves twice as many rows as in {@link #block6x2}.
     */
    static void block12x2(int kc, Rows rows, int i, float[] bs, int bStart, int bStride,
                                  float[] c, int c0, int ldc) {
        float[] a = rows.a();
        int lda = rows.lda();
        int a0 = rows.row(i);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        int a8 = a7 + lda;
        int a9 = a8 + lda;
        int a10 = a9 + lda;
        int a11 = a10 + lda;
        FloatVector r00 = rows.start(i, c, c0);
        FloatVector r01 = rows.start(i, c, c0 + VL);
        FloatVector r10 = rows.start(i + 1, c, c0 + 1 * ldc);
        FloatVector r11 = rows.start(i + 1, c, c0 + 1 * ldc + VL);
        FloatVector r20 = rows.start(i + 2, c, c0 + 2 * ldc);
        FloatVector r21 = rows.start(i + 2, c, c0 + 2 * ldc + VL);
        FloatVector r30 = rows.start(i + 3, c, c0 + 3 * ldc);
        FloatVector r31 = rows.start(i + 3, c, c0 + 3 * ldc + VL);
        FloatVector r40 = rows.start(i + 4, c, c0 + 4 * ldc);
        FloatVector r41 = rows.start(i + 4, c, c0 + 4 * ldc + VL);
        FloatVector r50 = rows.start(i + 5, c, c0 + 5 * ldc);
        FloatVector r51 = rows.start(i + 5, c, c0 + 5 * ldc + VL);
        FloatVector r60 = rows.start(i + 6, c, c0 + 6 * ldc);
        FloatVector r61 = rows.start(i + 6, c, c0 + 6 * ldc + VL);
        FloatVector r70 = rows.start(i + 7, c, c0 + 7 * ldc);
        FloatVector r71 = rows.start(i + 7, c, c0 + 7 * ldc + VL);
        FloatVector r80 = rows.start(i + 8, c, c0 + 8 * ldc);
        FloatVector r81 = rows.start(i + 8, c, c0 + 8 * ldc + VL);
        FloatVector r90 = rows.start(i + 9, c, c0 + 9 * ldc);
        FloatVector r91 = rows.start(i + 9, c, c0 + 9 * ldc + VL);
        FloatVector r100 = rows.start(i + 10, c, c0 + 10 * ldc);
        FloatVector r101 = rows.start(i + 10, c, c0 + 10 * ldc + VL);
        FloatVector r110 = rows.start(i + 11, c, c0 + 11 * ldc);
        FloatVector r111 = rows.start(i + 11, c, c0 + 11 * ldc + VL);
        for (int p = 0, bi = bStart; p < kc; p++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bs, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bs, bi + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
            r00 = x.fma(b0, r00);
            r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(SPECIES, a[a1 + p]);
            r10 = x.fma(b0, r10);
            r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(SPECIES, a[a2 + p]);
            r20 = x.fma(b0, r20);
            r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(SPECIES, a[a3 + p]);
            r30 = x.fma(b0, r30);
            r31 = x.fma(b1, r31);
            x = FloatVector.broadcast(SPECIES, a[a4 + p]);
            r40 = x.fma(b0, r40);
            r41 = x.fma(b1, r41);
            x = FloatVector.broadcast(SPECIES, a[a5 + p]);
            r50 = x.fma(b0, r50);
            r51 = x.fma(b1, r51);
            x = FloatVector.broadcast(SPECIES, a[a6 + p]);
            r60 = x.fma(b0, r60);
            r61 = x.fma(b1, r61);
            x = FloatVector.broadcast(SPECIES, a[a7 + p]);
            r70 = x.fma(b0, r70);
            r71 = x.fma(b1, r71);
            x = FloatVector.broadcast(SPECIES, a[a8 + p]);
            r80 = x.fma(b0, r80);
            r81 = x.fma(b1, r81);
            x = FloatVector.broadcast(SPECIES, a[a9 + p]);
            r90 = x.fma(b0, r90);
            r91 = x.fma(b1, r91);
            x = FloatVector.broadcast(SPECIES, a[a10 + p]);
            r100 = x.fma(b0, r100);
            r101 = x.fma(b1, r101);
            x = FloatVector.broadcast(SPECIES, a[a11 + p]);
            r110 = x.fma(b0, r110);
            r111 = x.fma(b1, r111);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + VL);
        r10.intoArray(c, c0 + 1 * ldc);
        r11.intoArray(c, c0 + 1 * ldc + VL);
        r20.intoArray(c, c0 + 2 * ldc);
        r21.intoArray(c, c0 + 2 * ldc + VL);
        r30.intoArray(c, c0 + 3 * ldc);
        r31.intoArray(c, c0 + 3 * ldc + VL);
        r40.intoArray(c, c0 + 4 * ldc);
        r41.intoArray(c, c0 + 4 * ldc + VL);
        r50.intoArray(c, c0 + 5 * ldc);
        r51.intoArray(c, c0 + 5 * ldc + VL);
        r60.intoArray(c, c0 + 6 * ldc);
        r61.intoArray(c, c0 + 6 * ldc + VL);
        r70.intoArray(c, c0 + 7 * ldc);
        r71.intoArray(c, c0 + 7 * ldc + VL);
        r80.intoArray(c, c0 + 8 * ldc);
        r81.intoArray(c, c0 + 8 * ldc + VL);
        r90.intoArray(c, c0 + 9 * ldc);
        r91.intoArray(c, c0 + 9 * ldc + VL);
        r100.intoArray(c, c0 + 10 * ldc);
        r101.intoArray(c, c0 + 10 * ldc + VL);
        r110.intoArray(c, c0 + 11 * ldc);
        r111.intoArray(c, c0 + 11 * ldc + VL);
    }

    /** Six rows by two vectors: 12 accumulators, 2 B loads and 6 broadcasts per 12 fused multiply-adds. */
    static void block6x2(int kc, Rows rows, int i, float[] bs, int bStart, int bStride,
                                 float[] c, int c0, int ldc) {
        float[] a = rows.a();
        int a0 = rows.row(i);
        int lda = rows.lda();
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        FloatVector r00 = rows.start(i, c, c0);
        FloatVector r01 = rows.start(i, c, c0 + VL);
        FloatVector r10 = rows.start(i + 1, c, c0 + ldc);
        FloatVector r11 = rows.start(i + 1, c, c0 + ldc + VL);
        FloatVector r20 = rows.start(i + 2, c, c0 + 2 * ldc);
        FloatVector r21 = rows.start(i + 2, c, c0 + 2 * ldc + VL);
        FloatVector r30 = rows.start(i + 3, c, c0 + 3 * ldc);
        FloatVector r31 = rows.start(i + 3, c, c0 + 3 * ldc + VL);
        FloatVector r40 = rows.start(i + 4, c, c0 + 4 * ldc);
        FloatVector r41 = rows.start(i + 4, c, c0 + 4 * ldc + VL);
        FloatVector r50 = rows.start(i + 5, c, c0 + 5 * ldc);
        FloatVector r51 = rows.start(i + 5, c, c0 + 5 * ldc + VL);
        for (int p = 0, bi = bStart; p < kc; p++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bs, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bs, bi + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
            r00 = x.fma(b0, r00);
            r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(SPECIES, a[a1 + p]);
            r10 = x.fma(b0, r10);
            r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(SPECIES, a[a2 + p]);
            r20 = x.fma(b0, r20);
            r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(SPECIES, a[a3 + p]);
            r30 = x.fma(b0, r30);
            r31 = x.fma(b1, r31);
            x = FloatVector.broadcast(SPECIES, a[a4 + p]);
            r40 = x.fma(b0, r40);
            r41 = x.fma(b1, r41);
            x = FloatVector.broadcast(SPECIES, a[a5 + p]);
            r50 = x.fma(b0, r50);
            r51 = x.fma(b1, r51);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + VL);
        r10.intoArray(c, c0 + ldc);
        r11.intoArray(c, c0 + ldc + VL);
        r20.intoArray(c, c0 + 2 * ldc);
        r21.intoArray(c, c0 + 2 * ldc + VL);
        r30.intoArray(c, c0 + 3 * ldc);
        r31.intoArray(c, c0 + 3 * ldc + VL);
        r40.intoArray(c, c0 + 4 * ldc);
        r41.intoArray(c, c0 + 4 * ldc + VL);
        r50.intoArray(c, c0 + 5 * ldc);
        r51.intoArray(c, c0 + 5 * ldc + VL);
    }

    static void block4x2(int kc, Rows rows, int i, float[] bs, int bStart, int bStride,
                                 float[] c, int c0, int ldc) {
        float[] a = rows.a();
        int a0 = rows.row(i);
        int a1 = a0 + rows.lda();
        int a2 = a1 + rows.lda();
        int a3 = a2 + rows.lda();
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector r00 = rows.start(i, c, c0);
        FloatVector r01 = rows.start(i, c, c0 + VL);
        FloatVector r10 = rows.start(i + 1, c, c1);
        FloatVector r11 = rows.start(i + 1, c, c1 + VL);
        FloatVector r20 = rows.start(i + 2, c, c2);
        FloatVector r21 = rows.start(i + 2, c, c2 + VL);
        FloatVector r30 = rows.start(i + 3, c, c3);
        FloatVector r31 = rows.start(i + 3, c, c3 + VL);
        for (int p = 0, bi = bStart; p < kc; p++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bs, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bs, bi + VL);
            FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + p]);
            r00 = x0.fma(b0, r00);
            r01 = x0.fma(b1, r01);
            FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + p]);
            r10 = x1.fma(b0, r10);
            r11 = x1.fma(b1, r11);
            FloatVector x2 = FloatVector.broadcast(SPECIES, a[a2 + p]);
            r20 = x2.fma(b0, r20);
            r21 = x2.fma(b1, r21);
            FloatVector x3 = FloatVector.broadcast(SPECIES, a[a3 + p]);
            r30 = x3.fma(b0, r30);
            r31 = x3.fma(b1, r31);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + VL);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + VL);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + VL);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + VL);
    }

    static void block1x2(int kc, Rows rows, int i, float[] bs, int bStart, int bStride, float[] c, int c0) {
        float[] a = rows.a();
        int a0 = rows.row(i);
        FloatVector r0 = rows.start(i, c, c0);
        FloatVector r1 = rows.start(i, c, c0 + VL);
        for (int p = 0, bi = bStart; p < kc; p++, bi += bStride) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
            r0 = x.fma(FloatVector.fromArray(SPECIES, bs, bi), r0);
            r1 = x.fma(FloatVector.fromArray(SPECIES, bs, bi + VL), r1);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + VL);
    }

    static void block4x1(int kc, Rows rows, int i, float[] bs, int bStart, int bStride,
                                 float[] c, int c0, int ldc) {
        float[] a = rows.a();
        int a0 = rows.row(i);
        int a1 = a0 + rows.lda();
        int a2 = a1 + rows.lda();
        int a3 = a2 + rows.lda();
        FloatVector r0 = rows.start(i, c, c0);
        FloatVector r1 = rows.start(i + 1, c, c0 + ldc);
        FloatVector r2 = rows.start(i + 2, c, c0 + 2 * ldc);
        FloatVector r3 = rows.start(i + 3, c, c0 + 3 * ldc);
        for (int p = 0, bi = bStart; p < kc; p++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bs, bi);
            r0 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(b0, r0);
            r1 = FloatVector.broadcast(SPECIES, a[a1 + p]).fma(b0, r1);
            r2 = FloatVector.broadcast(SPECIES, a[a2 + p]).fma(b0, r2);
            r3 = FloatVector.broadcast(SPECIES, a[a3 + p]).fma(b0, r3);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + ldc);
        r2.intoArray(c, c0 + 2 * ldc);
        r3.intoArray(c, c0 + 3 * ldc);
    }

    static void block1x1(int kc, Rows rows, int i, float[] bs, int bStart, int bStride, float[] c, int c0) {
        float[] a = rows.a();
        int a0 = rows.row(i);
        FloatVector r0 = rows.start(i, c, c0);
        for (int p = 0, bi = bStart; p < kc; p++, bi += bStride) {
            r0 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(FloatVector.fromArray(SPECIES, bs, bi), r0);
        }
        r0.intoArray(c, c0);
    }
}
