package org.quantlens.exec.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.quantlens.exec.ExecContext;
import org.quantlens.exec.KernelRegistry;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Builds one-node kernels through the standard registry and random float tensors for kernel tests. */
final class KernelTestSupport {
    private KernelTestSupport() {
    }

    /** Runs {@code op} with these attributes on {@code inputs} (null = omitted optional input). */
    static Tensor[] run(String op, int outputs, ExecContext ctx, Tensor[] inputs, Attribute... attrs) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            in.add(inputs[i] == null ? "" : "in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        Node node = Node.of("n", op, in, out, attrs);
        return KernelRegistry.standard().find(op).create(node, 22).compute(inputs, ctx);
    }

    static Tensor run1(String op, Tensor[] inputs, Attribute... attrs) {
        return run(op, 1, ExecContext.singleThreaded(), inputs, attrs)[0];
    }

    static Tensor random(Random rnd, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numElements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.ofFloats(s, v);
    }

    static Tensor iota(int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numElements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.ofFloats(s, v);
    }

    static Attribute ints(String name, long... v) {
        return Attribute.ofInts(name, v);
    }
}
