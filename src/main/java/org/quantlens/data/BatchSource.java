package org.quantlens.data;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.quantlens.tensor.Tensor;

/**
 * Calibration or evaluation samples, handed out in batches. Each batch maps a model input name to a tensor whose
 * first axis is the batch; every batch holds {@code batchSize} samples except possibly the last, which holds the
 * rest. Whether a batch's shape fits the model is checked by the engine, not here.
 */
public interface BatchSource extends AutoCloseable {
    /** Number of samples the batches will deliver in total (after any limit). */
    int sampleCount();

    /**
     * A fresh pass over the samples in order. {@code batchSize} must be positive. Each call starts again from the
     * first sample. Errors found while reading (a broken image) surface as InvalidInputException from
     * {@code next()}.
     */
    Iterator<Map<String, Tensor>> batches(int batchSize);

    /** One line for people: what this is and where it comes from, e.g. "images/ (500 images, RGB 224x224)". */
    String description();

    /** Things the user should know, e.g. "x.npy: float64 converted to float32". Empty by default. */
    default List<String> notes() {
        return List.of();
    }

    /** Releases what the source holds; the default holds nothing. */
    @Override
    default void close() {
    }
}
