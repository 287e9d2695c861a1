package org.quantlens.runtime.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quantlens.runtime.RequantMode;
import org.quantlens.runtime.reference.Requantizer;

/** The vectorised row requantization against {@link Requantizer#apply(int, int)}, value by value. */
class RowRequantizerTest {
    private static final int COUNT = 45; // not a whole number of vectors

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void everyAccumulatorMatchesTheScalarRequantizer(RequantMode mode) {
        RandomCases r = new RandomCases(mode.ordinal() + 5);
        double[] multipliers = {0, 1e-12, 3e-10, 0.5, 0.25, 0.75, 1, 1.5, 3, 1000, 1 << 20, 0x1p30, 0.0123};
        int[] special = {0, 1, -1, 2, -2, 3, -3, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 7,
            Integer.MIN_VALUE + 9, 1 << 20, -(1 << 20), 255, -255};
        for (int round = 0; round < 200; round++) {
            double[] m = new double[3];
            for (int c = 0; c < m.length; c++) {
                m[c] = r.coin() ? multipliers[r.between(0, multipliers.length - 1)] : r.multiplier();
            }
            boolean unsigned = r.coin();
            int zp = unsigned ? r.between(0, 255) : r.between(-128, 127);
            int lo = unsigned ? r.between(0, zp) : r.between(-128, zp);
            int hi = unsigned ? r.between(zp, 255) : r.between(zp, 127);
            Requantizer rq = new Requantizer(mode, m, zp, lo, hi);
            int[] acc = new int[Int8Gemm.roundUp(COUNT) + 3];
            for (int j = 0; j < acc.length; j++) {
                acc[j] = r.coin() ? special[r.between(0, special.length - 1)] : r.between(-(1 << 24), 1 << 24);
            }
            int addend = r.coin() ? 0 : r.between(Integer.MIN_VALUE / 2, Integer.MAX_VALUE / 2);
            int channel = r.between(0, 2);
            byte[] out = new byte[COUNT + 2];
            new RowRequantizer(rq).apply(acc, 3, COUNT, addend, channel, out, 2, new RowRequantizer.Scratch(COUNT));
            for (int j = 0; j < COUNT; j++) {
                int expected = rq.apply(acc[3 + j] + addend, channel);
                assertEquals((byte) expected, out[2 + j], "multiplier " + m[channel] + " acc " + (acc[3 + j] + addend));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RequantMode.class)
    void accumulatorsNextToEveryRoundingTieMatchTheScalarRequantizer(RequantMode mode) {
        RandomCases r = new RandomCases(mode.ordinal() + 17);
        for (int round = 0; round < 300; round++) {
            double m = round % 3 == 0 ? Math.scalb(1.0, -r.between(1, 20)) : r.multiplier();
            int zp = r.between(0, 255);
            Requantizer rq = new Requantizer(mode, new double[] {m}, zp, 0, 255);
            int[] acc = new int[Int8Gemm.roundUp(COUNT)];
            for (int j = 0; j < COUNT; j++) {
                // just below, on and above the accumulator where acc * m is k + 1/2, for k around the code range
                double tie = (r.between(-300, 300) + 0.5) / m;
                long a = Math.round(tie) + r.between(-2, 2);
                acc[j] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, a));
            }
            byte[] out = new byte[COUNT];
            new RowRequantizer(rq).apply(acc, 0, COUNT, 0, 0, out, 0, new RowRequantizer.Scratch(COUNT));
            for (int j = 0; j < COUNT; j++) {
                assertEquals((byte) rq.apply(acc[j], 0), out[j], "multiplier " + m + " acc " + acc[j]);
            }
        }
    }
}
