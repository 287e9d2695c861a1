package org.quantlens.quant;

/**
 * Per-tensor affine quantization parameters: {@code real = scale * (q - zeroPoint)}, {@code q} in
 * {@code [qmin, qmax]}.
 *
 * <p>Two factories reproduce the references bit for bit:
 * <ul>
 *   <li>{@link #onnxRuntime} — ONNX Runtime's {@code compute_scale_zp} (quant_utils.py);</li>
 *   <li>{@link #pyTorch} — PyTorch's {@code UniformQuantizationObserverBase._calculate_qparams}.</li>
 * </ul>
 * Both then apply the spec's power-of-two option ({@link #powerOfTwoAtLeast}).
 *
 * @param scale     step between codes; finite and {@code > 0}
 * @param zeroPoint the code that represents real 0; within {@code [qmin, qmax]}
 * @param qmin      smallest code
 * @param qmax      largest code, {@code > qmin}
 */
public record QuantParams(float scale, int zeroPoint, int qmin, int qmax) {

    /** float32 {@code finfo.tiny}: ONNX Runtime replaces smaller scales by 1. */
    public static final float FLOAT32_TINY = Float.MIN_NORMAL;
    /** {@code torch.finfo(torch.float32).eps} = 2^-23: PyTorch's lower bound on a scale. */
    public static final float TORCH_EPS = 0x1p-23f;

    /** Validates the invariants in the class doc; throws IllegalArgumentException. */
    public QuantParams {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        if (qmin >= qmax) {
            throw new IllegalArgumentException("qmin " + qmin + " must be < qmax " + qmax);
        }
        if (zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " outside [" + qmin + ", " + qmax + "]");
        }
    }

    /**
     * ONNX Runtime's {@code compute_scale_zp(rmin, rmax, qmin, qmax, symmetric)} with the spec's range:
     * <ol>
     *   <li>{@code rmin = min(min, 0)}, {@code rmax = max(max, 0)} (float32);</li>
     *   <li>symmetric: {@code absmax = max(|rmin|, |rmax|)}, {@code rmin = -absmax}, {@code rmax = absmax};</li>
     *   <li>{@code scale64 = double(float32(rmax - rmin)) / double(qmax - qmin)} (numpy: the subtraction is
     *       float32, the division float64);</li>
     *   <li>{@code scale64 < finfo(float32).tiny} (the min == max == 0 case): scale 1, zero point 0 — also 0 for
     *       a symmetric uint range, ORT does not use the midpoint there;</li>
     *   <li>else symmetric: zero point {@code round((qmin + qmax) / 2)}; affine:
     *       {@code round(qmin - rmin / scale64)} in float64, numpy round = half to even, no clamping;
     *       the scale is {@code float32(scale64)}.</li>
     * </ol>
     * With {@code spec.powerOfTwoScale()} the scale is then raised to a power of two and an affine zero point
     * recomputed with it (clamped into range).
     *
     * @throws IllegalArgumentException when min or max is NaN or infinite, or the range overflows float32
     */
    public static QuantParams onnxRuntime(float min, float max, QuantSpec spec) {
        return onnxRuntime(min, max, spec.qmin(), spec.qmax(), spec.symmetric(), spec.powerOfTwoScale());
    }

    /**
     * {@code compute_scale_zp(min, max, qmin, qmax, symmetric)} on an explicit code range (for ranges no
     * {@link QuantSpec} names, e.g. ONNX Runtime's reduced int8 range [-64, 64]); see
     * {@link #onnxRuntime(float, float, QuantSpec)}.
     */
    public static QuantParams onnxRuntime(float min, float max, int qmin, int qmax, boolean symmetric,
                                          boolean powerOfTwoScale) {
        return new QuantParams(onnxRuntimeScale(min, max, qmin, qmax, symmetric, powerOfTwoScale),
                onnxRuntimeZeroPoint(min, max, qmin, qmax, symmetric, powerOfTwoScale), qmin, qmax);
    }

    /** The scale of {@link #onnxRuntime(float, float, QuantSpec)}, without allocating. */
    public static float onnxRuntimeScale(float min, float max, QuantSpec spec) {
        return onnxRuntimeScale(min, max, spec.qmin(), spec.qmax(), spec.symmetric(), spec.powerOfTwoScale());
    }

    /** The zero point of {@link #onnxRuntime(float, float, QuantSpec)}, without allocating. */
    public static int onnxRuntimeZeroPoint(float min, float max, QuantSpec spec) {
        return onnxRuntimeZeroPoint(min, max, spec.qmin(), spec.qmax(), spec.symmetric(), spec.powerOfTwoScale());
    }

    /** The scale of {@link #onnxRuntime(float, float, int, int, boolean, boolean)}, without allocating. */
    public static float onnxRuntimeScale(float min, float max, int qmin, int qmax, boolean symmetric,
                                         boolean powerOfTwoScale) {
        double scale64 = onnxRuntimeScale64(min, max, qmin, qmax, symmetric);
        float scale = scale64 < FLOAT32_TINY ? 1f : (float) scale64;
        return powerOfTwoScale ? powerOfTwoAtLeast(scale) : scale;
    }

    /** The zero point of {@link #onnxRuntime(float, float, int, int, boolean, boolean)}, without allocating. */
    public static int onnxRuntimeZeroPoint(float min, float max, int qmin, int qmax, boolean symmetric,
                                           boolean powerOfTwoScale) {
        double scale64 = onnxRuntimeScale64(min, max, qmin, qmax, symmetric);
        if (scale64 < FLOAT32_TINY) {
            return 0;
        }
        if (symmetric) {
            return (int) Math.rint((qmin + qmax) / 2.0);
        }
        float rmin = Math.min(min, 0f);
        if (powerOfTwoScale) {
            float pot = powerOfTwoAtLeast((float) scale64);
            return clamp((long) Math.rint(qmin - (double) rmin / pot), qmin, qmax);
        }
        return (int) Math.rint(qmin - (double) rmin / scale64);
    }

    private static double onnxRuntimeScale64(float min, float max, int qmin, int qmax, boolean symmetric) {
        requireFinite(min, max);
        if (qmin > 0 || qmax < 0 || qmin >= qmax) {
            throw new IllegalArgumentException("need qmin <= 0 <= qmax and qmin < qmax, got [" + qmin + ", "
                    + qmax + "]");
        }
        float rmin = Math.min(min, 0f);
        float rmax = Math.max(max, 0f);
        if (symmetric) {
            float absmax = Math.max(Math.abs(rmin), Math.abs(rmax));
            rmin = -absmax;
            rmax = absmax;
        }
        float dr = rmax - rmin;
        if (Float.isInfinite(dr)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] overflows float32");
        }
        return (double) dr / ((double) qmax - qmin);
    }

    /**
     * PyTorch's {@code _calculate_qparams} for {@code per_tensor_affine} / {@code per_tensor_symmetric}
     * (float32 arithmetic throughout, as on a float32 tensor):
     * <ul>
     *   <li>{@code minNeg = min(min, 0)}, {@code maxPos = max(max, 0)};</li>
     *   <li>symmetric: {@code scale = max(-minNeg, maxPos) / ((qmax - qmin) / 2)}, zero point 0 (our symmetric
     *       schemes are signed; PyTorch's 128 for quint8 does not arise);</li>
     *   <li>affine: {@code scale = (maxPos - minNeg) / (qmax - qmin)},
     *       {@code zeroPoint = clamp(qmin - round(minNeg / scale), qmin, qmax)}, round = half to even;</li>
     *   <li>{@code scale = max(scale, eps)} with eps = 2^-23 before the zero point, so min == max == 0 gives
     *       scale eps and zero point qmin (affine) or 0 (symmetric).</li>
     * </ul>
     * reduce_range comes from the spec's range ([0, 127] quint8, [-64, 63] qint8).
     *
     * @throws IllegalArgumentException when min or max is NaN or infinite, or the range overflows float32
     */
    public static QuantParams pyTorch(float min, float max, QuantSpec spec) {
        requireFinite(min, max);
        int qmin = spec.qmin();
        int qmax = spec.qmax();
        float minNeg = Math.min(min, 0f);
        float maxPos = Math.max(max, 0f);
        float scale;
        int zeroPoint;
        if (spec.symmetric()) {
            scale = Math.max(Math.max(-minNeg, maxPos) / ((float) (qmax - qmin) / 2f), TORCH_EPS);
            zeroPoint = 0;
        } else {
            float dr = maxPos - minNeg;
            if (Float.isInfinite(dr)) {
                throw new IllegalArgumentException("range [" + min + ", " + max + "] overflows float32");
            }
            scale = Math.max(dr / (float) (qmax - qmin), TORCH_EPS);
            zeroPoint = clamp(qmin - (long) Math.rint(minNeg / scale), qmin, qmax);
        }
        if (spec.powerOfTwoScale()) {
            scale = powerOfTwoAtLeast(scale);
            if (!spec.symmetric()) {
                zeroPoint = clamp(qmin - (long) Math.rint(minNeg / scale), qmin, qmax);
            }
        }
        return new QuantParams(scale, zeroPoint, qmin, qmax);
    }

    /**
     * The smallest power of two {@code >= s}: {@code 2^ceil(log2 s)}, computed exactly from the float's bits
     * (a power of two is returned unchanged). {@code s} must be finite and {@code > 0}.
     */
    public static float powerOfTwoAtLeast(float s) {
        if (!(s > 0) || Float.isInfinite(s)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + s);
        }
        int e = Math.getExponent(s);
        if (e < Float.MIN_EXPONENT) {
            // subnormal: normalise first
            return powerOfTwoAtLeast(s * 0x1p24f) * 0x1p-24f;
        }
        float pow = Math.scalb(1f, e);
        return pow == s ? s : Math.scalb(1f, e + 1);
    }

    /** The real value of code {@code qmin}: {@code float32(qmin - zeroPoint) * scale}, as DequantizeLinear. */
    public float clipMin() {
        return (float) (qmin - zeroPoint) * scale;
    }

    /** The real value of code {@code qmax}: {@code float32(qmax - zeroPoint) * scale}, as DequantizeLinear. */
    public float clipMax() {
        return (float) (qmax - zeroPoint) * scale;
    }

    static void requireFinite(float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("range must be finite, got [" + min + ", " + max + "]");
        }
    }

    static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }
}
