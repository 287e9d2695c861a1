package org.quantlens.data;

import java.nio.file.Path;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.NamedTensor;

/**
 * Reads one serialized ONNX TensorProto file. A seam so the data sources can be tested with a stand-in, and so
 * this package compiled before {@code org.quantlens.tensor.TensorProtoFormat} existed.
 */
@FunctionalInterface
interface TensorProtoLoader {
    NamedTensor load(Path path);

    /** The reader used by {@link DataSources#open}. */
    static TensorProtoLoader standard() {
        return path -> {
            throw InvalidInputException.of(path, "reading .pb TensorProto files is not available in this build yet");
        };
    }
}
