package org.quantlens.calib.search;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.calib.Histogram;

/**
 * Analytical clipping (ACIQ): R. Banner, Y. Nahshan, D. Soudry, "Post training 4-bit quantization of convolutional
 * networks for rapid-deployment", NeurIPS 2019. The clipping value alpha minimising the expected quantization MSE
 * of a Laplace(mu, b) or Gaussian(mu, sigma) prior with 2^M levels is alpha* = k_M * b (resp. k_M * sigma).
 *
 * <p>Constants, from the authors' code (github.com/submission2019/cnn-quantization, {@code alpha_laplace},
 * {@code alpha_gaus}, and their "positive" tables for one-sided data), M = bits:
 * <pre>
 * Laplace  M=0..8: 1.05 1.86 2.83 3.89 5.03 6.20 7.41 8.64 9.89     (paper: 2.83b, 3.89b, 5.03b for 2,3,4 bits)
 * Laplace+ M=0..8: 1.86 2.83 3.89 5.03 6.20 7.41 8.64 9.89 11.16   (the M+1 value: one side gets all 2^M levels)
 * Gauss    M=1..8: 1.24 1.71 2.15 2.55 2.93 3.28 3.61 3.92
 * Gauss+   M=1..8: 1.71 2.15 2.55 2.93 3.28 3.61 3.92 4.20
 * </pre>
 * (The commonly quoted "4.15 sigma" for 8-bit Gaussian is not in the authors' tables; we use 3.92 / 4.2.)
 *
 * <p>Statistics are taken from a SIGNED histogram's bin centres: mu = mean, b = mean |x - mu|,
 * sigma = standard deviation. Signed data: [max(min, mu - alpha), min(max, mu + alpha)]. Non-negative data
 * (observed min >= 0, e.g. ReLU outputs): the positive table, [min, min(max, alpha)] with alpha = k+ * b measured
 * on the whole data, as the authors do. An ABSOLUTE histogram gives statistics of |x| (warning). Bits outside the
 * tables are clamped to the nearest entry (warning). Empty or constant data: observed range with a warning.
 */
public final class Aciq {
    /** The assumed distribution. */
    public enum Prior { LAPLACE, GAUSSIAN }

    private static final double[] LAPLACE = {1.05, 1.86, 2.83, 3.89, 5.03, 6.2, 7.41, 8.64, 9.89};
    private static final double[] LAPLACE_POSITIVE = {1.86, 2.83, 3.89, 5.03, 6.2, 7.41, 8.64, 9.89, 11.16};
    private static final double[] GAUSS = {Double.NaN, 1.24, 1.71, 2.15, 2.55, 2.93, 3.28, 3.61, 3.92};
    private static final double[] GAUSS_POSITIVE = {Double.NaN, 1.71, 2.15, 2.55, 2.93, 3.28, 3.61, 3.92, 4.2};

    private Aciq() {
    }

    /** The table multiplier k for bits and prior (one-sided when {@code positive}). */
    public static double multiplier(Prior prior, int bits, boolean positive) {
        double[] table = prior == Prior.LAPLACE ? (positive ? LAPLACE_POSITIVE : LAPLACE)
                : (positive ? GAUSS_POSITIVE : GAUSS);
        int lowest = prior == Prior.LAPLACE ? 0 : 1;
        return table[Math.max(lowest, Math.min(8, bits))];
    }

    public static SearchResult search(Histogram h, int bits, Prior prior) {
        List<String> warnings = new ArrayList<>();
        if (h.isEmpty() || !(h.min() < h.max())) {
            warnings.add(h.isEmpty() ? "empty histogram: range is the observed range or [0, 0]"
                    : "constant data: range is [min, max]");
            return SearchResult.of(Searches.observedOrZero(h), warnings);
        }
        if (h.form() == Histogram.Form.ABSOLUTE) {
            warnings.add("statistics of an |x| histogram describe |x|, not x");
        }
        if (bits > 8 || bits < (prior == Prior.LAPLACE ? 0 : 1)) {
            warnings.add("no ACIQ constant for " + bits + " bits; using the nearest table entry");
        }
        double n = h.total();
        double mean = 0;
        for (int i = 0; i < h.bins(); i++) {
            mean += h.count(i) * centre(h, i);
        }
        mean /= n;
        double mad = 0;
        double var = 0;
        for (int i = 0; i < h.bins(); i++) {
            double d = centre(h, i) - mean;
            mad += h.count(i) * Math.abs(d);
            var += h.count(i) * d * d;
        }
        double scale = prior == Prior.LAPLACE ? mad / n : Math.sqrt(var / n);
        boolean positive = h.min() >= 0;
        double alpha = multiplier(prior, bits, positive) * scale;
        Range r = positive
                ? new Range(h.min(), Math.max(h.min(), Math.min(h.max(), alpha)))
                : new Range(Math.max(h.min(), mean - alpha), Math.min(h.max(), mean + alpha));
        return SearchResult.of(r, warnings);
    }

    private static double centre(Histogram h, int i) {
        return (h.edge(i) + h.edge(i + 1)) / 2;
    }
}
