package org.quantlens.runtime;

import java.util.List;

/**
 * FP32 versus INT8 on an evaluation set; mirrors the {@code evaluate} JSON of CONTRACTS.md field for field.
 *
 * @param samples        number of samples
 * @param fp32Accuracy   top-1 accuracy of the FP32 model against the labels, null without labels
 * @param int8Accuracy   top-1 accuracy of the INT8 model, null without labels
 * @param top1Agreement  fraction of samples whose arg-max agrees between FP32 and INT8
 * @param logitsSqnrDb   {@code 10 log10(sum fp32^2 / sum (fp32 - int8)^2)} over all logits (+infinity when equal)
 * @param fp32Seconds    wall time of the FP32 runs
 * @param int8Seconds    wall time of the INT8 runs (quantize input, integer steps, dequantize outputs)
 * @param fallbackNodes  the INT8 model's FP32 fallbacks, {@code "name (Op)"}
 * @param layers         per tensor both engines produced, in INT8 execution order
 */
public record EvaluationReport(int samples, Double fp32Accuracy, Double int8Accuracy, double top1Agreement,
                               double logitsSqnrDb, double fp32Seconds, double int8Seconds,
                               List<String> fallbackNodes, List<Layer> layers) {
    public EvaluationReport {
        fallbackNodes = List.copyOf(fallbackNodes);
        layers = List.copyOf(layers);
    }

    /**
     * One activation compared between FP32 and dequantized INT8 over the whole set.
     *
     * @param tensor the value's name
     * @param op     the step that wrote it in the INT8 model (e.g. {@code "Conv+Relu"}), "input" for graph inputs
     * @param sqnrDb {@code 10 log10(sum x^2 / sum (x - y)^2)} with x = FP32, y = INT8; +infinity when they are
     *               identical, -infinity when the FP32 values are all zero but the INT8 ones are not
     * @param cosine {@code sum xy / sqrt(sum x^2 sum y^2)}; 1 when both are all zero, 0 when only one is
     */
    public record Layer(String tensor, String op, double sqnrDb, double cosine) {
    }
}
