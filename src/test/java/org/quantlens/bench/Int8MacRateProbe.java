package org.quantlens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A development aid, not a benchmark of record: the multiply-accumulate rate (MAC/s, one thread, thread CPU time)
 * of the integer-product candidates for the INT8 runtime on one GEMM shape, next to the FP32 engine's
 * {@code Sgemm} ({@code FloatVector.fma}), all in the same JVM with the candidates interleaved round by round and
 * the best round kept, so that other processes on the machine disturb the comparison less.
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * org.quantlens.bench.Int8MacRateProbe [M K N]} (default 64 384 784: a 1x1 convolution on a 28x28 plane).
 *
 * <p>Candidates:
 * <ul>
 *   <li>{@code Int8Gemm}: the current fast kernel (bytes sign-extended to {@code IntVector}, 32-bit multiply).</li>
 *   <li>{@code pair madd, L1 row}: the scalar loop {@code c[i] += a[2i]*b[2i] + a[2i+1]*b[2i+1]} over short
 *   operands and an int accumulator, which HotSpot C2's SuperWord turns into {@code MulAddVS2VI} (on this VNNI CPU
 *   {@code vpdpwssd}, checked by disassembling the PrintAssembly bytes). Measured as a ceiling: one 1024-element row
 *   whose three arrays stay in L1, repeated M*K*N/2048 times; any GEMM built from it only adds work (an operand
 *   expanded per row, C traffic across blocks).</li>
 *   <li>{@code float fma, exact ints}: the INT8 product computed as {@code Sgemm} on integer-valued floats (weights
 *   converted once, activations converted per call and the result converted back; both
 *   conversions are timed, a real kernel would fold the first into Sgemm's B packing). Exact
 *   while every partial sum stays below 2^24: products are at most 255*128, so panels of at most 514 terms of K
 *   (a kernel would cut K into panels of 512 and add the panels in int).</li>
 * </ul>
 *
 * <p>Measured 2026-11-27 (JDK 17.0.15, Xeon with AVX-512 VNNI, 2 cores shared with other jobs, load average 6 to
 * 7.5 during every run), GMAC/s on one thread, best of 15 rounds:
 * <pre>
 *   M x K x N         shape of                  Sgemm fma   Int8Gemm     pair madd ceiling   float fma, exact ints
 *   64 x 384 x 784    1x1 conv, 28x28 plane       57.8      33.3 (0.58x)   32.2 (0.56x)        49.1 (0.85x)
 *   32 x 192 x 784    MobileNetV2 project 28x28   52.7      32.9 (0.62x)   33.6 (0.64x)        39.6 (0.75x)
 *   192 x 32 x 3136   MobileNetV2 expand 56x56    40.8      30.6 (0.75x)   32.7 (0.80x)        26.6 (0.65x)
 *   16 x 150 x 4096   LeNet conv2, batch 64       30.7      31.9 (1.04x)   32.9 (1.07x)        22.1 (0.72x)
 * </pre>
 * The pair-madd column is a shape-independent ceiling (the same L1 loop, 32 to 34 GMAC/s in every run); the
 * SuperWord pair loop placed in a GEMM loop nest measured 1.4 to 11 GMAC/s. No candidate comes near 1.5x the
 * float FMA rate, so none was built into {@code Int8Gemm}.
 *
 * <p>Why the SuperWord route cannot reach 1.5x: C2 (JDK 17) vectorises the pair pattern only as a loop over memory,
 * so every {@code vpdpwssd} (32 MACs) needs two operand loads plus a load and a store of the accumulator, where the
 * register-blocked float kernel needs about 0.7 loads per 16-MAC FMA; C2 also chose 256-bit vectors for this
 * pattern (two per unrolled iteration), with scalar pre/post loops around short rows. Statements summing two pairs
 * (two K steps, or two diagonals sharing the A loads) were not vectorised at all (about 2 GMAC/s). In a GEMM the
 * broadcast operand must also be a real array indexed {@code 2i}, {@code 2i+1}: either expanded per row (a write per
 * MAC unless reused across column blocks) or a diagonal tile layout; both measured far below the ceiling.
 *
 * <p>The float route can at best tie the FP32 engine (the same FMA instructions at the same rate; 0.65x to 0.85x
 * here with the conversions), but it already beats the current {@code Int8Gemm} on the larger-K shapes (49 vs 33
 * GMAC/s at K=384), because the 32-bit integer multiply runs at about half the FMA rate.
 */
public final class Int8MacRateProbe {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE));

    private Int8MacRateProbe() {
    }

    /** The auto-vectorised pair form: {@code c[co+i] += a[ao+2i]*b[bo+2i] + a[ao+2i+1]*b[bo+2i+1]}. */
    static void pairRow(short[] a, int ao, short[] b, int bo, int[] c, int co, int n) {
        for (int i = 0; i < n; i++) {
            c[co + i] += a[ao + 2 * i] * b[bo + 2 * i] + a[ao + 2 * i + 1] * b[bo + 2 * i + 1];
        }
    }

    /** {@code out[i] = in[i]} with the Vector API (byte to float conversion, 16 lanes at a time, scalar tail). */
    static void bytesToFloats(byte[] in, float[] out) {
        int i = 0;
        for (; i + FLOATS.length() <= in.length; i += FLOATS.length()) {
            ((IntVector) ByteVector.fromArray(BYTES, in, i).convertShape(VectorOperators.B2I, INTS, 0))
                    .convert(VectorOperators.I2F, 0).reinterpretAsFloats().intoArray(out, i);
        }
        for (; i < in.length; i++) {
            out[i] = in[i];
        }
    }

    /** {@code out[i] = (int) in[i]}; a plain loop (C2 vectorises it; the Vector API F2I was slower here). */
    static void floatsToInts(float[] in, int[] out) {
        for (int i = 0; i < in.length; i++) {
            out[i] = (int) in[i];
        }
    }

    private interface Candidate {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int m = args.length >= 3 ? Integer.parseInt(args[0]) : 64;
        int k = args.length >= 3 ? Integer.parseInt(args[1]) : 384;
        int n = args.length >= 3 ? Integer.parseInt(args[2]) : 784;
        Random rnd = new Random(7);
        int[] aInt = new int[m * k];
        float[] aFloat = new float[m * k];
        for (int i = 0; i < aInt.length; i++) {
            aInt[i] = rnd.nextInt(256) - 128;
            aFloat[i] = aInt[i];
        }
        byte[] b = new byte[k * n];
        rnd.nextBytes(b);
        float[] bFloat = new float[k * n];
        float[] bAsFloat = new float[k * n];
        for (int i = 0; i < b.length; i++) {
            bFloat[i] = (float) rnd.nextGaussian();
        }
        int[] cInt = new int[m * n];
        int[] cExact = new int[m * n];
        float[] cFloat = new float[m * n];

        Method int8Gemm = hidden("org.quantlens.runtime.fast.Int8Gemm", "multiply", int.class, int.class, int.class,
                int[].class, int.class, int.class, byte[].class, int.class, int.class, int[].class, int.class,
                int.class);
        Method sgemm = hidden("org.quantlens.exec.kernels.Sgemm", "multiplyAdd", int.class, int.class, int.class,
                float[].class, int.class, int.class, float[].class, int.class, int.class, float[].class, int.class,
                int.class);
        short[] rowA = new short[2048];
        short[] rowB = new short[2048];
        int[] rowC = new int[1024];
        for (int i = 0; i < 2048; i++) {
            rowA[i] = (short) (rnd.nextInt(256) - 128);
            rowB[i] = (short) (rnd.nextInt(511) - 255);
        }
        long rowRepeats = (long) m * k * n / 2048;

        Candidate fp32 = () -> {
            Arrays.fill(cFloat, 0f);
            sgemm.invoke(null, m, n, k, aFloat, 0, k, bFloat, 0, n, cFloat, 0, n);
        };
        Candidate int8 = () -> int8Gemm.invoke(null, m, n, k, aInt, 0, k, b, 0, n, cInt, 0, n);
        Candidate pair = () -> {
            for (long r = 0; r < rowRepeats; r++) {
                pairRow(rowA, 0, rowB, 0, rowC, 0, 1024);
            }
        };
        Candidate floatOnInts = () -> {
            bytesToFloats(b, bAsFloat);
            Arrays.fill(cFloat, 0f);
            sgemm.invoke(null, m, n, k, aFloat, 0, k, bAsFloat, 0, n, cFloat, 0, n);
            floatsToInts(cFloat, cExact);
        };
        int8.run();
        floatOnInts.run();
        System.out.println("float fma on ints equals Int8Gemm: " + Arrays.equals(cInt, cExact) + (k > 514
                ? " (K > 514: exactness not guaranteed without K panels)" : ""));

        Candidate[] all = {fp32, int8, pair, floatOnInts};
        String[] names = {"Sgemm fma (FP32 engine)", "Int8Gemm", "pair madd, L1 row", "float fma, exact ints"};
        double[] best = new double[all.length];
        for (int round = 0; round < 15; round++) {
            for (int x = 0; x < all.length; x++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                long calls = 0;
                do {
                    all[x].run();
                    calls++;
                } while (CPU.getCurrentThreadCpuTime() - t0 < 200_000_000L);
                double seconds = (CPU.getCurrentThreadCpuTime() - t0) / 1e9;
                best[x] = Math.max(best[x], (double) m * k * n * calls / seconds / 1e9);
            }
        }
        System.out.printf("M=%d K=%d N=%d, best of 15 rounds, GMAC/s per thread%n", m, k, n);
        for (int x = 0; x < all.length; x++) {
            System.out.printf("  %-24s %7.2f  (%.2fx FP32)%n", names[x], best[x], best[x] / best[0]);
        }
    }

    private static Method hidden(String type, String name, Class<?>... params) throws Exception {
        Method method = Class.forName(type).getDeclaredMethod(name, params);
        method.setAccessible(true);
        return method;
    }
}
