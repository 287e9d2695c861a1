package org.quantlens.calib;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.VectorWarmUp;

/**
 * The two hot loops of {@link Histogram#add(float[], int, int)}, kept apart so they stay flat and fast.
 *
 * <p><b>Scan</b> ({@link #scan}): minimum and maximum of the finite values and the counts of NaN, +Inf and -Inf.
 * Min/max equal a fold of {@link Math#min(float, float)} / {@link Math#max(float, float)} bit for bit (so -0.0 is
 * below +0.0) because they are taken on the order-preserving integer key of each float's bits, which orders
 * -0.0 below +0.0 exactly as Math.min/max do; NaN and infinities are masked out.
 *
 * <p><b>Binning</b> ({@link #bin}): for each finite x, bin = clamp(floor((x' - c) / w) + h, 0, bins - 1) with
 * x' = x (SIGNED) or |x| (ABSOLUTE), all in double, one division per value with the divisor w computed once:
 * the same arithmetic, operation by operation, as {@code Histogram.binOf}, hence identical bins. (A multiply by
 * 1/w rounds differently from the division for some x; an exact multiply-and-check against precomputed
 * thresholds was tried and measured no faster than the division on this loop, so the division stays.)
 *
 * <p><b>Parallel forms</b> split the range into {@link ExecContext#threads()} contiguous parts (only from
 * {@link #PARALLEL_MIN} values on); each part scans or counts on its own and the parts are combined exactly
 * (integer counts add, Math.min/max fold associatively), so results never depend on the thread count.
 */
final class HistogramBinning {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Smallest range worth splitting over threads. */
    static final int PARALLEL_MIN = 1 << 18;
    /** Shortest range scanned with vectors. */
    static final int VECTOR_MIN = 4096;
    /**
     * {@link #scanScalar} time in a fresh JVM before the vector scan takes over ({@link VectorWarmUp}): more than
     * the bundled sample's whole calibration needs, whose vector-loop warm-up alone was ~0.5 s of CPU.
     */
    private static final VectorWarmUp WARM_UP = VectorWarmUp.ofMillis(50);
    private static final int EXPONENT = 0x7f800000;
    private static final int MAGNITUDE = 0x7fffffff;
    /** Order keys of -Inf and +Inf: a key outside them is a NaN's, one equal to them an infinity's. */
    private static final int NEGATIVE_INFINITY_KEY = toKey(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY));
    private static final int POSITIVE_INFINITY_KEY = toKey(Float.floatToRawIntBits(Float.POSITIVE_INFINITY));

    private HistogramBinning() {
    }

    /**
     * What {@link #scan} found in a range: min and max of the finite values (as a fold of Math.min/max), the least
     * |x| of the finite values (+Inf when there is none), and the NaN / +Inf / -Inf counts. min > max when the range
     * holds no finite value.
     */
    record Scan(float min, float max, float absMin, long nan, long posInf, long negInf) {
    }

    private static int parts(int length, ExecContext ctx) {
        return length >= PARALLEL_MIN ? ctx.threads() : 1;
    }

    private static int partStart(int from, int to, int part, int parts) {
        return from + (int) ((long) (to - from) * part / parts);
    }

    /** {@link #scan(float[], int, int)} over contiguous parts on ctx's workers, combined exactly. */
    static Scan scan(float[] data, int from, int to, ExecContext ctx) {
        int parts = parts(to - from, ctx);
        Scan[] scans = new Scan[parts];
        ctx.parallelFor(parts, (to - from) / parts, (s, e) -> {
            for (int p = s; p < e; p++) {
                scans[p] = scan(data, partStart(from, to, p, parts), partStart(from, to, p + 1, parts));
            }
        });
        Scan all = scans[0];
        for (int p = 1; p < parts; p++) {
            Scan b = scans[p];
            all = new Scan(Math.min(all.min(), b.min()), Math.max(all.max(), b.max()),
                    Math.min(all.absMin(), b.absMin()), all.nan() + b.nan(), all.posInf() + b.posInf(),
                    all.negInf() + b.negInf());
        }
        return all;
    }

    /** {@link #bin(float[], int, int, double, double, boolean, long[])} over contiguous parts, counts added. */
    static long bin(float[] data, int from, int to, double origin, double width, boolean absolute, long[] counts,
                    ExecContext ctx) {
        int parts = parts(to - from, ctx);
        long[][] partCounts = new long[parts][];
        long[] partZeros = new long[parts];
        ctx.parallelFor(parts, (to - from) / parts, (s, e) -> {
            for (int p = s; p < e; p++) {
                partCounts[p] = p == 0 ? counts : new long[counts.length];
                partZeros[p] = bin(data, partStart(from, to, p, parts), partStart(from, to, p + 1, parts), origin,
                        width, absolute, partCounts[p]);
            }
        });
        long zeros = partZeros[0];
        for (int p = 1; p < parts; p++) {
            zeros += partZeros[p];
            for (int i = 0; i < counts.length; i++) {
                counts[i] += partCounts[p][i];
            }
        }
        return zeros;
    }

    /**
     * Min/max and min |x| of the finite values of data[from, to) and the NaN / +Inf / -Inf counts: {@link
     * #scanVectors} for ranges of {@link #VECTOR_MIN} values and more once the warm-up budget is spent, else {@link
     * #scanScalar}. Both give the same result.
     */
    static Scan scan(float[] data, int from, int to) {
        if (to - from < VECTOR_MIN) {
            return scanScalar(data, from, to);
        }
        if (WARM_UP.isSpent()) {
            return scanVectors(data, from, to);
        }
        long start = System.nanoTime();
        Scan s = scanScalar(data, from, to);
        WARM_UP.record(System.nanoTime() - start);
        return s;
    }

    /**
     * The scan as one branch-free pass of three integer reductions (min and max of the order key, min of the
     * magnitude bits), then, only when a key lies outside the finite keys (a NaN or an infinity was seen), an exact
     * recount that skips them. About 5 times slower than {@link #scanVectors} once both are compiled, but it gets
     * there within milliseconds, where the vector loop runs some 50 times slower than this until C2 compiles it.
     */
    static Scan scanScalar(float[] data, int from, int to) {
        int minKey = Integer.MAX_VALUE;
        int maxKey = Integer.MIN_VALUE;
        int minMagnitude = EXPONENT; // +Inf's bits: the answer when the range is empty
        for (int i = from; i < to; i++) {
            int bits = Float.floatToRawIntBits(data[i]);
            int key = toKey(bits);
            minKey = Math.min(minKey, key);
            maxKey = Math.max(maxKey, key);
            minMagnitude = Math.min(minMagnitude, bits & MAGNITUDE);
        }
        if (minKey > NEGATIVE_INFINITY_KEY && maxKey < POSITIVE_INFINITY_KEY) {
            // every value finite; magnitudes of finite values are below the infinities' (0x7f800000)
            return new Scan(fromKey(minKey, Float.POSITIVE_INFINITY), fromKey(maxKey, Float.NEGATIVE_INFINITY),
                    Float.intBitsToFloat(minMagnitude), 0, 0, 0);
        }
        return scanWithSpecials(data, from, to);
    }

    /** The scan when NaN or infinities are present: one value at a time. */
    private static Scan scanWithSpecials(float[] data, int from, int to) {
        int minKey = Integer.MAX_VALUE;
        int maxKey = Integer.MIN_VALUE;
        int minMagnitude = EXPONENT;
        long[] special = new long[3]; // NaN, +Inf, -Inf
        for (int i = from; i < to; i++) {
            int bits = Float.floatToRawIntBits(data[i]);
            if ((bits & EXPONENT) != EXPONENT) {
                int key = toKey(bits);
                minKey = Math.min(minKey, key);
                maxKey = Math.max(maxKey, key);
                minMagnitude = Math.min(minMagnitude, bits & MAGNITUDE);
            } else {
                countSpecial(data[i], special);
            }
        }
        return new Scan(fromKey(minKey, Float.POSITIVE_INFINITY), fromKey(maxKey, Float.NEGATIVE_INFINITY),
                Float.intBitsToFloat(minMagnitude), special[0], special[1], special[2]);
    }

    /** The scan with vectors of the preferred species (about 5 times the scalar pass once C2 has compiled it). */
    static Scan scanVectors(float[] data, int from, int to) {
        IntVector minKeys = IntVector.broadcast(INTS, Integer.MAX_VALUE);
        IntVector maxKeys = IntVector.broadcast(INTS, Integer.MIN_VALUE);
        IntVector minMagnitudes = IntVector.broadcast(INTS, EXPONENT);
        int i = from;
        for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
            IntVector bits = FloatVector.fromArray(FLOATS, data, i).reinterpretAsInts();
            IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(MAGNITUDE));
            minKeys = minKeys.min(keys);
            maxKeys = maxKeys.max(keys);
            minMagnitudes = minMagnitudes.min(bits.and(MAGNITUDE));
        }
        int minKey = minKeys.reduceLanes(VectorOperators.MIN);
        int maxKey = maxKeys.reduceLanes(VectorOperators.MAX);
        int minMagnitude = minMagnitudes.reduceLanes(VectorOperators.MIN);
        for (; i < to; i++) {
            int bits = Float.floatToRawIntBits(data[i]);
            minKey = Math.min(minKey, toKey(bits));
            maxKey = Math.max(maxKey, toKey(bits));
            minMagnitude = Math.min(minMagnitude, bits & MAGNITUDE);
        }
        if (minKey > NEGATIVE_INFINITY_KEY && maxKey < POSITIVE_INFINITY_KEY) {
            return new Scan(fromKey(minKey, Float.POSITIVE_INFINITY), fromKey(maxKey, Float.NEGATIVE_INFINITY),
                    Float.intBitsToFloat(minMagnitude), 0, 0, 0);
        }
        return scanWithSpecials(data, from, to); // rare: NaN or infinities
    }

    private static void countSpecial(float v, long[] special) {
        special[v != v ? 0 : v > 0 ? 1 : 2]++;
    }

    /** Order-preserving int key of a float's bits: key(a) < key(b) iff a < b, or a = -0.0 and b = +0.0. */
    private static int toKey(int bits) {
        return bits ^ ((bits >> 31) & MAGNITUDE);
    }

    private static float fromKey(int key, float none) {
        if (key == Integer.MAX_VALUE || key == Integer.MIN_VALUE) { // no finite value (those keys are NaNs)
            return none;
        }
        return Float.intBitsToFloat(toKey(key)); // the key map is its own inverse
    }

    /**
     * Adds each finite value of data[from, to) to counts (see the class comment for the bin formula) and returns
     * how many of them were exactly zero. Reference form: one division per value.
     */
    static long bin(float[] data, int from, int to, double origin, double width, boolean absolute, long[] counts) {
        int bins = counts.length;
        long half = absolute ? 0 : bins / 2;
        int last = bins - 1;
        long zeros = 0;
        for (int i = from; i < to; i++) {
            float v = data[i];
            if (v - v == 0) { // finite
                double x = absolute ? Math.abs((double) v) : v;
                long idx = (long) Math.floor((x - origin) / width) + half;
                counts[(int) Math.max(0, Math.min(last, idx))]++;
                zeros += v == 0f ? 1 : 0;
            }
        }
        return zeros;
    }
}
