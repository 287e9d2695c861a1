package org.quantlens.formats;

import com.fasterxml.jackson.databind.JsonNode;
import org.quantlens.tensor.InvalidInputException;

/** Typed access to JSON fields with one-line errors that name the file and where in it ("f.json: tensors "x": ..."). */
final class JsonFields {
    private final String source;
    private final String where;

    JsonFields(String source) {
        this(source, "");
    }

    private JsonFields(String source, String where) {
        this.source = source;
        this.where = where;
    }

    /** The same file, messages prefixed with {@code place}. */
    JsonFields at(String place) {
        return new JsonFields(source, place);
    }

    InvalidInputException fail(String problem) {
        return InvalidInputException.of(source, (where.isEmpty() ? "" : where + ": ") + problem);
    }

    JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw fail(n == null ? "missing \"" + field + "\"" : "\"" + field + "\" is not an object");
        }
        return n;
    }

    /** A string field; {@code dflt} when absent, or an error when {@code dflt} is null. */
    String text(JsonNode parent, String field, String dflt) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw fail("missing \"" + field + "\"");
            }
            return dflt;
        }
        if (!n.isTextual()) {
            throw fail("\"" + field + "\" is not a string");
        }
        return n.asText();
    }

    int integer(JsonNode parent, String field, int dflt) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw fail("\"" + field + "\" is not an integer (" + n + ")");
        }
        return n.asInt();
    }

    boolean bool(JsonNode parent, String field, boolean dflt) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw fail("\"" + field + "\" is not true or false");
        }
        return n.asBoolean();
    }

    /** A required number (JSON has no NaN; Jackson's non-standard NaN tokens are refused by the default parser). */
    double number(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null) {
            throw fail("missing \"" + field + "\"");
        }
        if (!n.isNumber()) {
            throw fail("\"" + field + "\" is not a number (" + TextLines.quote(n.toString()) + ")");
        }
        return n.asDouble();
    }

    /** A number or an array of numbers, as an array. */
    double[] numbers(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null) {
            throw fail("missing \"" + field + "\"");
        }
        if (n.isNumber()) {
            return new double[] {n.asDouble()};
        }
        if (!n.isArray()) {
            throw fail("\"" + field + "\" is not a number or an array of numbers");
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isNumber()) {
                throw fail("\"" + field + "\"[" + i + "] is not a number (" + TextLines.quote(n.get(i).toString()) + ")");
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }
}
