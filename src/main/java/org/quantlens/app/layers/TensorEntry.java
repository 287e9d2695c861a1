package org.quantlens.app.layers;

/**
 * One quantizable tensor of a model, as found by {@link TensorCatalog}: immutable, made on the background thread.
 *
 * @param name  the ONNX value name
 * @param kind  weight or activation
 * @param op    the consuming op for a weight ("Conv"), the producing op for an activation ("Relu"), "input" for
 *              a graph input
 * @param shape the shape as text, e.g. "[1x6x24x24]", with "?" or the symbol for unknown dims; "" if unknown
 * @param stats the observed statistics; for weights computed from the data at load time, for activations null
 *              until the data has run through the model
 */
public record TensorEntry(String name, TensorKind kind, String op, String shape, TensorStats stats) {
    public TensorEntry withStats(TensorStats s) {
        return new TensorEntry(name, kind, op, shape, s);
    }
}
