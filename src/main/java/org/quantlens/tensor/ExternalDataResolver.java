package org.quantlens.tensor;

/**
 * Supplies the bytes of a tensor stored outside its TensorProto (ONNX {@code data_location = EXTERNAL}).
 * The ONNX reader implements it over the model's folder; it is where path confinement and size checks live.
 */
@FunctionalInterface
public interface ExternalDataResolver {
    /**
     * Exactly {@code length} bytes of file {@code location} starting at {@code offset}.
     *
     * @param location the {@code location} value of the tensor's external_data, as written in the file
     * @param offset   byte offset into that file ({@code offset} key, 0 when absent), never negative
     * @param length   the byte count wanted: the {@code length} key, or the tensor's size when the key is absent
     * @throws InvalidInputException when the location is not allowed, the file is missing or too short
     */
    byte[] read(String location, long offset, long length);
}
