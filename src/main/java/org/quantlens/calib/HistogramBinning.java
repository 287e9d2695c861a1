package org.quantlens.calib;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.exec.ExecContext;

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
    private static final int VECTOR_MIN = 4096;
    private static final int EXPONENT = 0x7f800000;
    private static final int MAGNITUDE = 0x7fffffff;

    private HistogramBinning() {
    }

    /** What {@link #scan} found in a range. min > max when the range holds no finite value. */
    record Scan(float min, float max, long nan, long posInf, long negInf) {
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
            all = new Scan(Math.min(all.min(), b.min()), Math.max(all.max(), b.max()), all.nan() + b.nan(),
                    all.posInf() + b.posInf(), all.negInf() + b.negInf());
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

    /** Min/max of the finite values of data[from, to) and the NaN / +Inf / -Inf counts. */
    static Scan scan(float[] data, int from, int to) {
        IntVector minKeys = IntVector.broadcast(INTS, Integer.MAX_VALUE);
        IntVector maxKeys = IntVector.broadcast(INTS, Integer.MIN_VALUE);
        IntVector specials = IntVector.zero(INTS);
        IntVector one = IntVector.broadcast(INTS, 1);
        int i = from;
        // short ranges stay scalar: until C2 compiles it, the vector loop is far slower than plain code
        int vectorLength = to - from < VECTOR_MIN ? 0 : FLOATS.loopBound(to - from);
        for (int end = from + vectorLength; i < end; i += FLOATS.length()) {
            IntVector bits = FloatVector.fromArray(FLOATS, data, i).reinterpretAsInts();
            VectorMask<Integer> special = bits.and(EXPONENT).compare(VectorOperators.EQ, EXPONENT);
            IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(MAGNITUDE));
            minKeys = minKeys.min(keys.blend(Integer.MAX_VALUE, special));
            maxKeys = maxKeys.max(keys.blend(Integer.MIN_VALUE, special));
            specials = specials.add(one, special);
        }
        int vectorEnd = i;
        int minKey = minKeys.reduceLanes(VectorOperators.MIN);
        int maxKey = maxKeys.reduceLanes(VectorOperators.MAX);
        long[] special = new long[3]; // NaN, +Inf, -Inf
        for (; i < to; i++) {
            int bits = Float.floatToRawIntBits(data[i]);
            if ((bits & EXPONENT) != EXPONENT) {
                int key = toKey(bits);
                minKey = Math.min(minKey, key);
                maxKey = Math.max(maxKey, key);
            } else {
                countSpecial(data[i], special);
            }
        }
        if (specials.reduceLanes(VectorOperators.ADD) > 0) { // rare: recount the vector part one by one
            for (int j = from; j < vectorEnd; j++) {
                if (!Float.isFinite(data[j])) {
                    countSpecial(data[j], special);
                }
            }
        }
        long nan = special[0];
        long posInf = special[1];
        long negInf = special[2];
        return new Scan(fromKey(minKey, Float.POSITIVE_INFINITY), fromKey(maxKey, Float.NEGATIVE_INFINITY),
                nan, posInf, negInf);
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
