package org.quantlens.cli;

import org.quantlens.calib.search.RangeMethod;
import org.quantlens.calib.search.RangeOptions;
import org.quantlens.tensor.InvalidInputException;
import picocli.CommandLine.Option;

/** The range methods' tuning options that {@code calibrate} and {@code range} share (a picocli mixin). */
final class MethodTuning {
    @Option(names = "--percentile", defaultValue = "99.999",
            description = "Percentile for --method percentile (default ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--ema-constant", defaultValue = "0.01",
            description = "ema averaging constant (default ${DEFAULT-VALUE}).")
    double emaConstant;

    @Option(names = "--suppress-zero-spike",
            description = "kl-tensorrt: count the zero bin like its neighbour first (NVIDIA pytorch-quantization), "
                    + "so a ReLU's spike of zeros does not pull the threshold down.")
    boolean suppressZeroSpike;

    /** The core search options for {@code method} with these settings (see {@link MethodArgs#options}). */
    RangeOptions options(RangeMethod method, String schemeName, int bits) {
        return MethodArgs.options(method, schemeName, bits, percentile, suppressZeroSpike);
    }

    /** {@code --ema-constant}, checked to lie in [0, 1]. */
    double emaConstant() {
        if (!(emaConstant >= 0 && emaConstant <= 1)) {
            throw new InvalidInputException("--ema-constant must be in [0, 1], got " + emaConstant);
        }
        return emaConstant;
    }
}
