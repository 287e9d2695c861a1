package org.quantlens.exec.kernels;

import java.util.concurrent.atomic.AtomicReference;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.OutputArrays;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernels: Gemm and MatMul (ONNX opsets 1-13), on float32 tensors.
 *
 * <p>Products go through {@link Sgemm}: each product element is one fused multiply-add chain over the inner
 * dimension in increasing order, starting from 0, so results do not depend on the thread count.
 */
public final class GemmKernels {
    /** Columns per parallel task when a product is split by columns (as in {@link Sgemm#multiplyAddParallel}). */
    private static final int COLUMN_TILE = 256;

    private GemmKernels() {
    }

    /** Registers Gemm and MatMul. */
    public static void register(KernelRegistry registry) {
        registry.register("Gemm", GemmKernels::createGemm);
        registry.registerClampFusion("Gemm", GemmKernels::createGemmWithClamp);
        registry.register("MatMul", (node, opset) -> (inputs, ctx) -> new Tensor[] {matMul(inputs[0], inputs[1], ctx)});
    }

    static OpKernel createGemm(Node node, long opset) {
        return createGemmWithClamp(node, opset, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /**
     * A Gemm node followed by {@code Clip(min, max)} (Relu: {@code min = 0, max = +inf}) as one kernel, for an
     * engine that fuses them (a fully connected layer and its Relu): each worker clamps its block of Y right after
     * the bias, {@code min(max, max(y, min))} as {@link ConvClamp} (Math.max/Math.min lane by lane), bit-identical
     * to running this Gemm and then the engine's Relu or Clip. Registered as Gemm's
     * {@link org.quantlens.exec.ClampFusionFactory}.
     */
    static OpKernel createGemmWithClamp(Node node, long opset, float min, float max) {
        boolean transA = flag(node, "transA");
        boolean transB = flag(node, "transB");
        float alpha = node.attrFloat("alpha", 1f);
        float beta = node.attrFloat("beta", 1f);
        ConvClamp clamp = new ConvClamp(min, max);
        AtomicReference<Transposed> cache = new AtomicReference<>();
        return (inputs, ctx) -> new Tensor[] {gemm(inputs[0], inputs[1], inputs.length > 2 ? inputs[2] : null,
                transA, transB, alpha, beta, clamp, cache, ctx)};
    }

    /**
     * The row-major transpose of a B input, kept per node: a fully connected layer's weight (usually transB=1) is
     * the same initializer tensor on every run, so it is transposed once rather than per inference. Tensors are
     * immutable once shared, so identity is a safe key; the cache costs one copy of the weight.
     */
    private record Transposed(Tensor source, float[] data) {
    }

    private static boolean flag(Node node, String name) {
        long v = node.attrInt(name, 0);
        if (v != 0 && v != 1) {
            throw new KernelException(name + " must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    /**
     * ONNX Gemm: {@code Y = alpha * A' * B' + beta * C}, {@code A'} = A or its transpose ({@code [M, K]}),
     * {@code B'} likewise ({@code [K, N]}); {@code C} optional and unidirectionally broadcast to {@code [M, N]}
     * (scalar, {@code [1]}, {@code [N]}, {@code [1, N]}, {@code [M, 1]}, {@code [M, N]}). The product is rounded
     * to float before scaling, as in the ONNX reference ({@code alpha * dot(A, B) + beta * C}).
     */
    static Tensor gemm(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, float alpha, float beta,
                       ConvClamp clamp, AtomicReference<Transposed> cache, ExecContext ctx) {
        requireFloat(a, "A");
        requireFloat(b, "B");
        if (a.rank() != 2 || b.rank() != 2) {
            throw new KernelException("Gemm needs 2-D A and B, got " + a.shape() + " and " + b.shape());
        }
        int m = transA ? a.shape().dim(1) : a.shape().dim(0);
        int k = transA ? a.shape().dim(0) : a.shape().dim(1);
        int kb = transB ? b.shape().dim(1) : b.shape().dim(0);
        int n = transB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) {
            throw new KernelException("inner dimensions differ: A " + a.shape() + (transA ? " (transposed)" : "")
                    + ", B " + b.shape() + (transB ? " (transposed)" : ""));
        }
        float[] left = transA ? transpose(a.floats(), k, m) : a.floats();
        float[] right = b.floats();
        if (transB) {
            Transposed t = cache.get();
            if (t == null || t.source() != b) {
                t = new Transposed(b, transpose(b.floats(), n, k));
                cache.set(t);
            }
            right = t.data();
        }
        Bias bias = null;
        if (c != null) {
            requireFloat(c, "C");
            int[] strides = biasStrides(c.shape(), m, n);
            bias = new Bias(c.floats(), strides[0], strides[1]);
        }
        float[] y = OutputArrays.floats(Math.toIntExact((long) m * n));
        productWithEpilogue(ctx, m, n, k, left, right, new Epilogue(alpha, beta, bias, clamp), y);
        return Tensor.ofFloats(Shape.of(m, n), y);
    }

    /** Gemm's C operand as read broadcast to [M, N]: element (i, j) is {@code values[i * rowStride + j * colStride]}. */
    private record Bias(float[] values, int rowStride, int colStride) {
    }

    /** What follows the product: {@code clamp(alpha * y + beta * C)}, C optional (null). */
    private record Epilogue(float alpha, float beta, Bias bias, ConvClamp clamp) {
    }

    /**
     * {@code y = alpha * (A * B) + beta * C} into a write-only {@code y} (an {@link OutputArrays} array): the product
     * chains start from a zero row value ({@link Sgemm#multiply}, which writes C without reading it), and each
     * worker scales and adds the bias to its own block of Y right after multiplying it, while it is in cache. The
     * split is {@link Sgemm#multiplyAddParallel}'s (column tiles of {@value #COLUMN_TILE} when there are enough,
     * else blocks of four rows; serial below 65,536 multiply-adds), and every element is computed the same way in
     * any block, so the result does not depend on the thread count.
     */
    private static void productWithEpilogue(ExecContext ctx, int m, int n, int k, float[] left, float[] right,
                                            Epilogue post, float[] y) {
        float[] zeros = new float[m];
        long cost = (long) m * n * k;
        int tiles = (n + COLUMN_TILE - 1) / COLUMN_TILE;
        if (ctx.threads() <= 1 || cost < 65_536) {
            block(n, k, left, right, zeros, post, y, 0, m, 0, n);
        } else if (tiles >= ctx.threads()) {
            ctx.parallelFor(tiles, (long) m * k * COLUMN_TILE, (s, e) -> block(n, k, left, right, zeros, post, y,
                    0, m, s * COLUMN_TILE, Math.min(n, e * COLUMN_TILE)));
        } else {
            ctx.parallelFor((m + 3) / 4, 4L * n * k, (s, e) -> block(n, k, left, right, zeros, post, y, s * 4,
                    Math.min(m, e * 4), 0, n));
        }
    }

    /** Rows [i0, i1) x columns [j0, j1) of Y: the product, then {@link #epilogue}, then the clamp. */
    private static void block(int n, int k, float[] left, float[] right, float[] zeros, Epilogue post, float[] y,
                              int i0, int i1, int j0, int j1) {
        Sgemm.multiply(i1 - i0, j1 - j0, k, left, i0 * k, k, right, j0, n, zeros, i0, y, i0 * n + j0, n);
        epilogue(n, post.alpha(), post.beta(), post.bias(), y, i0, i1, j0, j1);
        for (int i = i0; i < i1; i++) {
            post.clamp().apply(y, i * n + j0, j1 - j0);
        }
    }

    /**
     * {@code y = alpha * y + beta * C} on a block, each product rounded before scaling as in the ONNX reference.
     * With alpha = beta = 1 (every exported fully connected layer) the multiplications by one are exact and are
     * skipped: a plain row-wise add the JIT vectorizes, bit-identical to the general loop.
     */
    private static void epilogue(int n, float alpha, float beta, Bias bias, float[] y, int i0, int i1, int j0,
                                 int j1) {
        boolean unit = alpha == 1f && (bias == null || beta == 1f);
        if (unit && (bias == null || bias.colStride() == 1)) {
            if (bias != null) {
                for (int i = i0; i < i1; i++) {
                    int row = i * n;
                    int b0 = i * bias.rowStride();
                    float[] bv = bias.values();
                    for (int j = j0; j < j1; j++) {
                        y[row + j] += bv[b0 + j];
                    }
                }
            }
            return;
        }
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                float v = alpha * y[i * n + j];
                if (bias != null) {
                    v += beta * bias.values()[i * bias.rowStride() + j * bias.colStride()];
                }
                y[i * n + j] = v;
            }
        }
    }

    /** Row and column strides reading C broadcast to [M, N] (0 along a broadcast axis). */
    private static int[] biasStrides(Shape cs, int m, int n) {
        int rows = cs.rank() == 2 ? cs.dim(0) : 1;
        int cols = cs.rank() >= 1 ? cs.dim(-1) : 1;
        if (cs.rank() > 2 || (rows != 1 && rows != m) || (cols != 1 && cols != n)) {
            throw new KernelException("C " + cs + " cannot be broadcast to [" + m + "x" + n + "]");
        }
        return new int[] {rows == 1 ? 0 : cols, cols == 1 ? 0 : 1};
    }

    /** The transpose of a row-major {@code rows x cols} matrix. */
    private static float[] transpose(float[] src, int rows, int cols) {
        float[] t = new float[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = src[r * cols + c];
            }
        }
        return t;
    }

    /**
     * ONNX MatMul with numpy semantics: a 1-D A is a row vector {@code [1, K]} and a 1-D B a column {@code [K, 1]}
     * (the added axis is removed from the result); leading (batch) axes broadcast numpy-style.
     */
    static Tensor matMul(Tensor a, Tensor b, ExecContext ctx) {
        requireFloat(a, "A");
        requireFloat(b, "B");
        if (a.rank() == 0 || b.rank() == 0) {
            throw new KernelException("MatMul operands must have rank >= 1, got " + a.shape() + " and " + b.shape());
        }
        int[] ad = a.rank() == 1 ? new int[] {1, a.shape().dim(0)} : a.shape().dims();
        int[] bd = b.rank() == 1 ? new int[] {b.shape().dim(0), 1} : b.shape().dims();
        int m = ad[ad.length - 2];
        int k = ad[ad.length - 1];
        int n = bd[bd.length - 1];
        if (bd[bd.length - 2] != k) {
            throw new KernelException("inner dimensions differ: " + a.shape() + " x " + b.shape());
        }
        GemmBatches batches = GemmBatches.of(ad, bd);
        float[] y = new float[Math.toIntExact((long) batches.count() * m * n)];
        float[] left = a.floats();
        float[] right = b.floats();
        int count = batches.count();
        if (count >= ctx.threads() && count > 1) {
            ctx.parallelFor(count, (long) m * n * k, (s, e) -> {
                for (int i = s; i < e; i++) {
                    Sgemm.multiplyAdd(m, n, k, left, batches.aIndex(i) * m * k, k, right, batches.bIndex(i) * k * n,
                            n, y, i * m * n, n);
                }
            });
        } else {
            for (int i = 0; i < count; i++) {
                Sgemm.multiplyAddParallel(ctx, m, n, k, left, batches.aIndex(i) * m * k, k,
                        right, batches.bIndex(i) * k * n, n, y, i * m * n, n);
            }
        }
        return Tensor.ofFloats(Shape.of(batches.outputDims(a.rank(), b.rank(), m, n)), y);
    }

    private static void requireFloat(Tensor t, String name) {
        if (t == null) {
            throw new KernelException("input " + name + " is missing");
        }
        if (t.dtype() != DType.FLOAT32) {
            throw new KernelException(name + " must be float32, got " + t.dtype().displayName());
        }
    }
}
