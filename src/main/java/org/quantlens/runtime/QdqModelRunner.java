package org.quantlens.runtime;

import java.util.Map;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.runtime.reference.QLinearOpKernels;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * Runs ONNX models that are already quantized, in integer arithmetic:
 * <ul>
 *   <li>QDQ models: {@link QdqLowering} turns QuantizeLinear/DequantizeLinear pairs and dequantized constant
 *       weights into a float graph plus a table, and {@link QuantizedModelBuilder} gives Conv, Gemm, MatMul, Add,
 *       Mul, MaxPool, AveragePool, GlobalAveragePool, Concat, Relu, Clip and the data movers integer kernels with
 *       the file's scales and zero points; every other op runs dequantize, FP32 kernel, quantize and is listed in
 *       {@link QuantizedModel#fallbackNodes()}. A graph input that is quantized first is fed as float and quantized
 *       (QuantizeLinear, half to even, saturating); a graph output that was dequantized comes back as float.</li>
 *   <li>QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger ({@link QLinearOpKernels}), and QuantizeLinear /
 *       DequantizeLinear that are not part of a pair (ONNX spec kernels), run as they are, on the tensors they are
 *       given (their outputs keep the operator's type).</li>
 * </ul>
 * Weights are used per channel whenever the file has per-channel scales; the requantization rule is
 * {@link RuntimeOptions#requantMode()} (FLOAT is ONNX Runtime's; FIXED_POINT is TFLite's integer-only rule).
 */
public final class QdqModelRunner {
    private final Int8Engine engine;

    private QdqModelRunner(Int8Engine engine) {
        this.engine = engine;
    }

    /**
     * Prepares {@code model} for integer execution.
     *
     * @throws org.quantlens.exec.UnsupportedOperatorException when a node has neither an integer nor an FP32 kernel
     * @throws InvalidInputException for invalid quantization parameters or attributes (names the node or tensor)
     */
    public static QdqModelRunner load(Model model, RuntimeOptions options, ExecContext ctx) {
        return new QdqModelRunner(new Int8Engine(prepare(model, options), ctx));
    }

    /** The {@link QuantizedModel} for a QDQ (or QOperator) model, for {@link Int8Engine} or {@link Evaluator}. */
    public static QuantizedModel prepare(Model model, RuntimeOptions options) {
        QdqLowering.Lowered lowered = QdqLowering.lower(model);
        return QuantizedModelBuilder.build(lowered.model(), lowered.table(), options.withPerChannelWeights(true),
                registry(options.requantMode()));
    }

    /** The FP32 kernels plus QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger with {@code mode}. */
    public static KernelRegistry registry(RequantMode mode) {
        KernelRegistry r = KernelRegistry.standard();
        QLinearOpKernels.register(r, mode);
        return r;
    }

    /**
     * True when {@code model} holds an operator only this runner executes (QLinearConv, QLinearMatMul, ConvInteger,
     * MatMulInteger): the FP32 engine cannot run it.
     */
    public static boolean hasIntegerOnlyOps(Model model) {
        return model.graph().nodes().stream().anyMatch(QLinearOpKernels::handles);
    }

    /** True when {@code model} holds QuantizeLinear or DequantizeLinear nodes or {@link #hasIntegerOnlyOps}. */
    public static boolean isQuantized(Model model) {
        for (Node n : model.graph().nodes()) {
            if (n.domain().isEmpty() && (n.opType().equals("QuantizeLinear") || n.opType().equals("DequantizeLinear")
                    || QLinearOpKernels.OPERATORS.contains(n.opType()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs on {@code feeds} (float32 for graph inputs the model quantizes, else the declared type) and returns the
     * graph outputs by name: float32 where the model dequantizes, the operator's type otherwise.
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return engine.run(feeds);
    }

    public Int8Engine engine() {
        return engine;
    }

    /** The nodes that run as FP32 fallbacks, {@code "name (Op)"}. */
    public java.util.List<String> fallbackNodes() {
        return engine.fallbackNodes();
    }
}
