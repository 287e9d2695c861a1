package org.quantlens.ir;

import java.util.List;

/**
 * What {@link BatchNormFolding} did: the new model, each producer/BatchNormalization pair it merged, and each
 * candidate pair it left alone with the reason.
 */
public record FoldReport(Model model, List<Folded> folded, List<Skipped> skipped) {

    public FoldReport {
        folded = List.copyOf(folded);
        skipped = List.copyOf(skipped);
    }

    /**
     * A merged pair: the producer node (Conv or Gemm, by display name), the removed BatchNormalization node, and
     * the value the producer now writes (the BN's former output).
     */
    public record Folded(String producer, String producerOp, String batchNorm, String output) {
    }

    /** A Conv/Gemm followed by BatchNormalization that was not merged, and why. */
    public record Skipped(String producer, String batchNorm, String reason) {
    }
}
