package org.quantlens.runtime.fast;

import java.util.SplittableRandom;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.RequantMode;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.runtime.reference.Requantizer;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Random operands for the fast-vs-reference comparisons. Test-only. */
final class RandomCases {
    private final SplittableRandom rnd;

    RandomCases(long seed) {
        rnd = new SplittableRandom(seed);
    }

    int between(int lo, int hi) {
        return (int) (lo + rnd.nextLong((long) hi - lo + 1));
    }

    boolean coin() {
        return rnd.nextBoolean();
    }

    /** uint8 or int8 activation parameters with a random zero point anywhere in the code range. */
    QuantParams activation(boolean unsigned) {
        return unsigned ? new QuantParams(0.1f, between(0, 255), 0, 255)
                : new QuantParams(0.1f, between(-128, 127), -128, 127);
    }

    Tensor codes(Shape s, QuantParams p) {
        int[] q = new int[s.numElements()];
        for (int i = 0; i < q.length; i++) {
            q[i] = between(p.qmin(), p.qmax());
        }
        return QuantTensors.fromCodes(q, s, p);
    }

    /** Weight codes: symmetric int8 (zero point 0), int8 with random zero points, or uint8 (as QLinearConv allows). */
    int[][] weights(int count, int channels) {
        int kind = between(0, 2);
        int[] w = new int[count];
        int[] z = new int[channels];
        for (int i = 0; i < count; i++) {
            w[i] = kind == 2 ? between(0, 255) : between(-128, 127);
        }
        for (int c = 0; c < channels; c++) {
            z[c] = kind == 0 ? 0 : kind == 1 ? between(-128, 127) : between(0, 255);
        }
        return new int[][] {w, z};
    }

    int[] biasOrNull(int channels) {
        if (rnd.nextInt(4) == 0) {
            return null;
        }
        int[] b = new int[channels];
        for (int c = 0; c < channels; c++) {
            b[c] = between(-1 << 20, 1 << 20);
        }
        return b;
    }

    /** Mostly realistic (1e-5..1e-2), sometimes above 1 (left shifts), exact powers of two (ties) or 0. */
    double multiplier() {
        return switch (rnd.nextInt(6)) {
            case 0 -> Math.pow(10, -2 + 3.5 * rnd.nextDouble());
            case 1 -> Math.scalb(1.0, -between(1, 12));
            case 2 -> 0.0;
            default -> Math.pow(10, -5 + 3 * rnd.nextDouble());
        };
    }

    /** Per-channel or per-tensor, either mode, random output range and clamp; null a quarter of the time. */
    Requantizer requantizerOrNull(int channels, QuantParams y) {
        if (rnd.nextInt(4) == 0) {
            return null;
        }
        double[] m = new double[coin() ? channels : 1];
        for (int c = 0; c < m.length; c++) {
            m[c] = multiplier();
        }
        int lo = between(y.qmin(), y.zeroPoint());
        int hi = between(Math.max(lo, y.zeroPoint()), y.qmax());
        RequantMode mode = coin() ? RequantMode.FIXED_POINT : RequantMode.FLOAT;
        return new Requantizer(mode, m, y.zeroPoint(), lo, hi);
    }
}
