package org.quantlens.runtime.fast;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.OpKernel;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.reference.Requantizer;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Fast integer matrix product with a constant B, bit-exact with {@link org.quantlens.runtime.reference.QGemmKernel}
 * (same constructor and contract: {@code acc[r, j] = bias[j] + sum_k (a[r, k] - za) * (b[k, j] - zb[j])},
 * saturated to int32, then requantized or returned as int32).
 *
 * <p>B is stored once as signed bytes {@code bs = b - shift} (shift 128 when B's codes are uint8, else 0), padded
 * to whole vectors of columns, with {@code zs[j] = zb[j] - shift}. Per call A becomes {@code a - za} as int32 and
 * its row sums {@code ra[r]}; then {@code acc = bias[j] + sum (a - za) * bs - zs[j] * ra[r]} (gemmlowp's
 * zero-point correction), and the sum is {@link Int8Gemm}'s pure dot product. The int32 arithmetic wraps, so a
 * B/bias whose accumulators could leave int32 ({@code |bias| + K * 255 * max|b - zb|}) delegates to the reference
 * kernel, which saturates. Work is split over (row block, column block) tasks; threads never change a bit.
 */
public final class QGemmKernel implements OpKernel {
    private static final int ROW_BLOCK = 16;
    private static final int COLUMN_BLOCK = 256;

    private final org.quantlens.runtime.reference.QGemmKernel reference;
    private final int k;
    private final int n;
    private final int nPad;
    private final byte[] bs;
    private final int[] zs;
    private final int[] bias;
    private final boolean transA;
    private final boolean matMul;
    private final int za;
    private final boolean usable;
    private final QuantParams y;
    private final Requantizer requant;

    /** As {@link org.quantlens.runtime.reference.QGemmKernel#QGemmKernel}. */
    public QGemmKernel(int[] b, int k, int n, int[] bZero, int[] bias, boolean transA, boolean matMul,
                       QuantParams a, QuantParams y, Requantizer requant) {
        this.reference = new org.quantlens.runtime.reference.QGemmKernel(b, k, n, bZero, bias, transA, matMul, a,
                y, requant);
        this.k = k;
        this.n = n;
        this.nPad = Int8Gemm.roundUp(n);
        int lo = 0;
        int hi = 0;
        long maxAbs = 0;
        for (int i = 0; i < b.length; i++) {
            lo = Math.min(lo, b[i]);
            hi = Math.max(hi, b[i]);
            maxAbs = Math.max(maxAbs, Math.abs((long) b[i] - bZero[i % n]));
        }
        int shift = lo >= Byte.MIN_VALUE && hi <= Byte.MAX_VALUE ? 0 : 128;
        this.bs = new byte[k * nPad];
        this.zs = new int[n];
        for (int j = 0; j < n; j++) {
            zs[j] = bZero[j] - shift;
            for (int kk = 0; kk < k; kk++) {
                bs[kk * nPad + j] = (byte) (b[kk * n + j] - shift);
            }
        }
        long maxBias = 0;
        for (int j = 0; bias != null && j < n; j++) {
            maxBias = Math.max(maxBias, Math.abs((long) bias[j]));
        }
        this.usable = lo - shift >= Byte.MIN_VALUE && hi - shift <= Byte.MAX_VALUE
                && maxBias + (long) k * 255 * maxAbs <= Integer.MAX_VALUE;
        this.bias = bias;
        this.transA = transA;
        this.matMul = matMul;
        this.za = a.zeroPoint();
        this.y = y;
        this.requant = requant;
    }

    @Override
    public Tensor[] compute(Tensor[] inputs, ExecContext ctx) {
        Tensor in = inputs[0];
        int[] d = in.shape().dims();
        int rows = org.quantlens.runtime.reference.QGemmKernel.rowsOfA(in, k, transA, matMul);
        int shift = Codes.shiftOf(in);
        if (!usable) {
            return reference.compute(inputs, ctx);
        }
        int[] outDims = transA ? new int[] {d[1], n} : d.clone();
        outDims[outDims.length - 1] = n;
        Codes.Output out = new Codes.Output(requant, y, Shape.of(outDims));
        int[] a = new int[rows * k];
        int[] rowSum = new int[rows];
        widenA(in.bytes(), shift, rows, a, rowSum);
        int rowBlocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        int columnBlocks = Math.max(1, (nPad + COLUMN_BLOCK - 1) / COLUMN_BLOCK);
        int rowsF = rows;
        ctx.parallelFor(rowBlocks * columnBlocks, (long) ROW_BLOCK * k * COLUMN_BLOCK, (s, e) -> {
            int[] acc = new int[ROW_BLOCK * COLUMN_BLOCK];
            for (int t = s; t < e; t++) {
                int r0 = t / columnBlocks * ROW_BLOCK;
                int j0 = t % columnBlocks * COLUMN_BLOCK;
                int r1 = Math.min(rowsF, r0 + ROW_BLOCK);
                int width = Math.min(COLUMN_BLOCK, nPad - j0);
                Int8Gemm.multiply(r1 - r0, width, k, a, r0 * k, k, bs, j0, nPad, acc, 0, width);
                for (int r = r0; r < r1; r++) {
                    for (int j = j0; j < Math.min(n, j0 + width); j++) {
                        int v = (bias == null ? 0 : bias[j]) + acc[(r - r0) * width + j - j0] - zs[j] * rowSum[r];
                        out.put(r * n + j, v, j);
                    }
                }
            }
        });
        return new Tensor[] {out.tensor()};
    }

    /** a[r, kk] = A[r, kk] - za as int32 (reading A transposed for transA), rowSum[r] = sum over kk. */
    private void widenA(byte[] src, int shift, int rows, int[] a, int[] rowSum) {
        for (int r = 0; r < rows; r++) {
            int sum = 0;
            for (int kk = 0; kk < k; kk++) {
                int v = Codes.code(src[transA ? kk * rows + r : r * k + kk], shift) - za;
                a[r * k + kk] = v;
                sum += v;
            }
            rowSum[r] = sum;
        }
    }
}
