package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.InPlaceKernel;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.OutputArrays;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * FP32-engine kernels: Add, Sub, Mul, Div with ONNX multidirectional (numpy) broadcasting, Cast
 * ({@link ElementwiseCast}) and Identity.
 *
 * <p>Arithmetic follows the ONNX spec and ONNX Runtime: both inputs have the same type, which is also the output type.
 * float32 and float64 use IEEE arithmetic of that width (division by zero gives ±inf or NaN). int8, uint8, int16,
 * int32 and int64 compute exactly in 64 bits and keep the low bits of the type, so overflow wraps as C++ integer
 * arithmetic does on two's-complement machines (uint8 200 + 100 = 44, int8 -128 / -1 = -128). Integer Div truncates
 * toward zero (-7 / 2 = -3, as C++ and the ONNX reference's {@code np.trunc} path); an integer division by zero is a
 * {@link KernelException}. Other types (bool, float16, bfloat16) are rejected.
 *
 * <p>Opsets below 7 used explicit {@code broadcast}/{@code axis} attributes: with {@code broadcast=1} B is aligned to
 * A starting at {@code axis} (default: B's trailing dimensions), which is expressed here by padding B's shape with
 * trailing 1s and then broadcasting normally.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** The four binary arithmetic operators. */
    enum BinaryOp { ADD, SUB, MUL, DIV }

    public static void register(KernelRegistry registry) {
        registry.register("Add", (node, opset) -> binary(node, opset, BinaryOp.ADD));
        registry.register("Sub", (node, opset) -> binary(node, opset, BinaryOp.SUB));
        registry.register("Mul", (node, opset) -> binary(node, opset, BinaryOp.MUL));
        registry.register("Div", (node, opset) -> binary(node, opset, BinaryOp.DIV));
        registry.register("Identity", (node, opset) -> (inputs, ctx) ->
                new Tensor[] {ElementwiseNumbers.required(inputs, 0, "input")});
        registry.register("Cast", ElementwiseCast::create);
    }

    private static OpKernel binary(Node node, long opset, BinaryOp op) {
        boolean legacyBroadcast = opset < 7 && node.attrInt("broadcast", 0) == 1;
        Long legacyAxis = opset < 7 && node.has("axis") ? node.attrInt("axis", 0) : null;
        return new BinaryKernel(op, legacyBroadcast, legacyAxis);
    }

    /**
     * One binary operator node. In place (see {@link InPlaceKernel}), a float32 result is written over an operand
     * that already has the output's shape: every output element reads that operand only at its own index, so the
     * values are bit-identical with {@link #apply}.
     */
    private record BinaryKernel(BinaryOp op, boolean legacyBroadcast, Long legacyAxis) implements InPlaceKernel {
        @Override
        public Tensor[] compute(Tensor[] inputs, ExecContext ctx) {
            Tensor a = ElementwiseNumbers.required(inputs, 0, "A");
            return new Tensor[] {apply(op, a, operandB(inputs, a), ctx)};
        }

        @Override
        public Tensor[] computeInPlace(Tensor[] inputs, boolean[] writable, ExecContext ctx) {
            Tensor a = ElementwiseNumbers.required(inputs, 0, "A");
            Tensor b = operandB(inputs, a);
            if (a.dtype() != DType.FLOAT32 || b.dtype() != DType.FLOAT32) {
                return null;
            }
            BroadcastPlan plan = BroadcastPlan.of(a.shape(), b.shape());
            float[] out;
            if (writable[0] && plan.outShape().equals(a.shape())) {
                out = a.floats();
            } else if (writable.length > 1 && writable[1] && plan.outShape().equals(b.shape())) {
                out = b.floats();
            } else {
                return null;
            }
            return new Tensor[] {floatResult(op, plan, a.floats(), b.floats(), out, ctx)};
        }

        private Tensor operandB(Tensor[] inputs, Tensor a) {
            Tensor b = ElementwiseNumbers.required(inputs, 1, "B");
            return legacyBroadcast && legacyAxis != null ? alignLegacy(a.shape(), b, legacyAxis) : b;
        }
    }

    /** Opset < 7 broadcasting with an axis: B's dims start at {@code axis} of A, so append 1s to B's shape. */
    private static Tensor alignLegacy(Shape a, Tensor b, long axis) {
        int start = (int) (axis < 0 ? axis + a.rank() : axis);
        int trailing = a.rank() - start - b.rank();
        if (start < 0 || trailing < 0) {
            throw new KernelException("legacy broadcast axis " + axis + " does not fit " + a + " and " + b.shape());
        }
        int[] dims = new int[b.rank() + trailing];
        java.util.Arrays.fill(dims, 1);
        System.arraycopy(b.shape().dims(), 0, dims, 0, b.rank());
        return b.reshape(Shape.of(dims));
    }

    /**
     * {@code a op b} with broadcasting, for the registered kernels and for other kernels of this package.
     *
     * @throws KernelException for mismatched or unsupported types, shapes that do not broadcast, or an integer
     *                         division by zero
     */
    static Tensor apply(BinaryOp op, Tensor a, Tensor b, ExecContext ctx) {
        if (a.dtype() != b.dtype()) {
            throw new KernelException(op + " needs inputs of one type, got " + a.dtype().displayName() + " and "
                    + b.dtype().displayName());
        }
        BroadcastPlan plan = BroadcastPlan.of(a.shape(), b.shape());
        int n = plan.outShape().numElements();
        DType t = a.dtype();
        if (t == DType.FLOAT32) {
            return floatResult(op, plan, a.floats(), b.floats(), OutputArrays.floats(n), ctx);
        }
        if (t == DType.FLOAT64) {
            double[] x = a.doubles();
            double[] y = b.doubles();
            double[] out = new double[n];
            plan.forEachRun(ctx, (ao, bo, oo, len) -> {
                for (int i = 0; i < len; i++) {
                    out[oo + i] = applyDouble(op, x[ao + i * plan.aStep()], y[bo + i * plan.bStep()]);
                }
            });
            return Tensor.of(t, plan.outShape(), out);
        }
        if (!t.isInteger()) {
            throw new KernelException(op + " does not support " + t.displayName() + " inputs");
        }
        long[] x = ElementwiseNumbers.longs(a);
        long[] y = ElementwiseNumbers.longs(b);
        long[] out = new long[n];
        plan.forEachRun(ctx, (ao, bo, oo, len) -> {
            for (int i = 0; i < len; i++) {
                out[oo + i] = applyLong(op, x[ao + i * plan.aStep()], y[bo + i * plan.bStep()]);
            }
        });
        return ElementwiseNumbers.fromLongs(t, plan.outShape(), out);
    }

    /** {@code x op y} broadcast by {@code plan} into {@code out} (a new array, or x or y when they have its shape). */
    private static Tensor floatResult(BinaryOp op, BroadcastPlan plan, float[] x, float[] y, float[] out,
                                      ExecContext ctx) {
        plan.forEachRun(ctx, (ao, bo, oo, len) -> floatRun(op, x, ao, plan.aStep(), y, bo, plan.bStep(), out, oo, len));
        return Tensor.of(DType.FLOAT32, plan.outShape(), out);
    }

    static double applyDouble(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    /** Exact 64-bit integer arithmetic (wraps only at 64 bits); Div truncates toward zero. */
    static long applyLong(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> {
                if (y == 0) {
                    throw new KernelException("integer division by zero");
                }
                yield x / y;
            }
        };
    }

    /**
     * One float32 run: {@code out[oo+i] = a[ao+i*as] op b[bo+i*bs]} for i in [0, n), with steps 0 or 1. One plain loop
     * per operator and step pattern, so the JIT can vectorise each.
     */
    static void floatRun(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int n) {
        if (as == 0) {
            float s = a[ao];
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { out[oo + i] = s + b[bo + i * bs]; } }
                case SUB -> { for (int i = 0; i < n; i++) { out[oo + i] = s - b[bo + i * bs]; } }
                case MUL -> { for (int i = 0; i < n; i++) { out[oo + i] = s * b[bo + i * bs]; } }
                case DIV -> { for (int i = 0; i < n; i++) { out[oo + i] = s / b[bo + i * bs]; } }
            }
        } else if (bs == 0) {
            float s = b[bo];
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] + s; } }
                case SUB -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] - s; } }
                case MUL -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] * s; } }
                case DIV -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] / s; } }
            }
        } else {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] + b[bo + i]; } }
                case SUB -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] - b[bo + i]; } }
                case MUL -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] * b[bo + i]; } }
                case DIV -> { for (int i = 0; i < n; i++) { out[oo + i] = a[ao + i] / b[bo + i]; } }
            }
        }
    }
}
