package org.quantlens.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Folds inference-mode BatchNormalization into the Conv or Gemm that feeds it, as ONNX Runtime's and PyTorch's
 * fusion passes do. With {@code s[c] = gamma[c] / sqrt(var[c] + epsilon)} per output channel c:
 * <ul>
 *   <li>Conv: {@code W'[c,...] = W[c,...] * s[c]}, {@code b'[c] = (b[c] - mean[c]) * s[c] + beta[c]}
 *       (b = 0 when the Conv has no bias);</li>
 *   <li>Gemm on {@code [N, C]}: the column of B feeding output c is scaled by {@code s[c]} (a row of B when
 *       transB=1), {@code C'[c] = (gemmBeta * C[c] - mean[c]) * s[c] + beta[c]} and the Gemm's beta becomes 1;
 *       alpha is kept since it multiplies the scaled B unchanged.</li>
 * </ul>
 * Computed in double, stored as float32 (the rounding of one multiply, not of two chained float ops). The
 * producer keeps its name and now writes the BN's output; the BN disappears; new initializers are named after the
 * producer's ({@code "<W>_bnfolded"}, made unique), and the old ones are dropped only when nothing else reads them.
 *
 * <p>A pair is left as is (and reported) when the producer's output is a graph output or read by anyone besides
 * the BN, when the BN runs in training mode or has extra outputs, when a BN parameter or the producer's weight or
 * bias is no initializer, when the weight is not float32, when lengths disagree, or when {@code var + epsilon <= 0}.
 * The input model is never modified.
 */
public final class BatchNormFolding {
    private static final String SUFFIX = "_bnfolded";

    private BatchNormFolding() {
    }

    /** A new model with every foldable Conv/Gemm + BatchNormalization pair merged (see the class comment). */
    public static Model fold(Model model) {
        return foldWithReport(model).model();
    }

    /** As {@link #fold}, also listing what was merged and what was skipped. */
    public static FoldReport foldWithReport(Model model) {
        return new Folder(model.graph()).run(model);
    }

    /** One folding pass over a graph: mutable copies of the node list and initializers. */
    private static final class Folder {
        private final Graph graph;
        private final List<Node> nodes;
        private final Map<String, Tensor> inits;
        private final Map<String, ValueInfo> valueInfo;
        private final Map<String, Integer> readCount = new HashMap<>();
        private final Set<String> taken = new HashSet<>();
        private final Set<String> replaced = new HashSet<>();
        private final List<FoldReport.Folded> folded = new ArrayList<>();
        private final List<FoldReport.Skipped> skipped = new ArrayList<>();

        Folder(Graph g) {
            graph = g;
            nodes = new ArrayList<>(g.nodes());
            inits = new LinkedHashMap<>(g.initializers());
            valueInfo = new LinkedHashMap<>(g.valueInfo());
            for (Node n : g.nodes()) {
                countReads(n);
                taken.addAll(n.outputs());
            }
            g.outputNames().forEach(o -> readCount.merge(o, 1, Integer::sum));
            taken.addAll(g.inputNames());
            taken.addAll(g.initializers().keySet());
        }

        private void countReads(Node n) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    readCount.merge(in, 1, Integer::sum);
                }
            }
            for (Attribute a : n.attributes().values()) {
                List<Graph> subgraphs = a.kind() == Attribute.Kind.GRAPH ? List.of(a.asGraph())
                        : a.kind() == Attribute.Kind.GRAPHS ? a.asGraphs() : List.of();
                for (Graph sub : subgraphs) {
                    sub.nodes().forEach(this::countReads);
                    sub.outputNames().forEach(o -> readCount.merge(o, 1, Integer::sum));
                }
            }
        }

        FoldReport run(Model model) {
            Map<String, Integer> producerIndex = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                for (String o : nodes.get(i).outputs()) {
                    producerIndex.put(o, i);
                }
            }
            List<Integer> removed = new ArrayList<>();
            for (int j = 0; j < nodes.size(); j++) {
                Node bn = nodes.get(j);
                Integer p = producerIndex.get(bn.input(0));
                if (!isBatchNorm(bn) || p == null || !isFoldableOp(nodes.get(p))) {
                    continue;
                }
                Node producer = nodes.get(p);
                String why = whyNot(producer, bn);
                if (why != null) {
                    skipped.add(new FoldReport.Skipped(producer.displayName(), bn.displayName(), why));
                    continue;
                }
                nodes.set(p, producer.opType().equals("Conv") ? foldConv(producer, bn) : foldGemm(producer, bn));
                valueInfo.remove(bn.input(0));
                removed.add(j);
                folded.add(new FoldReport.Folded(producer.displayName(), producer.opType(), bn.displayName(),
                        bn.outputs().get(0)));
            }
            List<Node> kept = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (!removed.contains(i)) {
                    kept.add(nodes.get(i));
                }
            }
            dropOrphans(kept);
            Graph g = new Graph(graph.name(), kept, graph.inputs(), graph.outputs(), inits, valueInfo);
            return new FoldReport(model.withGraph(g), folded, skipped);
        }

        private static boolean isBatchNorm(Node n) {
            return n.domain().isEmpty() && n.opType().equals("BatchNormalization");
        }

        private static boolean isFoldableOp(Node n) {
            return n.domain().isEmpty() && (n.opType().equals("Conv") || n.opType().equals("Gemm"));
        }

        /** The reason this pair cannot be folded, or null when it can. */
        private String whyNot(Node producer, Node bn) {
            String mid = bn.input(0);
            if (graph.outputNames().contains(mid)) {
                return "'" + mid + "' is a graph output";
            }
            if (readCount.getOrDefault(mid, 0) != 1 || producer.outputs().size() != 1) {
                return "'" + mid + "' is also read by another node";
            }
            if (bn.attrInt("training_mode", 0) != 0 || bn.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
                return "BatchNormalization runs in training mode";
            }
            for (int i = 1; i <= 4; i++) {
                if (!inits.containsKey(bn.input(i))) {
                    return "BatchNormalization input '" + bn.input(i) + "' is not an initializer";
                }
            }
            Tensor w = inits.get(producer.input(1));
            if (w == null || w.dtype() != DType.FLOAT32 || w.rank() < 2) {
                return "weight '" + producer.input(1) + "' is not a float32 initializer of rank >= 2";
            }
            if (producer.opType().equals("Gemm") && w.rank() != 2) {
                return "Gemm weight '" + producer.input(1) + "' is not 2-D";
            }
            int channels = outputChannels(producer, w);
            for (int i = 1; i <= 4; i++) {
                Tensor t = inits.get(bn.input(i));
                if (!t.dtype().isFloatingPoint() || t.size() != channels) {
                    return "BatchNormalization input '" + bn.input(i) + "' does not hold " + channels + " floats";
                }
            }
            if (producer.hasInput(2)) {
                Tensor b = inits.get(producer.input(2));
                boolean biasFits = b != null && b.dtype() == DType.FLOAT32 && (b.size() == channels
                        || (producer.opType().equals("Gemm") && b.size() == 1)) && b.rank() <= 2
                        && (b.rank() < 2 || b.shape().dim(0) == 1);
                if (!biasFits) {
                    return "bias '" + producer.input(2) + "' is not a float32 initializer of " + channels + " values";
                }
            }
            double eps = bn.attrFloat("epsilon", 1e-5f);
            Tensor var = inits.get(bn.input(4));
            for (int c = 0; c < channels; c++) {
                if (!(var.getDouble(c) + eps > 0)) {
                    return "var + epsilon is not positive for channel " + c;
                }
            }
            return null;
        }

        private static int outputChannels(Node producer, Tensor w) {
            if (producer.opType().equals("Conv")) {
                return w.shape().dim(0);
            }
            return w.shape().dim(producer.attrInt("transB", 0) != 0 ? 0 : 1);
        }

        /** {@code s[c] = gamma[c] / sqrt(var[c] + eps)}. */
        private double[] scales(Node bn) {
            Tensor gamma = inits.get(bn.input(1));
            Tensor var = inits.get(bn.input(4));
            double eps = bn.attrFloat("epsilon", 1e-5f);
            double[] s = new double[gamma.size()];
            for (int c = 0; c < s.length; c++) {
                s[c] = gamma.getDouble(c) / Math.sqrt(var.getDouble(c) + eps);
            }
            return s;
        }

        private Node foldConv(Node conv, Node bn) {
            double[] s = scales(bn);
            Tensor w = inits.get(conv.input(1));
            float[] wv = w.floats();
            int perChannel = wv.length / s.length;
            float[] folded = new float[wv.length];
            for (int c = 0; c < s.length; c++) {
                for (int k = 0; k < perChannel; k++) {
                    folded[c * perChannel + k] = (float) (wv[c * perChannel + k] * s[c]);
                }
            }
            Tensor bias = conv.hasInput(2) ? inits.get(conv.input(2)) : null;
            float[] b = foldedBias(bn, s, bias, 1.0);
            String wName = addInit(conv.input(1) + SUFFIX, Tensor.ofFloats(w.shape(), folded));
            String bName = addInit((conv.hasInput(2) ? conv.input(2) : conv.input(1) + "_bias") + SUFFIX,
                    Tensor.ofFloats(Shape.of(b.length), b));
            markReplaced(conv, bn);
            return conv.withInputs(List.of(conv.input(0), wName, bName)).withOutputs(List.of(bn.outputs().get(0)));
        }

        private Node foldGemm(Node gemm, Node bn) {
            double[] s = scales(bn);
            Tensor w = inits.get(gemm.input(1));
            float[] wv = w.floats();
            boolean transB = gemm.attrInt("transB", 0) != 0;
            int rows = w.shape().dim(0);
            int cols = w.shape().dim(1);
            float[] folded = new float[wv.length];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    int c = transB ? r : k; // the output channel this weight feeds
                    folded[r * cols + k] = (float) (wv[r * cols + k] * s[c]);
                }
            }
            Tensor bias = gemm.hasInput(2) ? inits.get(gemm.input(2)) : null;
            float[] b = foldedBias(bn, s, bias, gemm.attrFloat("beta", 1f));
            String wName = addInit(gemm.input(1) + SUFFIX, Tensor.ofFloats(w.shape(), folded));
            String bName = addInit((gemm.hasInput(2) ? gemm.input(2) : gemm.input(1) + "_bias") + SUFFIX,
                    Tensor.ofFloats(Shape.of(b.length), b));
            markReplaced(gemm, bn);
            Map<String, Attribute> attrs = new LinkedHashMap<>(gemm.attributes());
            attrs.put("beta", Attribute.ofFloat("beta", 1f));
            return new Node(gemm.name(), gemm.opType(), gemm.domain(), List.of(gemm.input(0), wName, bName),
                    List.of(bn.outputs().get(0)), attrs);
        }

        /** {@code (biasScale * bias[c] - mean[c]) * s[c] + beta[c]}; a one-element bias broadcasts. */
        private float[] foldedBias(Node bn, double[] s, Tensor bias, double biasScale) {
            Tensor beta = inits.get(bn.input(2));
            Tensor mean = inits.get(bn.input(3));
            float[] r = new float[s.length];
            for (int c = 0; c < s.length; c++) {
                double b = bias == null ? 0 : biasScale * bias.getDouble(bias.size() == 1 ? 0 : c);
                r[c] = (float) ((b - mean.getDouble(c)) * s[c] + beta.getDouble(c));
            }
            return r;
        }

        private String addInit(String base, Tensor t) {
            String name = base;
            for (int i = 2; taken.contains(name); i++) {
                name = base + "_" + i;
            }
            taken.add(name);
            inits.put(name, t);
            return name;
        }

        private void markReplaced(Node producer, Node bn) {
            replaced.add(producer.input(1));
            replaced.add(producer.input(2));
            for (int i = 1; i <= 4; i++) {
                replaced.add(bn.input(i));
            }
        }

        /** Drops the initializers a fold replaced when no remaining node or graph output reads them. */
        private void dropOrphans(List<Node> kept) {
            readCount.clear();
            kept.forEach(this::countReads);
            graph.outputNames().forEach(o -> readCount.merge(o, 1, Integer::sum));
            for (String name : replaced) {
                if (!name.isEmpty() && readCount.getOrDefault(name, 0) == 0) {
                    inits.remove(name);
                }
            }
        }
    }
}
