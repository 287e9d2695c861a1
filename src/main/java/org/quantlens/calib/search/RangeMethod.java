package org.quantlens.calib.search;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.quantlens.tensor.InvalidInputException;

/** The range methods by their command-line names. */
public enum RangeMethod {
    MINMAX("minmax"),
    EMA("ema"),
    PERCENTILE("percentile"),
    KL_TENSORRT("kl-tensorrt"),
    KL_ONNXRUNTIME("kl-onnxruntime"),
    KL_NCNN("kl-ncnn"),
    MSE("mse"),
    ACIQ("aciq");

    private final String cliName;

    RangeMethod(String cliName) {
        this.cliName = cliName;
    }

    /** The name used by {@code --method}. */
    public String cliName() {
        return cliName;
    }

    /** The method called {@code name} on the command line; InvalidInputException listing the valid names otherwise. */
    public static RangeMethod fromCli(String name) {
        for (RangeMethod m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new InvalidInputException("unknown range method \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(RangeMethod::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
