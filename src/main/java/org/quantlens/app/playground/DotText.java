package org.quantlens.app.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The worked steps of a {@link QuantizedDot} as labelled lines for the playground's multiplication panel. */
public final class DotText {
    private DotText() {
    }

    /** One {label, text} pair per step, in the order an integer kernel does them. */
    public static List<String[]> lines(QuantizedDot d) {
        List<String[]> l = new ArrayList<>();
        l.add(new String[] {"x → int8",
                "q_x = " + ints(d.qx()) + "   s_x = " + n(d.xParams().scale()) + ", z_x = " + d.xParams().zeroPoint()});
        l.add(new String[] {"w → int8",
                "q_w = " + ints(d.qw()) + "   s_w = " + n(d.wParams().scale()) + ", z_w = 0"});
        String terms = IntStream.range(0, d.qx().length)
                .mapToObj(i -> "(" + d.qx()[i] + (d.xParams().zeroPoint() >= 0 ? " − " : " + ")
                        + Math.abs(d.xParams().zeroPoint()) + ")×" + signed(d.qw()[i]))
                .collect(Collectors.joining(" + "));
        l.add(new String[] {"int32 accumulator", "acc = " + terms + " = " + d.accumulator()});
        l.add(new String[] {"output params", "[" + n(d.yParams().clipMin()) + ", " + n(d.yParams().clipMax())
                + "]   s_y = " + n(d.yParams().scale()) + ", z_y = " + d.yParams().zeroPoint()});
        l.add(new String[] {"real multiplier", "M = s_x·s_w / s_y = " + n(d.realMultiplier())});
        l.add(new String[] {"fixed point", "M ≈ " + d.multiplier().multiplier() + " · 2^(" + d.multiplier().shift()
                + " − 31) = " + n(d.multiplier().toDouble())});
        l.add(new String[] {"requantized int8", "q_y = clamp(fixed-point acc·M + z_y) = "
                + d.requantized() + "   (in float: " + d.floatRequantized() + ")"});
        l.add(new String[] {"float result", "s_y·(q_y − z_y) = " + n(d.result()) + "   exact Σ x·w = "
                + n(d.exact())
                + "   error " + n(d.error())});
        return l;
    }

    /** A negative factor in brackets, as one writes it by hand. */
    private static String signed(int v) {
        return v < 0 ? "(" + v + ")" : Integer.toString(v);
    }

    private static String ints(int[] v) {
        return IntStream.of(v).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String n(double v) {
        return MultiplicationModel.number(v);
    }
}
