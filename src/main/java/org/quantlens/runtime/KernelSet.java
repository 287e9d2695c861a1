package org.quantlens.runtime;

/**
 * Which implementation of the integer Conv and Gemm/MatMul kernels {@link QuantizedModelBuilder} uses. Both sets
 * have the same class names and produce the same bytes (the fast set is tested bit-exact against the reference).
 */
public enum KernelSet {
    /** {@code org.quantlens.runtime.fast}: im2col + a jdk.incubator.vector int8 GEMM, direct depthwise loop. */
    FAST,
    /** {@code org.quantlens.runtime.reference}: one flat scalar loop nest per kernel. */
    REFERENCE
}
