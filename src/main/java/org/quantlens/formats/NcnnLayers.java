package org.quantlens.formats;

import java.util.ArrayList;
import java.util.List;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Tensor;

/**
 * The layers of a model that ncnn quantizes, named as onnx2ncnn names them: the node name, or the node's first
 * output when the name is empty. ncnn2table quantizes Convolution, ConvolutionDepthWise and InnerProduct layers; from
 * ONNX those are Conv (ConvolutionDepthWise when group > 1: one weight scale per group), Gemm and MatMul with a
 * constant 2-D weight (InnerProduct: one scale per output channel).
 */
final class NcnnLayers {
    private NcnnLayers() {
    }

    /**
     * One quantizable layer.
     *
     * @param name       the ncnn layer name
     * @param input      the layer's input blob (the activation whose scale the table carries)
     * @param weight     the weight initializer
     * @param outAxis    the weight axis of the output channels (0 for Conv and Gemm transB=1, 1 for Gemm transB=0 and MatMul)
     * @param channels   number of output channels
     * @param groups     number of weight scales ncnn writes: channels, or the group count for a grouped Conv
     */
    record Layer(String name, String input, String weight, int outAxis, int channels, int groups) {
        int channelsPerScale() {
            return channels / groups;
        }
    }

    /** The ncnn layer name of {@code n}: onnx2ncnn uses the node name, or output(0) when the name is empty. */
    static String layerName(Node n) {
        return n.name().isEmpty() && !n.outputs().isEmpty() ? n.outputs().get(0) : n.name();
    }

    static List<Layer> of(Model model) {
        if (model == null) {
            throw new InvalidInputException("ncnn tables name the model's layers: a model is needed");
        }
        List<Layer> out = new ArrayList<>();
        for (Node n : model.graph().nodes()) {
            Tensor w = model.graph().initializers().get(n.input(1));
            if (w == null || !n.domain().isEmpty() || n.input(0).isEmpty()) {
                continue;
            }
            int[] d = w.shape().dims();
            switch (n.opType()) {
                case "Conv" -> {
                    if (d.length >= 3) {
                        int g = (int) n.attrInt("group", 1);
                        int groups = g > 1 && d[0] % g == 0 ? g : d[0];
                        out.add(new Layer(layerName(n), n.input(0), n.input(1), 0, d[0], groups));
                    }
                }
                case "Gemm" -> {
                    if (d.length == 2) {
                        int axis = n.attrInt("transB", 0) != 0 ? 0 : 1;
                        out.add(new Layer(layerName(n), n.input(0), n.input(1), axis, d[axis], d[axis]));
                    }
                }
                case "MatMul" -> {
                    if (d.length == 2) {
                        out.add(new Layer(layerName(n), n.input(0), n.input(1), 1, d[1], d[1]));
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    /** max |w| per output channel of {@code layer}'s weight (along {@code outAxis}). */
    static double[] channelAbsMax(Model model, Layer layer) {
        Tensor w = model.graph().initializers().get(layer.weight());
        float[] v = w.dtype() == org.quantlens.tensor.DType.FLOAT32 ? w.floats() : w.toFloat32().floats();
        int[] d = w.shape().dims();
        int outer = 1;
        for (int i = 0; i < layer.outAxis(); i++) {
            outer *= d[i];
        }
        int inner = v.length / Math.max(1, outer * layer.channels());
        double[] absmax = new double[layer.channels()];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < layer.channels(); c++) {
                int base = (o * layer.channels() + c) * inner;
                for (int i = 0; i < inner; i++) {
                    absmax[c] = Math.max(absmax[c], Math.abs(v[base + i]));
                }
            }
        }
        return absmax;
    }
}
