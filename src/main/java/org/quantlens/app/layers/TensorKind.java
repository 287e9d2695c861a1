package org.quantlens.app.layers;

/** What a quantizable tensor is: a constant weight, or an activation computed at run time. */
public enum TensorKind {
    WEIGHT("weight"),
    ACTIVATION("activation");

    private final String label;

    TensorKind(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
