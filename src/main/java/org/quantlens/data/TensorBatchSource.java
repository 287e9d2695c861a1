package org.quantlens.data;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.Tensor;

/**
 * Samples already in memory: one tensor per model input, all with the same first-axis length N. Batches are
 * copies of consecutive first-axis slices.
 */
final class TensorBatchSource implements BatchSource {
    private final LinkedHashMap<String, Tensor> inputs;
    private final int samples;
    private final String description;
    private final List<String> notes;

    /** {@code inputs} must be non-empty, each of rank >= 1 with equal dim 0; {@code samples} <= that dim. */
    TensorBatchSource(LinkedHashMap<String, Tensor> inputs, int samples, String description, List<String> notes) {
        this.inputs = inputs;
        this.samples = samples;
        this.description = description;
        this.notes = List.copyOf(notes);
    }

    @Override
    public int sampleCount() {
        return samples;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> notes() {
        return notes;
    }

    @Override
    public Iterator<Map<String, Tensor>> batches(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < samples;
            }

            @Override
            public Map<String, Tensor> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(samples, next + batchSize);
                Map<String, Tensor> batch = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                    batch.put(e.getKey(), Batching.slice(e.getValue(), next, end));
                }
                next = end;
                return batch;
            }
        };
    }
}
