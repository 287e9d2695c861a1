package org.quantlens.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * A MobileNetV2-shaped network (Sandler et al. 2018, width 1.0, 224x224) with random weights, built in memory:
 * stem 3x3/2 conv to 32 channels, the seventeen inverted-residual blocks of the paper's table 2 (1x1 expand,
 * 3x3 depthwise, 1x1 linear projection, residual Add when stride is 1 and channels agree), a 1x1 conv to 1280,
 * global average pool and a 1000-way Gemm. ReLU6 is Clip(0, 6). BatchNorm is left out: it folds into the convs.
 * Weights are He-scaled so activations stay in a realistic range.
 */
public final class MobileNetV2Model {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> inits = new LinkedHashMap<>();
    private final SplittableRandom random;
    private int counter;

    private MobileNetV2Model(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The model with input "input" float32[N,3,224,224] and output "logits" float32[N,1000], opset 13. */
    public static Model build(long seed) {
        return new MobileNetV2Model(seed).assemble();
    }

    private Model assemble() {
        inits.put("relu6_min", Tensor.scalar(0f));
        inits.put("relu6_max", Tensor.scalar(6f));
        String x = conv("input", 3, 32, 3, 2, 1, true);
        int channels = 32;
        int[][] table = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
            {6, 320, 1, 1}};
        for (int[] row : table) {
            for (int i = 0; i < row[2]; i++) {
                int stride = i == 0 ? row[3] : 1;
                x = invertedResidual(x, channels, row[1], row[0], stride);
                channels = row[1];
            }
        }
        x = conv(x, channels, 1280, 1, 1, 1, true);
        String pooled = next("pool");
        nodes.add(Node.of(pooled, "GlobalAveragePool", List.of(x), List.of(pooled)));
        String flat = next("flatten");
        nodes.add(Node.of(flat, "Flatten", List.of(pooled), List.of(flat), Attribute.ofInt("axis", 1)));
        String w = param(new int[] {1000, 1280}, 1280);
        String b = bias(1000);
        nodes.add(Node.of("fc", "Gemm", List.of(flat, w, b), List.of("logits"), Attribute.ofInt("transB", 1)));
        Graph g = new Graph("mobilenetv2", nodes, List.of(ValueInfo.of("input", DType.FLOAT32, -1, 3, 224, 224)),
                List.of(ValueInfo.of("logits", DType.FLOAT32, -1, 1000)), inits, Map.of());
        return new Model(8, Map.of("", 13L), "quantlens-bench", "", g, Map.of());
    }

    private String invertedResidual(String in, int cin, int cout, int expand, int stride) {
        String x = in;
        int hidden = cin * expand;
        if (expand != 1) {
            x = conv(x, cin, hidden, 1, 1, 1, true);
        }
        x = conv(x, hidden, hidden, 3, stride, hidden, true);
        x = conv(x, hidden, cout, 1, 1, 1, false);
        if (stride == 1 && cin == cout) {
            String sum = next("add");
            nodes.add(Node.of(sum, "Add", List.of(in, x), List.of(sum)));
            x = sum;
        }
        return x;
    }

    private String conv(String in, int cin, int cout, int k, int stride, int group, boolean relu6) {
        int pad = k / 2;
        String w = param(new int[] {cout, cin / group, k, k}, cin / group * k * k);
        String b = bias(cout);
        String out = next("conv");
        nodes.add(Node.of(out, "Conv", List.of(in, w, b), List.of(out),
                Attribute.ofInts("kernel_shape", k, k), Attribute.ofInts("strides", stride, stride),
                Attribute.ofInts("pads", pad, pad, pad, pad), Attribute.ofInt("group", group)));
        if (!relu6) {
            return out;
        }
        String act = next("relu6");
        nodes.add(Node.of(act, "Clip", List.of(out, "relu6_min", "relu6_max"), List.of(act)));
        return act;
    }

    private String param(int[] dims, int fanIn) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numElements()];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        String name = next("w");
        inits.put(name, Tensor.ofFloats(s, v));
        return name;
    }

    private String bias(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (gaussian() * 0.01);
        }
        String name = next("b");
        inits.put(name, Tensor.ofFloats(Shape.of(n), v));
        return name;
    }

    private double gaussian() {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    private String next(String prefix) {
        return prefix + "_" + (counter++);
    }
}
