package org.quantlens.cli;

import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.quant.QuantScheme;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.InvalidInputException;

/**
 * The range-method options {@code calibrate} and {@code range} share, turned into core settings with one-line
 * errors for bad values.
 *
 * <p>Percentile's mode follows ONNX Runtime: symmetric (on |x|) by default, even for uint8 activations; an
 * explicitly given asymmetric scheme ({@code --scheme uint8-asymmetric} or {@code int8-asymmetric}) selects the
 * asymmetric two-sided cut instead. For minmax and ema a symmetric scheme makes the range (-t, t).
 */
final class MethodArgs {
    private MethodArgs() {
    }

    static RangeMethod method(String name) {
        return RangeMethod.fromCli(name);
    }

    /** The scheme named by {@code --scheme}, uint8-asymmetric when not given. */
    static QuantScheme scheme(String name) {
        if (name == null) {
            return QuantScheme.UINT8_ASYMMETRIC;
        }
        try {
            return QuantScheme.fromCliName(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--scheme: " + e.getMessage());
        }
    }

    static QuantSpec spec(QuantScheme scheme, int bits, String option) {
        if (bits < 2 || bits > 16) {
            throw new InvalidInputException(option + " must be in 2..16, got " + bits);
        }
        return QuantSpec.of(scheme, bits);
    }

    /** True when percentile should use ORT's symmetric |x| rule (see the class comment). */
    static boolean symmetricPercentile(String schemeName) {
        return schemeName == null || scheme(schemeName).symmetric();
    }

    static RangeOptions options(RangeMethod method, String schemeName, int bits, double percentile) {
        return options(method, schemeName, bits, percentile, RangeOptions.DEFAULT.suppressZeroSpike());
    }

    /** As above, with kl-tensorrt's zero-spike suppression (pytorch-quantization's bins[0] = bins[1]) chosen. */
    static RangeOptions options(RangeMethod method, String schemeName, int bits, double percentile,
                                boolean suppressZeroSpike) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new InvalidInputException("--percentile must be in [0, 100], got " + percentile);
        }
        boolean symmetric = method == RangeMethod.PERCENTILE ? symmetricPercentile(schemeName)
                : scheme(schemeName).symmetric();
        RangeOptions d = RangeOptions.DEFAULT;
        return new RangeOptions(bits, symmetric, percentile, d.numQuantizedBins(), suppressZeroSpike,
                d.aciqPrior());
    }
}
