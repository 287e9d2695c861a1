package org.quantlens.app.playground;

import java.util.Locale;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The quantized-multiplication panel's state: x and w as text (numbers separated by spaces or commas) and the
 * output range [yMin, yMax]; the worked {@link QuantizedDot} follows every change, or a one-line reason when the
 * input cannot be used. The defaults are chosen so every step is exact in binary and can be checked by hand:
 * x = (0, 0.5, 1, 1.9921875) gives s_x = 1/128, z_x = -128; w = (1, -0.5, 0.25, -1.984375) gives s_w = 1/64;
 * [-4, 3.96875] gives s_y = 1/32, z_y = 0; so M = 2^-8 and acc = -32385.
 */
public final class MultiplicationModel {
    private final StringProperty xText = new SimpleStringProperty(this, "x", "0 0.5 1 1.9921875");
    private final StringProperty wText = new SimpleStringProperty(this, "w", "1 -0.5 0.25 -1.984375");
    private final DoubleProperty yMin = new SimpleDoubleProperty(this, "yMin", -4);
    private final DoubleProperty yMax = new SimpleDoubleProperty(this, "yMax", 3.96875);
    private final ReadOnlyObjectWrapper<QuantizedDot> dot = new ReadOnlyObjectWrapper<>(this, "dot");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");

    public MultiplicationModel() {
        xText.addListener((o, a, b) -> recompute());
        wText.addListener((o, a, b) -> recompute());
        yMin.addListener((o, a, b) -> recompute());
        yMax.addListener((o, a, b) -> recompute());
        recompute();
    }

    private void recompute() {
        try {
            float[] x = parse(xText.get(), "x");
            float[] w = parse(wText.get(), "w");
            if (!(yMin.get() <= yMax.get())) {
                throw new IllegalArgumentException("output range needs min <= max");
            }
            dot.set(QuantizedDot.of(x, w, yMin.get(), yMax.get()));
            problem.set("");
        } catch (IllegalArgumentException e) {
            dot.set(null);
            problem.set(e.getMessage());
        }
    }

    /** Sets the output range to +-sum |x_i w_i|, which holds any result of these inputs. */
    public void autoOutputRange() {
        try {
            double b = QuantizedDot.bound(parse(xText.get(), "x"), parse(wText.get(), "w"));
            yMin.set(-b);
            yMax.set(b);
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
        }
    }

    static float[] parse(String text, String what) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(what + ": enter some numbers");
        }
        String[] parts = t.split("[\\s,;]+");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + parts[i] + "' is not a number");
            }
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(what + ": values must be finite");
            }
        }
        return v;
    }

    /** Text of a number for the panel: shortest round-trip form for floats, e.g. "0.0078125". */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.8g", v).replaceAll("0+$", "").replaceAll("\\.$", "")
                .replaceAll("0+e", "e");
    }

    public StringProperty xTextProperty() {
        return xText;
    }

    public StringProperty wTextProperty() {
        return wText;
    }

    public DoubleProperty yMinProperty() {
        return yMin;
    }

    public DoubleProperty yMaxProperty() {
        return yMax;
    }

    /** The worked product, null when the input is unusable (see {@link #problemProperty()}). */
    public ReadOnlyObjectProperty<QuantizedDot> dotProperty() {
        return dot.getReadOnlyProperty();
    }

    /** Why the inputs cannot be used, "" when they can. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }
}
