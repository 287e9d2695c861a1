package org.quantlens.runtime;

import java.util.List;
import org.quantlens.exec.OpKernel;

/**
 * One step of a {@link QuantizedModel}: a kernel reading {@code inputs} and writing {@code outputs} (names of graph
 * values). An integer step reads and writes 8-bit codes; a fallback step dequantizes its quantized inputs, runs the
 * FP32 kernel and quantizes the outputs that have parameters.
 *
 * @param name     the node's display name
 * @param op       the operator, with a fused activation appended ({@code "Conv+Relu"})
 * @param fallback true when the step runs an FP32 kernel
 */
public record QuantizedStep(String name, String op, List<String> inputs, List<String> outputs, OpKernel kernel,
                            boolean fallback) {
    public QuantizedStep {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
