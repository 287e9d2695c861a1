package org.quantlens.conformance;

import org.quantlens.tensor.DType;
import org.quantlens.tensor.Tensor;

/**
 * Compares an actual tensor with an expected one the way ONNX's backend tests do: dtype and shape must match;
 * floating-point elements must satisfy {@code |actual - expected| <= atol + rtol * |expected|} (numpy's
 * {@code allclose}), with NaN matching NaN and infinities matching exactly; integer and bool elements must be equal.
 *
 * @param matches   whether every element is within tolerance
 * @param maxAbs    the largest absolute difference (0 for exact types that match)
 * @param maxRel    the largest relative difference |a-e|/|e| over elements with e != 0
 * @param problem   null when dtype and shape agree, else what differs
 */
public record TensorComparison(boolean matches, double maxAbs, double maxRel, String problem) {

    public static TensorComparison compare(Tensor actual, Tensor expected, double rtol, double atol) {
        if (actual.dtype() != expected.dtype()) {
            return new TensorComparison(false, Double.NaN, Double.NaN, "dtype " + actual.dtype().displayName()
                    + " instead of " + expected.dtype().displayName());
        }
        if (!actual.shape().equals(expected.shape())) {
            return new TensorComparison(false, Double.NaN, Double.NaN, "shape " + actual.shape() + " instead of "
                    + expected.shape());
        }
        boolean exact = !expected.dtype().isFloatingPoint();
        boolean ok = true;
        double maxAbs = 0;
        double maxRel = 0;
        int n = expected.size();
        for (int i = 0; i < n; i++) {
            double a = actual.getDouble(i);
            double e = expected.getDouble(i);
            if (exact && expected.dtype() == DType.INT64) {
                long la = actual.getLong(i);
                long le = expected.getLong(i);
                if (la != le) {
                    ok = false;
                    maxAbs = Math.max(maxAbs, Math.abs((double) la - le));
                }
                continue;
            }
            if (Double.isNaN(e) || Double.isNaN(a)) {
                if (Double.isNaN(e) != Double.isNaN(a)) {
                    ok = false;
                    maxAbs = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            if (Double.isInfinite(e) || Double.isInfinite(a)) {
                if (a != e) {
                    ok = false;
                    maxAbs = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            double diff = Math.abs(a - e);
            maxAbs = Math.max(maxAbs, diff);
            if (e != 0) {
                maxRel = Math.max(maxRel, diff / Math.abs(e));
            }
            if (exact ? diff != 0 : diff > atol + rtol * Math.abs(e)) {
                ok = false;
            }
        }
        return new TensorComparison(ok, maxAbs, maxRel, null);
    }
}
