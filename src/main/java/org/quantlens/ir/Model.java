package org.quantlens.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model: the main graph plus the file-level facts. {@code opsets} maps a domain ("" for the default ONNX
 * domain) to its imported version. {@code metadata} holds metadata_props.
 */
public record Model(long irVersion, Map<String, Long> opsets, String producerName, String producerVersion,
                    Graph graph, Map<String, String> metadata) {

    public Model {
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        producerName = producerName == null ? "" : producerName;
        producerVersion = producerVersion == null ? "" : producerVersion;
    }

    /** The default-domain opset version (0 when none is imported). */
    public long defaultOpset() {
        return opsets.getOrDefault("", 0L);
    }

    public Model withGraph(Graph g) {
        return new Model(irVersion, opsets, producerName, producerVersion, g, metadata);
    }
}
