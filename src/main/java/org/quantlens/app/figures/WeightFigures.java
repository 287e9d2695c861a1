package org.quantlens.app.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quantlens.calib.WeightStatistics;
import org.quantlens.ir.Graph;
import org.quantlens.progress.CancellationToken;

/**
 * The data of the weight figures (as in Krishnamoorthi, "Quantizing deep convolutional networks for efficient
 * inference", 2018, on MobileNetV1): one distribution curve per Conv/Gemm/MatMul weight tensor on a common x grid
 * spanning all of them, and per layer the min and max of each output channel.
 *
 * <p>Each curve is the fraction of that tensor's weights in each of {@code bins} equal bins over
 * [min over all weights, max over all weights], so a layer with 500 weights and one with 50 000 compare directly.
 * Channels are along the axis {@link WeightStatistics} uses (Conv: axis 0; Gemm: the output axis; MatMul: last).
 *
 * @param curves   one curve per weight tensor, in graph order
 * @param channels per weight tensor its per-channel ranges, same order
 */
public record WeightFigures(List<Curve> curves, List<ChannelRanges> channels) {
    /** Bins of the overlaid distribution curves. */
    public static final int BINS = 101;

    /**
     * The min and max of every output channel of one weight tensor.
     *
     * @param name the initializer
     * @param op   the op that uses it
     * @param axis the channel axis, -1 when the tensor is one channel
     * @param min  per-channel minimum
     * @param max  per-channel maximum
     */
    public record ChannelRanges(String name, String op, int axis, float[] min, float[] max) {
    }

    public WeightFigures {
        curves = List.copyOf(curves);
        channels = List.copyOf(channels);
    }

    /** The figures of {@code graph}'s float weights; polls {@code token} between tensors. */
    public static WeightFigures of(Graph graph, CancellationToken token) {
        Map<String, WeightStatistics> stats = WeightStatistics.collect(graph);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<ChannelRanges> channels = new ArrayList<>();
        for (WeightStatistics w : stats.values()) {
            if (w.finite()) {
                lo = Math.min(lo, w.min());
                hi = Math.max(hi, w.max());
            }
            channels.add(new ChannelRanges(w.name(), w.opType(), w.axis(), w.channelMin(), w.channelMax()));
        }
        List<Curve> curves = new ArrayList<>();
        for (WeightStatistics w : stats.values()) {
            token.throwIfCancelled();
            if (!w.finite()) {
                continue;
            }
            DisplayGrid grid = new DisplayGrid(lo, hi, BINS);
            for (float v : graph.initializers().get(w.name()).floats()) {
                grid.add(v, 1);
            }
            curves.add(grid.fractions(w.name()));
        }
        return new WeightFigures(curves, channels);
    }

    /** The channel ranges of {@code name}, or null. */
    public ChannelRanges channelsOf(String name) {
        return channels.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
