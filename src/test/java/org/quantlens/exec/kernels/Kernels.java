package org.quantlens.exec.kernels;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Tensor;

/** Test helper: builds one node of the standard registry and runs it on given inputs (null = omitted input). */
final class Kernels {
    private static final KernelRegistry REGISTRY = KernelRegistry.standard();

    private Kernels() {
    }

    static Node node(String op, int inputCount, Attribute... attrs) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputCount; i++) {
            in.add("in" + i);
        }
        return Node.of("n", op, in, List.of("out"), attrs);
    }

    /** Runs {@code op} at {@code opset} single-threaded and returns its first output. */
    static Tensor run(String op, long opset, Tensor[] inputs, Attribute... attrs) {
        return run(op, opset, ExecContext.singleThreaded(), inputs, attrs);
    }

    static Tensor run(String op, long opset, ExecContext ctx, Tensor[] inputs, Attribute... attrs) {
        Node n = node(op, inputs.length, attrs);
        return REGISTRY.find(op).create(n, opset).compute(inputs, ctx)[0];
    }

    static Tensor[] in(Tensor... t) {
        return t;
    }
}
