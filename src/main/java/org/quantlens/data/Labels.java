package org.quantlens.data;

import java.nio.file.Path;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Tensor;

/** Class labels for evaluation ({@code --labels L.npy}). */
public final class Labels {
    private Labels() {
    }

    /**
     * The labels in {@code npy}: shape [N] or [N,1], any integer dtype, or a float dtype holding whole numbers
     * (as labels saved from pandas often are). Anything else is an InvalidInputException naming the file.
     */
    public static long[] read(Path npy) {
        Tensor t = Npy.read(npy);
        boolean column = t.rank() == 2 && t.shape().dim(1) == 1;
        if (t.rank() != 1 && !column) {
            throw InvalidInputException.of(npy, "labels must have shape [N] or [N,1], got " + t.shape());
        }
        if (!t.dtype().isInteger() && !t.dtype().isFloatingPoint()) {
            throw InvalidInputException.of(npy, "labels must be integers, got " + t.dtype().displayName());
        }
        long[] labels = new long[t.size()];
        for (int i = 0; i < labels.length; i++) {
            double v = t.getDouble(i);
            if (t.dtype().isFloatingPoint() && (v != Math.rint(v) || Math.abs(v) > 1L << 53)) {
                throw InvalidInputException.of(npy, "label " + v + " at index " + i + " is not a whole number");
            }
            labels[i] = t.getLong(i);
        }
        return labels;
    }
}
