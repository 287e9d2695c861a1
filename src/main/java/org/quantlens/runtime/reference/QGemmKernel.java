package org.quantlens.runtime.reference;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.OpKernel;
import org.quantlens.quant.QuantParams;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Integer matrix product with a constant right-hand side: ONNX Gemm ({@code alpha = beta = 1}, C a per-column bias)
 * and MatMul with an initializer B (QLinearMatMul / TFLite {@code FullyConnected} semantics):
 * <pre>
 *   acc[r, j] = bias[j] + sum_k (a[r, k] - za) * (b[k, j] - zb[j])
 *   y[r, j]   = clamp(zy + requant(acc, s_a * s_b[j] / s_y), lo, hi)      (see {@link Requantizer})
 * </pre>
 * Rows {@code r} are every leading index of A: Gemm takes A as [M, K] (or [K, M] with {@code transA}); MatMul takes
 * A as [..., M, K] and returns [..., M, N]. B is stored as [K, N] (a transB weight was transposed when the model was
 * built). The sum is kept in long and saturated to int32 before requantization. {@code K = 0} gives
 * {@code acc = bias}. Without a requantizer ({@code requant == null}, ONNX MatMulInteger) the output is the int32
 * accumulator itself, as an INT32 tensor.
 */
public final class QGemmKernel implements OpKernel {
    private final int[] b;
    private final int k;
    private final int n;
    private final int[] bZero;
    private final int[] bias;
    private final boolean transA;
    private final boolean matMul;
    private final QuantParams a;
    private final QuantParams y;
    private final Requantizer requant;

    /**
     * @param b      B codes row-major [K, N]
     * @param bZero  zero point per column (length N)
     * @param bias   int32 bias per column (scale {@code s_a * s_b[j]}), or null
     * @param transA Gemm's transA (A given as [K, M])
     * @param matMul true for MatMul's batched [..., M, K] A, false for Gemm's 2-D A
     * @param a      A's parameters (only the zero point is read)
     * @param y      output parameters, or null with {@code requant == null}
     * @param requant the output stage, or null for int32 accumulators
     */
    public QGemmKernel(int[] b, int k, int n, int[] bZero, int[] bias, boolean transA, boolean matMul,
                       QuantParams a, QuantParams y, Requantizer requant) {
        if ((long) k * n != b.length || bZero.length != n || (bias != null && bias.length != n)) {
            throw new KernelException("integer Gemm: B, zero points or bias do not match [" + k + ", " + n + "]");
        }
        this.b = b;
        this.k = k;
        this.n = n;
        this.bZero = bZero;
        this.bias = bias;
        this.transA = transA;
        this.matMul = matMul;
        this.a = a;
        this.y = y;
        this.requant = requant;
    }

    @Override
    public Tensor[] compute(Tensor[] inputs, ExecContext ctx) {
        Tensor in = inputs[0];
        int[] d = in.shape().dims();
        int rows = rowsOfA(in, k, transA, matMul);
        int[] q = QuantTensors.codes(in);
        int[] out = new int[rows * n];
        int za = a.zeroPoint();
        int rowsF = rows;
        ctx.parallelFor(rows, (long) k * n, (s, e) -> {
            for (int r = s; r < e; r++) {
                for (int j = 0; j < n; j++) {
                    long acc = bias == null ? 0 : bias[j];
                    for (int kk = 0; kk < k; kk++) {
                        int av = transA ? q[kk * rowsF + r] : q[r * k + kk];
                        acc += (av - za) * (b[kk * n + j] - bZero[j]);
                    }
                    int acc32 = QuantTensors.saturateToInt(acc);
                    out[r * n + j] = requant == null ? acc32 : requant.apply(acc32, requant.channels() == 1 ? 0 : j);
                }
            }
        });
        int[] outDims = d.clone();
        if (transA) {
            outDims = new int[] {d[1], n};
        } else {
            outDims[outDims.length - 1] = n;
        }
        return new Tensor[] {requant == null ? Tensor.ofInts(Shape.of(outDims), out)
                : QuantTensors.fromCodes(out, Shape.of(outDims), y)};
    }

    /**
     * The rows of A's product with B ([K, N]) after checking A's shape: 2-D for Gemm ([M, K], or [K, M] with
     * transA), rank >= 2 for MatMul (every dim but the last is a row); KernelException naming the shape otherwise.
     */
    public static int rowsOfA(Tensor in, int k, boolean transA, boolean matMul) {
        int[] d = in.shape().dims();
        if (matMul ? d.length < 2 : d.length != 2) {
            throw new KernelException("A has shape " + in.shape() + ", expected " + (matMul ? "rank >= 2" : "2-D"));
        }
        int kIn = transA ? d[0] : d[d.length - 1];
        if (kIn != k) {
            throw new KernelException("A " + in.shape() + " has K = " + kIn + ", B has K = " + k);
        }
        return transA ? d[1] : leadingRows(d);
    }

    /** The product of all dims but the last (MatMul's batch and M). */
    private static int leadingRows(int[] d) {
        long r = 1;
        for (int i = 0; i < d.length - 1; i++) {
            r *= d[i];
        }
        return Math.toIntExact(r);
    }
}
