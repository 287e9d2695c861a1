package org.quantlens.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * A small two-branch test model, opset 13: x[N,2,6,6] -> conv1 -> Clip(0, 6) = a; x -> conv2 = b; a + b = s;
 * s * a = m; Concat(a, m) = cat; MaxPool 2x2 = mp; Reshape [0, -1] = out [N, 36]. Plus a MinMax table for it.
 */
final class BranchyModel {
    private BranchyModel() {
    }

    static Model model(long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("W1", random(rnd, Shape.of(2, 2, 3, 3), 0.4f));
        init.put("W2", random(rnd, Shape.of(2, 1, 3, 3), 0.4f));
        init.put("B2", random(rnd, Shape.of(2), 0.2f));
        init.put("lo", Tensor.ofFloats(Shape.scalar(), 0f));
        init.put("hi", Tensor.ofFloats(Shape.scalar(), 6f));
        init.put("shape", Tensor.ofLongs(Shape.of(2), 0, -1));
        List<Node> nodes = List.of(
                Node.of("conv1", "Conv", List.of("x", "W1"), List.of("c1"), Attribute.ofInts("pads", 1, 1, 1, 1)),
                Node.of("clip", "Clip", List.of("c1", "lo", "hi"), List.of("a")),
                Node.of("conv2", "Conv", List.of("x", "W2", "B2"), List.of("b"), Attribute.ofInt("group", 2),
                        Attribute.ofInts("pads", 1, 1, 1, 1)),
                Node.of("add", "Add", List.of("a", "b"), List.of("s")),
                Node.of("mul", "Mul", List.of("s", "a"), List.of("m")),
                Node.of("cat", "Concat", List.of("a", "m"), List.of("cat"), Attribute.ofInt("axis", 1)),
                Node.of("mp", "MaxPool", List.of("cat"), List.of("mp"), Attribute.ofInts("kernel_shape", 2, 2),
                        Attribute.ofInts("strides", 2, 2)),
                Node.of("reshape", "Reshape", List.of("mp", "shape"), List.of("out")));
        Graph g = new Graph("branchy", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, -1, 2, 6, 6)),
                List.of(ValueInfo.of("out", DType.FLOAT32, -1, 36)), init, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    static Tensor random(Random rnd, Shape s, float amp) {
        float[] f = new float[s.numElements()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (rnd.nextFloat() * 2 - 1) * amp;
        }
        return Tensor.ofFloats(s, f);
    }

    /** uint8-asymmetric MinMax entries for every tensor the FP32 engine taps on {@code data} (batches of 4). */
    static CalibrationTable minMaxTable(Model m, Tensor data) {
        Engine e = new Engine(m, FloatReference.registry(), ExecContext.singleThreaded());
        Map<String, float[]> r = new LinkedHashMap<>();
        for (int s = 0; s < data.shape().dim(0); s += 4) {
            e.run(Map.of("x", Batching.slice(data, s, Math.min(data.shape().dim(0), s + 4))), (name, v) -> {
                float[] mm = r.computeIfAbsent(name, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
                for (float f : v.floats()) {
                    mm[0] = Math.min(mm[0], f);
                    mm[1] = Math.max(mm[1], f);
                }
            }, CancellationToken.none());
        }
        Map<String, CalibrationTable.TensorEntry> t = new LinkedHashMap<>();
        r.forEach((k, v) -> {
            QuantParams p = QuantParams.onnxRuntime(v[0], v[1], QuantSpec.activationsDefault());
            t.put(k, new CalibrationTable.ActivationEntry("minmax", false, v[0], v[1], p.scale(), p.zeroPoint(),
                    v[0], v[1]));
        });
        return new CalibrationTable(null, new CalibrationTable.ActivationSpec("uint8-asymmetric", 8),
                new CalibrationTable.WeightSpec("int8-symmetric", 8, true), t);
    }
}
