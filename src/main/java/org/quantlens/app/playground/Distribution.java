package org.quantlens.app.playground;

import java.util.Random;

/**
 * Synthetic value distributions for the playground, every one drawn from a fixed seed so a picture can be made
 * again: unit Gaussian, Laplace with scale 1/sqrt(2) (variance 1, as the Gaussian), a ReLU'd Gaussian (max(0, x):
 * half the values exactly 0, like post-activation tensors), and a bimodal mixture of two Gaussians of sd 0.35 at -1.5
 * and +1.5. Outliers: a fraction of the values (the first of them, picked by the same seeded generator) is replaced
 * by +-magnitude times a factor in [1, 1.25) (positive only for ReLU), as heavy-tailed layers show.
 */
public enum Distribution {
    GAUSSIAN("Gaussian"),
    LAPLACE("Laplace"),
    RELU("ReLU'd Gaussian"),
    BIMODAL("Bimodal");

    private final String label;

    Distribution(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * {@code n} values of this distribution with outliers.
     *
     * @param outlierFraction fraction of values replaced by outliers, in [0, 1]
     * @param magnitude       outlier magnitude (>= 0), in units of the base distribution's standard deviation 1
     */
    public float[] sample(int n, double outlierFraction, double magnitude, long seed) {
        if (!(outlierFraction >= 0 && outlierFraction <= 1) || !(magnitude >= 0)) {
            throw new IllegalArgumentException("outlier fraction must be in [0, 1] and magnitude >= 0");
        }
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) base(r);
        }
        int outliers = (int) Math.round(outlierFraction * n);
        for (int k = 0; k < outliers; k++) {
            int i = r.nextInt(n);
            double sign = this == RELU || r.nextBoolean() ? 1 : -1;
            v[i] = (float) (sign * magnitude * (1 + 0.25 * r.nextDouble()));
        }
        return v;
    }

    private double base(Random r) {
        return switch (this) {
            case GAUSSIAN -> r.nextGaussian();
            case LAPLACE -> laplace(r, 1 / Math.sqrt(2));
            case RELU -> Math.max(0, r.nextGaussian());
            case BIMODAL -> (r.nextBoolean() ? 1.5 : -1.5) + 0.35 * r.nextGaussian();
        };
    }

    /** Inverse CDF of Laplace(0, b): -b sign(u) ln(1 - 2|u|) for u uniform in (-1/2, 1/2). */
    private static double laplace(Random r, double b) {
        double u = r.nextDouble() - 0.5;
        return -b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
    }
}
