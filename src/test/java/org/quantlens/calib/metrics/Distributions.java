package org.quantlens.calib.metrics;

import java.util.Random;

/** Synthetic samples for the metric tests (fixed seeds). */
final class Distributions {
    private Distributions() {
    }

    static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static float[] laplace(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() - 0.5;
            x[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return x;
    }

    static float[] uniform(int n, long seed, double lo, double hi) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return x;
    }

    /** ReLU of a Gaussian shifted by -0.2: about 58% exact zeros. */
    static float[] relu(int n, long seed) {
        float[] x = gaussian(n, seed);
        for (int i = 0; i < n; i++) {
            x[i] = Math.max(0f, x[i] - 0.2f);
        }
        return x;
    }

    static float maxAbs(float[] x) {
        float m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static float min(float[] x) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }
}
