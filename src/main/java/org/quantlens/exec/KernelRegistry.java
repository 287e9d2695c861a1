package org.quantlens.exec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.quantlens.exec.kernels.ActivationKernels;
import org.quantlens.exec.kernels.ConvKernel;
import org.quantlens.exec.kernels.ElementwiseKernels;
import org.quantlens.exec.kernels.GemmKernels;
import org.quantlens.exec.kernels.NormalizationKernels;
import org.quantlens.exec.kernels.PadKernel;
import org.quantlens.exec.kernels.PoolKernels;
import org.quantlens.exec.kernels.QuantizeKernels;
import org.quantlens.exec.kernels.ReduceKernels;
import org.quantlens.exec.kernels.ResizeKernel;
import org.quantlens.exec.kernels.ShapeKernels;

/** Operator type (default ONNX domain) to kernel factory. */
public final class KernelRegistry {
    private final Map<String, KernelFactory> factories = new TreeMap<>();
    private final Map<String, ClampFusionFactory> clampFusions = new TreeMap<>();

    /** Every FP32-engine operator QuantLens supports. */
    public static KernelRegistry standard() {
        KernelRegistry r = new KernelRegistry();
        ConvKernel.register(r);
        GemmKernels.register(r);
        PoolKernels.register(r);
        NormalizationKernels.register(r);
        ElementwiseKernels.register(r);
        ActivationKernels.register(r);
        ReduceKernels.register(r);
        QuantizeKernels.register(r);
        ShapeKernels.register(r);
        PadKernel.register(r);
        ResizeKernel.register(r);
        return r;
    }

    public void register(String opType, KernelFactory factory) {
        if (factories.putIfAbsent(opType, factory) != null) {
            throw new IllegalStateException("operator registered twice: " + opType);
        }
    }

    /** Declares that {@code opType} (already registered) can absorb a following Clip or Relu. */
    public void registerClampFusion(String opType, ClampFusionFactory factory) {
        if (!factories.containsKey(opType) || clampFusions.putIfAbsent(opType, factory) != null) {
            throw new IllegalStateException("clamp fusion for an unregistered operator or twice: " + opType);
        }
    }

    /** The clamp fusion of a default-domain operator, or null when it has none. */
    public ClampFusionFactory findClampFusion(String opType) {
        return clampFusions.get(opType);
    }

    /** The factory for a default-domain operator, or null. */
    public KernelFactory find(String opType) {
        return factories.get(opType);
    }

    public boolean supports(String opType) {
        return factories.containsKey(opType);
    }

    /** Supported operator names, sorted. */
    public java.util.Set<String> operators() {
        return Collections.unmodifiableSet(factories.keySet());
    }
}
