package org.quantlens.exec.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.kernels.SgemmBlocks.Rows;

/**
 * {@link SgemmBlocks#block6x2} with a fused clamp: the same six-row by two-vector block over one K panel (the same
 * fused multiply-add chains, so the same bits before the clamp), whose accumulators are stored as
 * {@code min(hi, max(acc, lo))} lane by lane, exactly {@link ConvClamp#apply} on the stored values. For the last
 * (here: only) K panel of a short-K product with a fused Relu6 ({@link Sgemm#multiplyClamped}), so the output is
 * neither re-read nor re-written by a clamp pass.
 *
 * <p>A separate method rather than a clamp hook inside {@link SgemmBlocks}: a call returning a vector from the
 * block's store section made C2 box the accumulators (2x slower).
 */
final class SgemmClampedBlock {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    private SgemmClampedBlock() {
    }

    /** Six rows by two vectors, clamped to {@code [lo, hi]} as stored; see the class comment. */
    static void block6x2(int kc, Rows rows, int i, float[] bs, int bStart, int bStride, float[] c, int c0, int ldc,
                         float lo, float hi) {
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
        FloatVector low = FloatVector.broadcast(SPECIES, lo);
        FloatVector high = FloatVector.broadcast(SPECIES, hi);
        r00.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0);
        r01.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + VL);
        r10.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + ldc);
        r11.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + ldc + VL);
        r20.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 2 * ldc);
        r21.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 2 * ldc + VL);
        r30.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 3 * ldc);
        r31.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 3 * ldc + VL);
        r40.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 4 * ldc);
        r41.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 4 * ldc + VL);
        r50.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 5 * ldc);
        r51.lanewise(VectorOperators.MAX, low).lanewise(VectorOperators.MIN, high).intoArray(c, c0 + 5 * ldc + VL);
    }
}
