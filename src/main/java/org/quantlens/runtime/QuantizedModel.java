package org.quantlens.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.ir.Model;
import org.quantlens.quant.QuantParams;

/**
 * A model prepared for {@link Int8Engine}: the (BatchNorm-folded) FP32 model, its steps in execution order, the
 * parameters of every value held as 8-bit codes (values not listed are float or integer data such as shapes), and
 * the nodes that run as FP32 fallbacks, as {@code "name (Op)"}.
 */
public record QuantizedModel(Model model, List<QuantizedStep> steps, Map<String, QuantParams> params,
                             List<String> fallbackNodes, RuntimeOptions options) {
    public QuantizedModel {
        steps = List.copyOf(steps);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        fallbackNodes = List.copyOf(fallbackNodes);
    }

    /** The parameters of a value held quantized, or null when it is float (or not numeric data). */
    public QuantParams paramsOf(String value) {
        return params.get(value);
    }
}
