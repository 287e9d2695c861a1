package org.quantlens.runtime.fast;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.quantlens.runtime.RequantMode;
import org.quantlens.runtime.reference.Requantizer;

/**
 * {@link Requantizer#apply(int, int)} for a run of accumulators of one channel, vectorised and bit-exact:
 * <ul>
 *   <li>FIXED_POINT with a right shift (every real multiplier below 1): a float estimate of the product, trusted
 *       only where it is provably far from a rounding tie, the rest through the scalar {@link Requantizer} (see
 *       {@link #nearestRow});</li>
 *   <li>other FIXED_POINT multipliers: {@link org.quantlens.quant.FixedPoint#multiplyByQuantizedMultiplier} step by step in 64-bit
 *       lanes: saturating left shift, {@code (x * M + nudge)} divided by 2^31 truncating toward zero (nudge
 *       {@code 2^30} or {@code 1 - 2^30} by the product's sign), then the rounding right shift with its
 *       remainder/threshold rule; a multiplier of {@code Integer.MIN_VALUE} or a left shift over 30 (never
 *       produced by {@link org.quantlens.quant.QuantizedMultiplier} for real multipliers below 2^30) runs the
 *       scalar {@link Requantizer};</li>
 *   <li>FLOAT: {@code float(acc) * M} in float lanes, clamped to one step beyond the output's code range (rounding
 *       is monotone, so this cannot change the clamped result), rounded half to even by adding and subtracting
 *       {@code 1.5 * 2^23} (exact for magnitudes below 2^22; the rounded integer is then the low mantissa bits, read
 *       by reinterpreting the float, since JDK 17 does not compile a vector float-to-int conversion), clamped to
 *       the code range.</li>
 * </ul>
 * Then {@code + zp} and the clamp to {@code [lo, hi]}. Accumulators are read in whole vectors: the caller's
 * array must hold {@link Int8Gemm#roundUp}{@code (count)} values from {@code from} (the extra ones are ignored).
 * The fixed-point path moves ints to and from its 64-bit lanes through a {@code long[]} scratch row rather than
 * through a half-width {@code IntVector}: a second IntVector shape in the same program splits C2's type profiles
 * of the shared {@code IntVector} methods and makes every other vector kernel allocate.
 */
final class RowRequantizer {
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED.length() >= 2
            ? LongVector.SPECIES_PREFERRED : LongVector.SPECIES_128;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS_FOR_FLOATS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(FLOATS.length() * Integer.SIZE));
    private static final VectorSpecies<Byte> BYTES_FOR_FLOATS =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE));
    private static final float ROUNDING_MAGIC = 0x1.8p23f;

    /**
     * Lanes whose offset estimate is at least this far from its nearest integer (so within 2^-12 of a rounding
     * boundary, more than the estimate's error) are recomputed exactly (see {@link #nearestRow}).
     */
    private static final float UNSURE = 0.5f - 0x1p-12f;

    private final Requantizer requant;
    /** Per channel: {@code multiplier * 2^(shift - 31)} rounded to float (fixed-point mode). */
    private final float[] scale;
    /** Per channel: {@code 2^-(r+1)} for a right shift {@code r >= 1}, 0 for {@code r = 0}. */
    private final float[] tieOffset;
    /** Per channel: true when {@link #nearestRow} applies (a right shift of 0..31, multiplier not MIN_VALUE). */
    private final boolean[] nearest;

    RowRequantizer(Requantizer requant) {
        this.requant = requant;
        int channels = requant.channels();
        this.scale = new float[channels];
        this.tieOffset = new float[channels];
        this.nearest = new boolean[channels];
        for (int c = 0; requant.mode() == RequantMode.FIXED_POINT && c < channels; c++) {
            int m = requant.multiplier(c);
            int right = -requant.shift(c);
            if (m != Integer.MIN_VALUE && right >= 0 && right <= 31) {
                scale[c] = (float) Math.scalb((double) m, -31 - right);
                tieOffset[c] = right == 0 ? 0f : Math.scalb(1f, -right - 1);
                nearest[c] = true;
            }
        }
    }

    /**
     * {@code out[outAt + j] = (byte) requant.apply(acc[from + j] + addend, channel)} for {@code j < count}
     * ({@code + addend} wraps as int addition does); {@code tmp} holds at least {@code roundUp(count)} ints.
     */
    void apply(int[] acc, int from, int count, int addend, int channel, byte[] out, int outAt, Scratch tmp) {
        int m = requant.multiplier(channel);
        int shift = requant.shift(channel);
        int lanes = Int8Gemm.roundUp(count);
        if (requant.mode() == RequantMode.FLOAT) {
            floatRow(acc, from, lanes, addend, channel, tmp.ints);
        } else if (nearest[channel]) {
            nearestRow(acc, from, count, addend, channel, tmp.ints, tmp.lanes);
        } else if (m == Integer.MIN_VALUE || shift > 30) {
            for (int j = 0; j < count; j++) {
                out[outAt + j] = (byte) requant.apply(acc[from + j] + addend, channel);
            }
            return;
        } else {
            fixedPointRow(acc, from, lanes, addend, m, shift, tmp.longs);
            for (int j = 0; j < count; j++) {
                out[outAt + j] = (byte) tmp.longs[j];
            }
            return;
        }
        int j = 0;
        for (; j + FLOATS.length() <= count; j += FLOATS.length()) {
            ((ByteVector) IntVector.fromArray(INTS_FOR_FLOATS, tmp.ints, j)
                    .convertShape(VectorOperators.I2B, BYTES_FOR_FLOATS, 0)).intoArray(out, outAt + j);
        }
        for (; j < count; j++) {
            out[outAt + j] = (byte) tmp.ints[j];
        }
    }

    /** Per-thread scratch rows for {@link #apply}, each of at least {@code roundUp(count)} values. */
    static final class Scratch {
        final int[] ints;
        final long[] longs;
        final float[] lanes = new float[FLOATS.length()];

        Scratch(int length) {
            ints = new int[Int8Gemm.roundUp(length)];
            longs = new long[Int8Gemm.roundUp(length)];
        }
    }

    private void fixedPointRow(int[] acc, int from, int lanes, int addend, int m, int shift, long[] tmp) {
        int left = Math.max(shift, 0);
        int right = Math.max(-shift, 0);
        long mask = right > 31 ? 0 : (1L << right) - 1;
        long zp = requant.zeroPoint();
        for (int j = 0; j < lanes; j++) {
            tmp[j] = acc[from + j] + addend;
        }
        for (int j = 0; j < lanes; j += LONGS.length()) {
            LongVector x = LongVector.fromArray(LONGS, tmp, j);
            if (left > 0) {
                x = x.lanewise(VectorOperators.LSHL, left).max(Integer.MIN_VALUE).min(Integer.MAX_VALUE);
            }
            LongVector ab = x.mul(m);
            LongVector t = ab.add(LongVector.broadcast(LONGS, 1L << 30)
                    .blend(1L - (1L << 30), ab.compare(VectorOperators.LT, 0)));
            VectorMask<Long> negative = t.compare(VectorOperators.LT, 0);
            LongVector high = t.add(LongVector.zero(LONGS).blend((1L << 31) - 1, negative))
                    .lanewise(VectorOperators.ASHR, 31);
            LongVector q;
            if (right > 31) {
                q = LongVector.zero(LONGS);
            } else {
                LongVector remainder = high.and(mask);
                LongVector threshold = LongVector.broadcast(LONGS, mask >> 1)
                        .blend((mask >> 1) + 1, high.compare(VectorOperators.LT, 0));
                q = high.lanewise(VectorOperators.ASHR, right);
                q = q.add(LongVector.zero(LONGS).blend(1, remainder.compare(VectorOperators.GT, threshold)));
            }
            q = q.add(zp).max(requant.lo()).min(requant.hi());
            q.intoArray(tmp, j);
        }
    }

    /**
     * Fixed point with a right shift {@code r} (the usual case, real multiplier below 1). Write
     * {@code v = x * M * 2^-(31+r)}. The reference computes {@code h = floor(x * M / 2^31 + 1/2)} (the doubling
     * high multiply; ties go up) and then {@code rhaz(h / 2^r)} (rounding shift, ties away from zero). For
     * {@code r >= 1} the half-integer {@code k + 1/2} is {@code T / 2^r} with {@code T} an integer, and
     * {@code h >= T} exactly when {@code v >= k + 1/2 - 2^-(r+1)}; working through both signs gives one rounding:
     * <pre>
     *   result = floor(v + 1/2 + sign(v) * 2^-(r+1))        (r >= 1),    floor(v + 1/2)    (r = 0)
     * </pre>
     * The float estimate {@code f = float(x) * float(M * 2^-(31+r))} has relative error below {@code 3 * 2^-24},
     * so below 2^-13 wherever {@code |f| <= 512}; f is first clamped to one step beyond {@code [lo, hi] - zp}
     * (beyond that the result is the clamp bound either way). Adding the offset rounds by at most 2^-16. So where
     * {@code g = f + sign(f) * offset} is farther than 2^-12 from a half-integer, {@code rint(g)} is the exact
     * result; lanes nearer than that (about one in two thousand) run the scalar {@link Requantizer}.
     */
    private void nearestRow(int[] acc, int from, int count, int addend, int channel, int[] tmp, float[] lanes) {
        int zp = requant.zeroPoint();
        float lo = requant.lo() - zp;
        float hi = requant.hi() - zp;
        float m = scale[channel];
        float offset = tieOffset[channel];
        int magicBits = Float.floatToRawIntBits(ROUNDING_MAGIC);
        for (int j = 0; j < count; j += FLOATS.length()) {
            IntVector a = IntVector.fromArray(INTS_FOR_FLOATS, acc, from + j).add(addend);
            FloatVector f = ((FloatVector) a.convertShape(VectorOperators.I2F, FLOATS, 0)).mul(m).max(lo - 1)
                    .min(hi + 1);
            FloatVector g = f.add(FloatVector.broadcast(FLOATS, offset)
                    .blend(-offset, f.compare(VectorOperators.LT, 0f)));
            FloatVector biased = g.add(ROUNDING_MAGIC); // rint(g) sits in the low mantissa bits
            FloatVector distance = g.sub(biased.sub(ROUNDING_MAGIC)).abs();
            ((IntVector) biased.reinterpretShape(INTS_FOR_FLOATS, 0)).sub(magicBits).add(zp).max(requant.lo())
                    .min(requant.hi()).intoArray(tmp, j);
            if (distance.compare(VectorOperators.GE, UNSURE).anyTrue()) {
                distance.intoArray(lanes, 0);
                for (int i = 0; i < lanes.length && j + i < count; i++) {
                    if (lanes[i] >= UNSURE) {
                        tmp[j + i] = requant.apply(acc[from + j + i] + addend, channel);
                    }
                }
            }
        }
    }

    private void floatRow(int[] acc, int from, int lanes, int addend, int channel, int[] tmp) {
        int zp = requant.zeroPoint();
        float lo = requant.lo() - zp;
        float hi = requant.hi() - zp;
        float m = requant.realMultiplier(channel);
        int magicBits = Float.floatToRawIntBits(ROUNDING_MAGIC);
        for (int j = 0; j < lanes; j += FLOATS.length()) {
            IntVector a = IntVector.fromArray(INTS_FOR_FLOATS, acc, from + j).add(addend);
            FloatVector f = ((FloatVector) a.convertShape(VectorOperators.I2F, FLOATS, 0)).mul(m);
            FloatVector biased = f.max(lo - 1).min(hi + 1).add(ROUNDING_MAGIC); // rint(f) in the low bits
            ((IntVector) biased.reinterpretShape(INTS_FOR_FLOATS, 0)).sub(magicBits).add(zp).max(requant.lo())
                    .min(requant.hi()).intoArray(tmp, j);
        }
    }
}
