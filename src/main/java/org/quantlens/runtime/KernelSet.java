package org.quantlens.runtime;

/**
 * Which implementation of the integer Conv, Gemm/MatMul, Add, Mul, Relu/Clip and MaxPool kernels
 * {@link QuantizedModelBuilder} uses (the average pools, Concat and data movement have one implementation). Both sets
 * have the same class names and produce the same bytes (the fast set is tested bit-exact against the reference).
 */
public enum KernelSet {
    /**
     * {@code org.quantlens.runtime.fast}: im2col + a jdk.incubator.vector int8 GEMM, a vectorised depthwise loop,
     * vectorised requantization, lookup tables for the element-wise ops, a byte-level MaxPool.
     */
    FAST,
    /** {@code org.quantlens.runtime.reference}: one flat scalar loop nest per kernel. */
    REFERENCE
}
