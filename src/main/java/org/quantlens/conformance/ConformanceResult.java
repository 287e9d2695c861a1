package org.quantlens.conformance;

/**
 * The outcome of one ONNX backend test: {@code status} is "pass", "fail" or "unsupported"; {@code detail} says why
 * (max abs/rel error of the worst output, the error message, or the unsupported operator).
 */
public record ConformanceResult(String name, String status, String detail) {
    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    public static final String UNSUPPORTED = "unsupported";

    public boolean passed() {
        return PASS.equals(status);
    }

    public boolean failed() {
        return FAIL.equals(status);
    }
}
