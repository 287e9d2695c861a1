package org.quantlens.calib.search;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KlNcnn}'s divergence of one candidate in O(128) from prefix sums, with the 128 levels evaluated
 * {@link #LANES} at a time by the Vector API (two vector logs per {@link #LANES} levels, no per-bin work).
 *
 * <p>Why it is exact algebra, not an approximation of ncnn's loops (for t <= {@link #MAX_EXACT_CANDIDATE}):
 * <ul>
 * <li>ncnn's float32 boundaries start = i * (t / 128f) and end = start + t / 128f are exact, because they are
 * n / 128 with integer n = i * t <= 2^24 (i <= 128), which float32 represents exactly; so level i covers exactly
 * [b_i, b_{i+1}) with b_k = k t / 128, and consecutive levels meet: b_k = f_k + phi_k with f_k = floor(k t / 128),
 * phi_k = (k t mod 128) / 128;</li>
 * <li>every bin of the floored distribution d is non-zero (ncnn adds 1e-5 before normalising), so a level's count
 * is its width t / 128 (exact in float too) and its value is v_i = q_i * 128 / t with q_i = M_{i+1} - M_i, where
 * M_k = sum(d[0..f_k)) + phi_k d[f_k] is the mass left of b_k;</li>
 * <li>width t / 128 >= 1, so a bin is either inside one level [ceil(b_i), f_{i+1}) with Q = v_i, or it is the bin
 * f_k of a non-integer boundary (0 < k < 128) shared by two levels with Q = phi_k v_{k-1} + (1 - phi_k) v_k. b_0 and
 * b_128 = t are integers, so the tail bin t-1 lies inside level 127: Q = v_127, P = d[t-1] + tail (a float sum, as
 * in ncnn).</li>
 * </ul>
 * Hence KL = sum_{j<t} P log P - sum_i W_i log v_i - sum_{0<k<128, phi_k>0} d[f_k] log Q_k
 * - (P_{t-1} - d[t-1]) log v_127,
 * with W_i = sum(d[ceil(b_i) .. f_{i+1})) and the first sum from a prefix sum of d log d.
 *
 * <p>Accuracy: sums and logs in double ({@link VectorOperators#LOG} is within 1 ulp of {@link Math#log}; q_127, which
 * the tail mass multiplies, is summed bin by bin). Tested against the same element-wise definition evaluated in
 * double: within 1e-11 * max(1, |KL|) (observed 5e-13). Against ncnn's float32 loops, which round every Q and every
 * term to float and sum up to B float terms: within 5e-5 * max(1, |KL|) (observed up to 1e-5 on sparse shapes, the
 * loops' own rounding), with the same chosen candidate on every test shape. The divergence depends on t only, never
 * on threads or on the other candidates.
 *
 * <p>Cost (2048 bins, 1920 candidates, about 0.95 ms): the level boundaries about 0.42 ms (two plain loads per level
 * at f_k, then vector arithmetic), the two {@link VectorOperators#LOG} calls per {@link #LANES} levels (an SVML
 * call on x86) most of the rest.
 */
final class KlNcnnLevels {
    /** ncnn's number of quantized levels. */
    static final int LEVELS = 128;
    /** Largest candidate whose float32 level boundaries are exact (128 * t <= 2^24). */
    static final int MAX_EXACT_CANDIDATE = (1 << 24) / LEVELS;

    /**
     * Only preferred-shape species (doubles and longs: the same lane count): a process that has run other
     * Vector API code of one shape (the engine and the histograms use the preferred one) and then meets another
     * shape here gets shared library call sites with two receiver types, which C2 no longer intrinsifies. A 256-bit
     * int vector in this class made every search 4x slower after a calibration in the same JVM.
     */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    /** Levels evaluated per vector; 128 is a multiple of every species length (2 .. 8). */
    static final int LANES = D.length();
    private static final long[] LEVEL_INDEX = new long[LEVELS];

    static {
        for (int k = 0; k < LEVELS; k++) {
            LEVEL_INDEX[k] = k;
        }
    }

    private final float[] dist32;
    private final double[] dist;
    private final double[] sum;
    private final double[] dlogd;
    private final double[] binDlogd;
    /**
     * Per boundary k = 0 .. 129 (scratch, one set per worker): sum(d[0..f_k)); sum(d[0..ceil(b_k))); the shared
     * bin's d[f_k] if b_k is not an integer, else 0; phi_k; M_k.
     */
    private final double[] below = new double[LEVELS + 2];
    private final double[] upTo = new double[LEVELS + 2];
    private final double[] sharedBin = new double[LEVELS + 2];
    private final double[] phi = new double[LEVELS + 2];
    private final double[] massLeft = new double[LEVELS + 2];

    /** Tables for the floored, normalised distribution {@code dist} (every entry > 0). */
    KlNcnnLevels(float[] dist) {
        int n = dist.length;
        this.dist32 = dist;
        this.dist = new double[n];
        sum = new double[n + 1];
        dlogd = new double[n + 1];
        binDlogd = new double[n];
        for (int j = 0; j < n; j++) {
            double d = dist[j];
            this.dist[j] = d;
            binDlogd[j] = d * FastLog.log(d);
            sum[j + 1] = sum[j] + d;
            dlogd[j + 1] = dlogd[j] + binDlogd[j];
        }
    }

    /** Shares {@code tables}' read-only prefix sums, with scratch of its own (one per worker). */
    KlNcnnLevels(KlNcnnLevels tables) {
        dist32 = tables.dist32;
        dist = tables.dist;
        sum = tables.sum;
        dlogd = tables.dlogd;
        binDlogd = tables.binDlogd;
    }

    /** The floored, normalised distribution these tables were built for (shared, not copied). */
    float[] dist() {
        return dist32;
    }

    /** Whether this evaluator applies: candidates up to t = bins - 1 exact, and no empty bin. */
    static boolean applies(float[] dist) {
        if (dist.length - 1 > MAX_EXACT_CANDIDATE) {
            return false;
        }
        for (float d : dist) {
            if (!(d > 0)) {
                return false;
            }
        }
        return true;
    }

    /** KL of candidate t (128 <= t < bins) whose tail mass sum(d[t..B)) is {@code tail}; see the class comment. */
    double divergence(int t, float tail) {
        boundaries(t);
        double scale = (double) LEVELS / t;
        DoubleVector levelAcc = DoubleVector.zero(D); // two sums: independent dependency chains
        DoubleVector sharedAcc = DoubleVector.zero(D);
        for (int i = 0; i < LEVELS; i += LANES) {
            DoubleVector m1 = DoubleVector.fromArray(D, massLeft, i + 1);
            DoubleVector v = m1.sub(DoubleVector.fromArray(D, massLeft, i)).mul(scale);
            DoubleVector vNext = DoubleVector.fromArray(D, massLeft, i + 2).sub(m1).mul(scale);
            DoubleVector phiNext = DoubleVector.fromArray(D, phi, i + 1);
            DoubleVector interior = DoubleVector.fromArray(D, below, i + 1).sub(DoubleVector.fromArray(D, upTo, i));
            DoubleVector shared = phiNext.fma(v.sub(vNext), vNext); // phi v + (1 - phi) vNext
            levelAcc = interior.fma(v.lanewise(VectorOperators.LOG), levelAcc);
            DoubleVector sharedMass = DoubleVector.fromArray(D, sharedBin, i + 1);
            sharedAcc = sharedMass.fma(shared.lanewise(VectorOperators.LOG), sharedAcc);
        }
        double lastLog = FastLog.log(lastLevelMass(t) * scale);
        float p = dist32[t - 1] + tail;
        double pLogP = dlogd[t] - binDlogd[t - 1] + (p != 0 ? p * FastLog.log(p) : 0); // ncnn skips P == 0
        double pLogQ = levelAcc.add(sharedAcc).reduceLanes(VectorOperators.ADD) + (p - dist[t - 1]) * lastLog;
        return pLogP - pLogQ;
    }

    /**
     * A lower bound on {@link #divergence}(t, tail) that costs no level work, for skipping candidates that cannot be
     * chosen: the log-sum inequality sum(a log(a/b)) >= sum(a) log(sum(a) / sum(b)) applied to two groups of bins,
     * [0, t-1) and the tail bin t-1:
     * KL >= P1 log(P1/Q1) + P2 log(P2/Q2), with P1 = sum(d[0..t-1)), P2 = d[t-1] + tail (the same float sum as in
     * the divergence), Q2 = v_127 (bin t-1 lies inside level 127) and Q1 = sum(d[0..t)) - v_127, because Q spreads
     * each level's mass over that level's bins and so sums to sum(d[0..t)).
     *
     * <p>The second term is the cost of folding the tail into one bin. It grows as t falls, so it rules out the low
     * candidates once a smaller divergence is known (about 30-55% of them on the reference models' tensors), and is
     * close to 0 above the minimum. Computed in double with {@link FastLog}: within about 1e-15 of the exact bound,
     * far inside the margin {@link KlNcnn} leaves.
     */
    double lowerBound(int t, float tail) {
        double lastValue = lastLevelMass(t) * LEVELS / t;
        double insideMass = sum[t - 1];
        double insideQ = sum[t] - lastValue;
        double tailBin = dist32[t - 1] + tail;
        return insideMass * FastLog.log(insideMass / insideQ) + tailBin * FastLog.log(tailBin / lastValue);
    }

    /**
     * Fills the boundary scratch for candidate t: the prefix sum and d at each floor f_k one by one, then k = 0 ..
     * 127 by vectors, k = 128 (b = t) directly, and k = 129 as padding that makes the (masked-out) shared bin of level 127
     * finite.
     */
    private void boundaries(int t) {
        // Plain loads at f_k rather than vector gathers: JDK 17 gathers load their index map as an int vector of
        // half the shape, and once other code has compiled that load for the preferred shape, the gathers fall
        // back to a lane-by-lane loop (4x slower searches after a calibration in the same JVM).
        for (int k = 0; k < LEVELS; k++) {
            int f = k * t >>> 7; // floor(k t / 128); k t < 2^24
            below[k] = sum[f];
            sharedBin[k] = dist[f];
        }
        for (int k = 0; k < LEVELS; k += LANES) {
            LongVector scaled = LongVector.fromArray(L, LEVEL_INDEX, k).mul(t);
            DoubleVector frac = ((DoubleVector) scaled.and(LEVELS - 1).convertShape(VectorOperators.L2D, D, 0))
                    .mul(1.0 / LEVELS);
            DoubleVector s = DoubleVector.fromArray(D, below, k);
            DoubleVector d = DoubleVector.fromArray(D, sharedBin, k)
                    .blend(0.0, frac.compare(VectorOperators.EQ, 0.0));
            s.add(d).intoArray(upTo, k);
            d.intoArray(sharedBin, k);
            frac.intoArray(phi, k);
            frac.fma(d, s).intoArray(massLeft, k);
        }
        below[LEVELS] = sum[t];
        sharedBin[LEVELS] = 0;
        phi[LEVELS] = 0;
        massLeft[LEVELS] = sum[t];
        massLeft[LEVELS + 1] = sum[t] + 1;
    }

    /**
     * The same algebra one level at a time in scalar code (for tests and as the readable statement of the method);
     * agrees with {@link #divergence} up to summation order and log rounding.
     */
    double divergenceScalar(int t, float tail) {
        double scale = (double) LEVELS / t;
        double[] value = new double[LEVELS];
        double pLogQ = 0;
        for (int i = 0; i < LEVELS; i++) {
            int lo = (int) (((long) i * t + LEVELS - 1) / LEVELS); // ceil(b_i)
            int hi = (int) ((long) (i + 1) * t / LEVELS); // floor(b_{i+1})
            value[i] = (massAt(i + 1, t) - massAt(i, t)) * scale;
            pLogQ += (sum[hi] - sum[lo]) * Math.log(value[i]);
        }
        for (int k = 1; k < LEVELS; k++) {
            int f = (int) ((long) k * t / LEVELS);
            double fraction = (double) ((long) k * t % LEVELS) / LEVELS;
            if (fraction > 0) {
                pLogQ += dist[f] * Math.log(fraction * value[k - 1] + (1 - fraction) * value[k]);
            }
        }
        float p = dist32[t - 1] + tail;
        pLogQ += (p - dist[t - 1]) * Math.log(lastLevelMass(t) * scale);
        return dlogd[t] - binDlogd[t - 1] + (p != 0 ? p * Math.log(p) : 0) - pLogQ;
    }

    /**
     * q_127 summed bin by bin (t / 128 + 1 bins). The tail bin weighs log(v_127) by the whole tail mass, and a
     * difference of prefix sums near 1 would lose relative precision when the last level is nearly empty
     * (1e-16 / q_127; observed 5e-10 absolute on the divergence).
     */
    private double lastLevelMass(int t) {
        long scaled = (long) (LEVELS - 1) * t;
        int f = (int) (scaled / LEVELS);
        double fraction = (double) (scaled % LEVELS) / LEVELS;
        double q = fraction > 0 ? (1 - fraction) * dist[f] : dist[f];
        for (int j = f + 1; j < t; j++) {
            q += dist[j];
        }
        return q;
    }

    /** M_k: the mass of d left of b_k = k t / 128. */
    private double massAt(int k, int t) {
        int f = (int) ((long) k * t / LEVELS);
        double fraction = (double) ((long) k * t % LEVELS) / LEVELS;
        return sum[f] + fraction * (fraction > 0 ? dist[f] : 0);
    }
}
