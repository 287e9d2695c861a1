package org.quantlens.data;

import java.util.List;

/**
 * What {@link DataSources} needs to know besides the path.
 *
 * @param inputNames   the model's input names in order (may be empty when unknown: a single source then uses the
 *                     name "input", the ONNX test layout the names in its .pb files)
 * @param npzArrayName which array of an .npz to use ({@code --name}); null for the first
 * @param preprocess   how to turn images into tensors; required for image folders, else ignored; may be null
 * @param limit        use at most this many samples; 0 for all
 */
public record DataOptions(List<String> inputNames, String npzArrayName, PreprocessSpec preprocess, int limit) {
    public DataOptions {
        inputNames = inputNames == null ? List.of() : List.copyOf(inputNames);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    /** Options for a model with these inputs and nothing else set. */
    public static DataOptions forInputs(List<String> inputNames) {
        return new DataOptions(inputNames, null, null, 0);
    }

    /** {@code n} capped by the limit. */
    int cap(int n) {
        return limit > 0 ? Math.min(n, limit) : n;
    }
}
