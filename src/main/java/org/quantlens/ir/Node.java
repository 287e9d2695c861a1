package org.quantlens.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator application. {@code inputs} keeps ONNX's positional convention: an empty name marks an omitted
 * optional input. {@code domain} is normalised: "" for the default ONNX domain (also written "ai.onnx").
 */
public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                   Map<String, Attribute> attributes) {

    public Node {
        name = name == null ? "" : name;
        domain = domain == null || domain.equals("ai.onnx") ? "" : domain;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static Node of(String name, String opType, List<String> inputs, List<String> outputs,
                          Attribute... attributes) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            m.put(a.name(), a);
        }
        return new Node(name, opType, "", inputs, outputs, m);
    }

    /** The name for messages: the node name, or "OpType#firstOutput" when it has none. */
    public String displayName() {
        if (!name.isEmpty()) {
            return name;
        }
        return opType + (outputs.isEmpty() ? "" : "#" + outputs.get(0));
    }

    /** Input {@code i}, or "" when absent (omitted or beyond the list). */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    public boolean has(String attr) {
        return attributes.containsKey(attr);
    }

    public Attribute attr(String attr) {
        return attributes.get(attr);
    }

    public long attrInt(String attr, long dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : a.asInt();
    }

    public float attrFloat(String attr, float dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : a.asFloat();
    }

    public String attrString(String attr, String dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : a.asString();
    }

    /** The INTS attribute, or {@code dflt} (may be null) when absent. */
    public long[] attrInts(String attr, long[] dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : a.asInts();
    }

    public float[] attrFloats(String attr, float[] dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : a.asFloats();
    }

    /** A copy with other inputs. */
    public Node withInputs(List<String> newInputs) {
        return new Node(name, opType, domain, newInputs, outputs, attributes);
    }

    /** A copy with other outputs. */
    public Node withOutputs(List<String> newOutputs) {
        return new Node(name, opType, domain, inputs, newOutputs, attributes);
    }
}
