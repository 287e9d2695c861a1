package org.quantlens.data;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.NamedTensor;
import org.quantlens.tensor.SafeText;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;

/**
 * Inputs in the ONNX backend-test layout: data sets, each a folder of {@code input_0.pb, input_1.pb, ...}
 * (TensorProto files; file {@code input_i} feeds model input {@code i}). Each data set is one sample-batch, handed
 * out unchanged, in its own dtype and shape: {@code batches(n)} ignores {@code n}, {@link #sampleCount()} counts
 * data sets and the limit caps their number. Files are read lazily, one data set per batch.
 */
final class OnnxTestLayoutSource implements BatchSource {
    private final Path root;
    private final List<List<Path>> dataSets;
    private final List<String> inputNames;

    /** {@code dataSets}: per data set the input files in index order. */
    OnnxTestLayoutSource(Path root, List<List<Path>> dataSets, List<String> inputNames) {
        this.root = root;
        this.dataSets = List.copyOf(dataSets);
        this.inputNames = List.copyOf(inputNames);
    }

    @Override
    public int sampleCount() {
        return dataSets.size();
    }

    @Override
    public String description() {
        return root + " (ONNX test layout, " + dataSets.size() + " data set" + (dataSets.size() == 1 ? "" : "s") + ")";
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
                return next < dataSets.size();
            }

            @Override
            public Map<String, Tensor> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return load(dataSets.get(next++));
            }
        };
    }

    private Map<String, Tensor> load(List<Path> files) {
        Map<String, Tensor> batch = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            NamedTensor nt = TensorProtoFormat.readFile(files.get(i));
            String name = !inputNames.isEmpty() ? inputNames.get(i) : nt.name().isEmpty() ? "input_" + i : nt.name();
            if (batch.put(name, nt.tensor()) != null) {
                throw InvalidInputException.of(files.get(i), "a second tensor named '" + SafeText.printable(name)
                        + "' in this data set");
            }
        }
        return batch;
    }
}
