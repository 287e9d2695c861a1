package org.quantlens.tensor;

/** A tensor with the name it carries in a file (TensorProto.name, an .npz entry); name may be "". */
public record NamedTensor(String name, Tensor tensor) {
    public NamedTensor {
        name = name == null ? "" : name;
    }
}
