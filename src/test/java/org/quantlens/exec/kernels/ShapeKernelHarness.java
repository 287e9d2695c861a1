package org.quantlens.exec.kernels;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.exec.OpKernel;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Tensor;

/** Builds one node of a shape/pad/resize operator and runs it, as the engine would. */
final class ShapeKernelHarness {
    private ShapeKernelHarness() {
    }

    static KernelRegistry registry() {
        KernelRegistry r = new KernelRegistry();
        ShapeKernels.register(r);
        PadKernel.register(r);
        ResizeKernel.register(r);
        return r;
    }

    /** The kernel for {@code op} at {@code opset} with {@code inputCount} inputs named in0, in1, ... (null: omitted). */
    static OpKernel kernel(String op, long opset, Tensor[] inputs, Attribute... attrs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add(inputs[i] == null ? "" : "in" + i);
        }
        Node node = Node.of("n", op, names, List.of("out"), attrs);
        return registry().find(op).create(node, opset);
    }

    /** Runs {@code op} single-threaded and returns its first output. */
    static Tensor run(String op, long opset, Tensor[] inputs, Attribute... attrs) {
        return kernel(op, opset, inputs, attrs).compute(inputs, ExecContext.singleThreaded())[0];
    }

    static Tensor[] in(Tensor... inputs) {
        return inputs;
    }
}
