package org.quantlens.exec.kernels;

import java.util.function.DoubleUnaryOperator;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.OutputArrays;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernels: Relu, LeakyRelu, Clip, Sigmoid, HardSigmoid, HardSwish, Tanh, Exp, and (in
 * {@link ActivationSoftmax}) Softmax and LogSoftmax.
 *
 * <p>Formulas are the ONNX spec's; float32 inputs take a tight parallel loop, float64 inputs a plain double loop.
 * Transcendentals (Sigmoid, Tanh, Exp) are evaluated in double and rounded once to float32, so they are within half
 * an ulp of the exact value (the ONNX reference computes in float32 with numpy and is within a few ulps).
 * NaN propagates through every operator here (Relu and Clip use {@link Math#max}/{@link Math#min}, which do).
 * <ul>
 *   <li>Relu: {@code max(x, 0)}; float and, from opset 14, int8/int16/int32/int64.</li>
 *   <li>LeakyRelu: {@code x >= 0 ? x : alpha * x}, alpha default 0.01.</li>
 *   <li>Sigmoid: {@code 1 / (1 + exp(-x))}, evaluated as {@code exp(x) / (1 + exp(x))} for negative x so it never
 *       overflows.</li>
 *   <li>HardSigmoid: {@code max(0, min(1, alpha * x + beta))}, alpha 0.2 and beta 0.5 by default, in float32.</li>
 *   <li>HardSwish: {@code x * max(0, min(1, x / 6 + 0.5))} (HardSigmoid with alpha 1/6, beta 0.5, times x).</li>
 *   <li>Tanh, Exp: as named.</li>
 *   <li>Clip: {@code min(max, max(x, min))}, so min &gt; max gives max everywhere (as the spec says). Before opset 11
 *       min/max are float attributes, from 11 optional scalar inputs of x's type; absent bounds are the type's lowest
 *       and highest values. Float and all integer types (uint8 compares unsigned).</li>
 * </ul>
 */
public final class ActivationKernels {
    private ActivationKernels() {
    }

    /** A float32 loop over [start, end), one per operator so each stays monomorphic for the JIT. */
    @FunctionalInterface
    interface FloatLoop {
        void run(float[] in, float[] out, int start, int end);
    }

    /** Relu on float32: {@code max(x, 0)} with {@link Math#max}, so NaN stays NaN and -0 becomes +0. */
    private static final FloatLoop RELU = (in, out, s, e) -> {
        for (int i = s; i < e; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    };

    public static void register(KernelRegistry registry) {
        registry.register("Relu", (node, opset) -> new FloatMapKernel(1, x -> RELU, ActivationKernels::relu));
        registry.register("LeakyRelu", (node, opset) -> {
            float alpha = node.attrFloat("alpha", 0.01f);
            return unary("LeakyRelu", 1, (in, out, s, e) -> {
                for (int i = s; i < e; i++) {
                    out[i] = in[i] >= 0 ? in[i] : alpha * in[i];
                }
            }, v -> v >= 0 ? v : alpha * v);
        });
        registry.register("Sigmoid", (node, opset) -> unary("Sigmoid", 20, (in, out, s, e) -> {
            for (int i = s; i < e; i++) {
                out[i] = (float) sigmoid(in[i]);
            }
        }, ActivationKernels::sigmoid));
        registry.register("HardSigmoid", (node, opset) -> {
            float alpha = node.attrFloat("alpha", 0.2f);
            float beta = node.attrFloat("beta", 0.5f);
            return unary("HardSigmoid", 1, (in, out, s, e) -> {
                for (int i = s; i < e; i++) {
                    out[i] = Math.max(0f, Math.min(1f, alpha * in[i] + beta));
                }
            }, v -> Math.max(0, Math.min(1, alpha * v + beta)));
        });
        registry.register("HardSwish", (node, opset) -> unary("HardSwish", 1, (in, out, s, e) -> {
            for (int i = s; i < e; i++) {
                out[i] = in[i] * Math.max(0f, Math.min(1f, in[i] * (1f / 6f) + 0.5f));
            }
        }, v -> v * Math.max(0, Math.min(1, v / 6 + 0.5))));
        registry.register("Tanh", (node, opset) -> unary("Tanh", 20, (in, out, s, e) -> {
            for (int i = s; i < e; i++) {
                out[i] = (float) Math.tanh(in[i]);
            }
        }, Math::tanh));
        registry.register("Exp", (node, opset) -> unary("Exp", 20, (in, out, s, e) -> {
            for (int i = s; i < e; i++) {
                out[i] = (float) Math.exp(in[i]);
            }
        }, Math::exp));
        registry.register("Clip", ActivationKernels::clip);
        registry.register("Softmax", (node, opset) -> ActivationSoftmax.create(node, opset, false));
        registry.register("LogSoftmax", (node, opset) -> ActivationSoftmax.create(node, opset, true));
    }

    /** Logistic function, stable for large |x|. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** A float-only unary kernel: the float32 loop runs in parallel (or in place), float64 goes through {@code f64}. */
    private static OpKernel unary(String op, long costPerItem, FloatLoop f32, DoubleUnaryOperator f64) {
        return new FloatMapKernel(costPerItem, inputs -> f32, (inputs, ctx) -> {
            Tensor x = ElementwiseNumbers.required(inputs, 0, "X");
            if (x.dtype() == DType.FLOAT32) {
                return new Tensor[] {mapFloats(x, ctx, costPerItem, f32)};
            }
            ElementwiseNumbers.requireType(op, x, DType.FLOAT64);
            double[] in = x.doubles();
            double[] out = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = f64.applyAsDouble(in[i]);
            }
            return new Tensor[] {Tensor.of(DType.FLOAT64, x.shape(), out)};
        });
    }

    static Tensor mapFloats(Tensor x, ExecContext ctx, long costPerItem, FloatLoop loop) {
        float[] in = x.floats();
        float[] out = OutputArrays.floats(in.length);
        ctx.parallelFor(in.length, costPerItem, (s, e) -> loop.run(in, out, s, e));
        return Tensor.of(DType.FLOAT32, x.shape(), out);
    }

    private static Tensor[] relu(Tensor[] inputs, ExecContext ctx) {
        Tensor x = ElementwiseNumbers.required(inputs, 0, "X");
        switch (x.dtype()) {
            case FLOAT32:
                return new Tensor[] {mapFloats(x, ctx, 1, RELU)};
            case FLOAT64: {
                double[] in = x.doubles();
                double[] out = new double[in.length];
                for (int i = 0; i < in.length; i++) {
                    out[i] = Math.max(in[i], 0.0);
                }
                return new Tensor[] {Tensor.of(DType.FLOAT64, x.shape(), out)};
            }
            case INT8, INT16, INT32, INT64: {
                long[] v = ElementwiseNumbers.longs(x).clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.max(v[i], 0);
                }
                return new Tensor[] {ElementwiseNumbers.fromLongs(x.dtype(), x.shape(), v)};
            }
            default:
                throw new KernelException("Relu does not support " + x.dtype().displayName() + " inputs");
        }
    }

    private static OpKernel clip(Node node, long opset) {
        if (opset < 11) {
            float lo = node.attrFloat("min", -Float.MAX_VALUE);
            float hi = node.attrFloat("max", Float.MAX_VALUE);
            FloatLoop loop = clipLoop(lo, hi);
            return new FloatMapKernel(1, inputs -> loop, (inputs, ctx) -> {
                Tensor x = ElementwiseNumbers.required(inputs, 0, "input");
                ElementwiseNumbers.requireType("Clip", x, DType.FLOAT32);
                return new Tensor[] {mapFloats(x, ctx, 1, loop)};
            });
        }
        return new FloatMapKernel(1, ActivationKernels::clipLoop, (inputs, ctx) -> {
            Tensor x = ElementwiseNumbers.required(inputs, 0, "input");
            Tensor min = bound(x, ElementwiseNumbers.optional(inputs, 1), "min");
            Tensor max = bound(x, ElementwiseNumbers.optional(inputs, 2), "max");
            return new Tensor[] {clip(x, min, max, ctx)};
        });
    }

    /** The float32 loop of an opset-11 Clip for these inputs (X known to be float32), or null if a bound is off. */
    private static FloatLoop clipLoop(Tensor[] inputs) {
        Tensor min = ElementwiseNumbers.optional(inputs, 1);
        Tensor max = ElementwiseNumbers.optional(inputs, 2);
        if (!isFloatScalar(min) || !isFloatScalar(max)) {
            return null;
        }
        return clipLoop(min == null ? -Float.MAX_VALUE : min.floats()[0], max == null ? Float.MAX_VALUE : max.floats()[0]);
    }

    private static boolean isFloatScalar(Tensor b) {
        return b == null || (b.dtype() == DType.FLOAT32 && b.size() == 1);
    }

    private static FloatLoop clipLoop(float lo, float hi) {
        return (in, out, s, e) -> {
            for (int i = s; i < e; i++) {
                out[i] = Math.min(hi, Math.max(in[i], lo));
            }
        };
    }

    private static Tensor bound(Tensor x, Tensor b, String what) {
        if (b != null && (b.dtype() != x.dtype() || b.size() != 1)) {
            throw new KernelException("Clip " + what + " must be a single " + x.dtype().displayName() + " value, got "
                    + b.dtype().displayName() + b.shape());
        }
        return b;
    }

    /** Clip with optional scalar bounds (null: the type's lowest / highest value). */
    static Tensor clip(Tensor x, Tensor min, Tensor max, ExecContext ctx) {
        DType t = x.dtype();
        if (t == DType.FLOAT32) {
            float lo = min == null ? -Float.MAX_VALUE : min.floats()[0];
            float hi = max == null ? Float.MAX_VALUE : max.floats()[0];
            return clipFloats(x, lo, hi, ctx);
        }
        if (t == DType.FLOAT64) {
            double lo = min == null ? -Double.MAX_VALUE : min.doubles()[0];
            double hi = max == null ? Double.MAX_VALUE : max.doubles()[0];
            double[] in = x.doubles();
            double[] out = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = Math.min(hi, Math.max(in[i], lo));
            }
            return Tensor.of(t, x.shape(), out);
        }
        if (!t.isInteger()) {
            throw new KernelException("Clip does not support " + t.displayName() + " inputs");
        }
        long lo = min == null ? ElementwiseNumbers.minOf(t) : min.getLong(0);
        long hi = max == null ? ElementwiseNumbers.maxOf(t) : max.getLong(0);
        long[] v = ElementwiseNumbers.longs(x).clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.min(hi, Math.max(v[i], lo));
        }
        return ElementwiseNumbers.fromLongs(t, x.shape(), v);
    }

    private static Tensor clipFloats(Tensor x, float lo, float hi, ExecContext ctx) {
        return mapFloats(x, ctx, 1, clipLoop(lo, hi));
    }
}
