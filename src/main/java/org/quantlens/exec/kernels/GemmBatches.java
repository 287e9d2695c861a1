package org.quantlens.exec.kernels;

import java.util.Arrays;
import org.quantlens.exec.KernelException;

/**
 * The batch axes of a MatMul (every axis but the last two) broadcast numpy-style, right-aligned: for output batch
 * {@code i}, which matrix of A and which of B it multiplies.
 */
record GemmBatches(int[] batchDims, int[] aIndex, int[] bIndex) {

    /** Broadcasts the batch axes of A dims {@code ad} and B dims {@code bd} (both rank >= 2). */
    static GemmBatches of(int[] ad, int[] bd) {
        int ar = ad.length - 2;
        int br = bd.length - 2;
        int r = Math.max(ar, br);
        int[] dims = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - ar) >= 0 ? ad[i - (r - ar)] : 1;
            int db = i - (r - br) >= 0 ? bd[i - (r - br)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new KernelException("batch dimensions " + Arrays.toString(Arrays.copyOf(ad, ar)) + " and "
                        + Arrays.toString(Arrays.copyOf(bd, br)) + " do not broadcast");
            }
            dims[i] = da == 1 ? db : da;
        }
        long total = 1;
        for (int d : dims) {
            total *= d;
        }
        int count = Math.toIntExact(total);
        int[] ai = new int[count];
        int[] bi = new int[count];
        int[] coord = new int[r];
        for (int i = 0; i < count; i++) {
            ai[i] = flatIndex(coord, ad, ar, r);
            bi[i] = flatIndex(coord, bd, br, r);
            for (int axis = r - 1; axis >= 0; axis--) {
                if (++coord[axis] < dims[axis]) {
                    break;
                }
                coord[axis] = 0;
            }
        }
        return new GemmBatches(dims, ai, bi);
    }

    /** Flat batch index into an operand with {@code rank} batch axes; broadcast axes (size 1) read index 0. */
    private static int flatIndex(int[] coord, int[] dims, int rank, int outRank) {
        int idx = 0;
        for (int i = 0; i < rank; i++) {
            int c = coord[i + outRank - rank];
            idx = idx * dims[i] + (dims[i] == 1 ? 0 : c);
        }
        return idx;
    }

    int count() {
        return aIndex.length;
    }

    int aIndex(int i) {
        return aIndex[i];
    }

    int bIndex(int i) {
        return bIndex[i];
    }

    /** Result dims: batch axes, then M unless A was 1-D, then N unless B was 1-D. */
    int[] outputDims(int aRank, int bRank, int m, int n) {
        int[] d = Arrays.copyOf(batchDims, batchDims.length + (aRank > 1 ? 1 : 0) + (bRank > 1 ? 1 : 0));
        int p = batchDims.length;
        if (aRank > 1) {
            d[p++] = m;
        }
        if (bRank > 1) {
            d[p] = n;
        }
        return d;
    }
}
