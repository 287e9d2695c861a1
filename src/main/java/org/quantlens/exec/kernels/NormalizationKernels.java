package org.quantlens.exec.kernels;

import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelException;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.exec.OutputArrays;
import org.quantlens.ir.Node;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Tensor;

/** FP32-engine kernels: BatchNormalization (inference). */
public final class NormalizationKernels {
    private NormalizationKernels() {
    }

    /** Registers BatchNormalization (inference only). */
    public static void register(KernelRegistry registry) {
        registry.register("BatchNormalization", NormalizationKernels::createBatchNorm);
    }

    /**
     * Accepts inference-mode BatchNormalization of every opset: {@code training_mode=1} (opset 14+) is refused with
     * "training mode is not supported", and so is {@code spatial=0} (opsets before 9, per-activation statistics).
     */
    static OpKernel createBatchNorm(Node node, long opset) {
        if (node.attrInt("training_mode", 0) != 0) {
            throw new KernelException("training mode is not supported");
        }
        if (node.attrInt("spatial", 1) != 1) {
            throw new KernelException("spatial=0 (per-activation statistics) is not supported");
        }
        float epsilon = node.attrFloat("epsilon", 1e-5f);
        if (!(epsilon >= 0)) {
            throw new KernelException("epsilon must be >= 0, got " + epsilon);
        }
        return (inputs, ctx) -> batchNorm(inputs, epsilon, ctx);
    }

    /**
     * ONNX BatchNormalization in inference mode, per channel {@code c} (axis 1 of {@code X [N, C, ...]}):
     * {@code Y = (X - mean[c]) * (scale[c] / sqrt(var[c] + epsilon)) + B[c]}, the per-channel factor computed in
     * double and rounded to float once. Matches the ONNX reference and ONNX Runtime within float rounding.
     * Older opsets that name the running mean/var outputs in test mode get the inputs back unchanged.
     */
    static Tensor[] batchNorm(Tensor[] inputs, float epsilon, ExecContext ctx) {
        if (inputs.length < 5) {
            throw new KernelException("BatchNormalization needs X, scale, B, input_mean and input_var");
        }
        Tensor x = require(inputs[0], "X");
        if (x.rank() < 2) {
            throw new KernelException("X " + x.shape() + " must have rank >= 2 ([N, C, ...])");
        }
        int channels = x.shape().dim(1);
        float[] scale = perChannel(inputs[1], "scale", channels);
        float[] bias = perChannel(inputs[2], "B", channels);
        float[] mean = perChannel(inputs[3], "input_mean", channels);
        float[] var = perChannel(inputs[4], "input_var", channels);
        float[] factor = new float[channels];
        for (int c = 0; c < channels; c++) {
            factor[c] = (float) (scale[c] / Math.sqrt((double) var[c] + epsilon));
        }
        float[] src = x.floats();
        float[] y = OutputArrays.floats(src.length);
        int planes = x.shape().dim(0) * channels;
        int vol = planes == 0 ? 0 : src.length / planes;
        ctx.parallelFor(planes, vol, (s, e) -> {
            for (int p = s; p < e; p++) {
                int c = p % channels;
                for (int i = p * vol; i < (p + 1) * vol; i++) {
                    y[i] = (src[i] - mean[c]) * factor[c] + bias[c];
                }
            }
        });
        Tensor out = Tensor.ofFloats(x.shape(), y);
        return new Tensor[] {out, inputs[3], inputs[4]};
    }

    private static Tensor require(Tensor t, String name) {
        if (t == null) {
            throw new KernelException("input " + name + " is missing");
        }
        if (t.dtype() != DType.FLOAT32) {
            throw new KernelException(name + " must be float32, got " + t.dtype().displayName());
        }
        return t;
    }

    private static float[] perChannel(Tensor t, String name, int channels) {
        require(t, name);
        if (t.rank() != 1 || t.size() != channels) {
            throw new KernelException(name + " " + t.shape() + " must be [" + channels + "]");
        }
        return t.floats();
    }
}
