package org.quantlens.calib.search;

import java.util.List;

/**
 * What a range method chose, with the whole curve it minimised when it searched over candidate thresholds.
 *
 * @param range      the chosen clipping range
 * @param thresholds candidate thresholds in search order (for KL: the upper clip value of each candidate);
 *                   empty for closed-form methods
 * @param values     divergence or error at each candidate (same length as thresholds; +Inf where undefined)
 * @param bestIndex  index of the chosen candidate, -1 when there was no search
 * @param warnings   human-readable notes about degenerate input or reference quirks, never null
 */
public record SearchResult(Range range, double[] thresholds, double[] values, int bestIndex, List<String> warnings) {
    public SearchResult {
        if (thresholds.length != values.length) {
            throw new IllegalArgumentException("thresholds and values differ in length");
        }
        warnings = List.copyOf(warnings);
    }

    /** A result without a search curve. */
    public static SearchResult of(Range range, List<String> warnings) {
        return new SearchResult(range, new double[0], new double[0], -1, warnings);
    }
}
