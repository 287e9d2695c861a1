package org.quantlens.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Golden values: ONNX Runtime's own test_quant_util.py cases for compute_scale_zp, and hand computation from
 * the formulas of ORT's quant_utils.py and PyTorch's observer._calculate_qparams.
 */
class QuantParamsTest {
    private static final QuantSpec UINT8 = QuantSpec.of(QuantScheme.UINT8_ASYMMETRIC);
    private static final QuantSpec INT8_SYM = QuantSpec.of(QuantScheme.INT8_SYMMETRIC);
    private static final QuantSpec INT8_ASYM = QuantSpec.of(QuantScheme.INT8_ASYMMETRIC);

    private static void assertParams(float scale, int zp, QuantParams p) {
        assertEquals(scale, p.scale(), 0f, "scale of " + p);
        assertEquals(zp, p.zeroPoint(), "zero point of " + p);
    }

    @Test
    void onnxRuntimeMatchesOrtsOwnComputeScaleZpTests() {
        // test_quant_util.py: compute_scale_zp(rmin, rmax, qmin, qmax, symmetric) -> [zp, scale]
        assertParams(1f, 0, QuantParams.onnxRuntime(0f, 0f, -127, 127, true, false));
        assertParams(1f, 0, QuantParams.onnxRuntime(0f, 0f, 0, 255, true, false));
        assertParams((float) (4.0 / 254), 0, QuantParams.onnxRuntime(-1f, 2f, -127, 127, true, false));
        assertParams((float) (3.0 / 254), -42, QuantParams.onnxRuntime(-1f, 2f, -127, 127, false, false));
        assertParams((float) (4.0 / 255), 128, QuantParams.onnxRuntime(-1f, 2f, 0, 255, true, false));
        assertParams((float) (3.0 / 255), 85, QuantParams.onnxRuntime(-1f, 2f, 0, 255, false, false));
        float tiny = Float.MIN_NORMAL * 0.1f;
        assertParams(1f, 0, QuantParams.onnxRuntime(-tiny, tiny, 0, 255, true, false));
        assertParams(1f, 0, QuantParams.onnxRuntime(-tiny, 0f, 0, 255, false, false));
    }

    @Test
    void onnxRuntimeSpecFormsUseTheSpecRange() {
        assertParams((float) (3.0 / 255), 85, QuantParams.onnxRuntime(-1f, 2f, UINT8));
        assertParams((float) (4.0 / 254), 0, QuantParams.onnxRuntime(-1f, 2f, INT8_SYM)); // threshold/127
        // full int8 symmetric: midpoint round(-0.5) is 0 under half-to-even
        assertParams((float) (4.0 / 255), 0,
                QuantParams.onnxRuntime(-1f, 2f, INT8_SYM.withRestrictedSymmetric(false)));
        // int8 affine (-1, 2): -128 + 1 / (3/255) = -43
        assertParams((float) (3.0 / 255), -43, QuantParams.onnxRuntime(-1f, 2f, INT8_ASYM));
    }

    @Test
    void onnxRuntimeWidensTheRangeToIncludeZero() {
        assertParams((float) (5.0 / 255), 0, QuantParams.onnxRuntime(2f, 5f, UINT8));
        assertParams((float) (4.0 / 255), 255, QuantParams.onnxRuntime(-4f, -1f, UINT8));
    }

    @Test
    void onnxRuntimeZeroPointRoundsHalfToEven() {
        // (-1, 1): 1 / (2/255) = 127.5 -> 128 ; (-253, 257): scale 510/255 = 2, 253 / 2 = 126.5 -> 126
        assertParams((float) (2.0 / 255), 128, QuantParams.onnxRuntime(-1f, 1f, UINT8));
        assertParams(2f, 126, QuantParams.onnxRuntime(-253f, 257f, UINT8));
    }

    @Test
    void onnxRuntimeMinEqualsMaxGivesScaleOneZeroPointZeroEvenForInt8Affine() {
        assertParams(1f, 0, QuantParams.onnxRuntime(0f, 0f, INT8_ASYM));
        assertParams(1f, 0, QuantParams.onnxRuntime(0f, 0f, UINT8));
    }

    @Test
    void powerOfTwoScaleRoundsUpAndRecomputesTheAffineZeroPoint() {
        // 4/254 = 0.01575 -> 2^-5 ; 3/255 = 0.01176 -> 2^-6, zero point 1 / 2^-6 = 64
        assertParams(0x1p-5f, 0, QuantParams.onnxRuntime(-1f, 2f, INT8_SYM.withPowerOfTwoScale(true)));
        assertParams(0x1p-6f, 64, QuantParams.onnxRuntime(-1f, 2f, UINT8.withPowerOfTwoScale(true)));
        assertEquals(0.25f, QuantParams.powerOfTwoAtLeast(0.25f));
        assertEquals(0.5f, QuantParams.powerOfTwoAtLeast(0.25000003f));
        assertEquals(4f, QuantParams.powerOfTwoAtLeast(3f));
    }

    @Test
    void pyTorchAffineAndSymmetricFollowCalculateQparams() {
        // affine quint8: scale 3/255, zp = 0 - round(-1 / scale) = 85
        assertParams(3f / 255f, 85, QuantParams.pyTorch(-1f, 2f, UINT8));
        // symmetric qint8 full range: scale = 2 / ((127 - -128) / 2) = 2 / 127.5, zp 0
        assertParams(2f / 127.5f, 0, QuantParams.pyTorch(-1f, 2f, INT8_SYM.withRestrictedSymmetric(false)));
        // reduce_range quint8 [0, 127]: scale 3/127, zp = round(42.33) = 42
        assertParams(3f / 127f, 42, QuantParams.pyTorch(-1f, 2f, UINT8.withReduceRange(true)));
    }

    @Test
    void pyTorchBoundsTheScaleByEpsAndKeepsItsZeroRangeZeroPoint() {
        assertParams(QuantParams.TORCH_EPS, 0, QuantParams.pyTorch(0f, 0f, UINT8));
        assertParams(QuantParams.TORCH_EPS, -128, QuantParams.pyTorch(0f, 0f, INT8_ASYM));
        assertParams(QuantParams.TORCH_EPS, 0, QuantParams.pyTorch(0f, 0f, INT8_SYM));
        // range 2e-9 / 255 is far below eps; zp = -round(-1e-9 / eps) = 0
        assertParams(QuantParams.TORCH_EPS, 0, QuantParams.pyTorch(-1e-9f, 1e-9f, UINT8));
        assertEquals(1.1920929e-07f, QuantParams.TORCH_EPS);
    }

    @Test
    void nonFiniteRangesAndBadParamsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> QuantParams.onnxRuntime(Float.NaN, 1f, UINT8));
        assertThrows(IllegalArgumentException.class,
                () -> QuantParams.onnxRuntime(0f, Float.POSITIVE_INFINITY, UINT8));
        assertThrows(IllegalArgumentException.class, () -> QuantParams.pyTorch(Float.NaN, 1f, UINT8));
        assertThrows(IllegalArgumentException.class, () -> QuantParams.onnxRuntime(-3e38f, 3e38f, UINT8));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(0f, 0, 0, 255));
        assertThrows(IllegalArgumentException.class, () -> new QuantParams(1f, 256, 0, 255));
    }

    @Test
    void clipLimitsAreTheDequantizedEndCodes() {
        QuantParams p = new QuantParams(0.5f, 10, 0, 255);
        assertEquals(-5f, p.clipMin());
        assertEquals(122.5f, p.clipMax());
    }
}
