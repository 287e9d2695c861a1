package org.quantlens.calib;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.tensor.InvalidInputException;

/**
 * Reads and writes histograms in the JSON layout of {@code ../shared/reference/*}{@code /hist_*.json}:
 * {@code {"<tensor>": {"hist": [counts], "edges": [len(hist)+1 values], "min": m, "max": M, "threshold"?: t}}}.
 *
 * <p>Reading keeps the edges exactly as written (they are float32 values in ONNX Runtime's files) so that
 * reference algorithms see identical numbers. The form is taken from an optional {@code "form"} key
 * ({@code "signed"}/{@code "absolute"}, written by us); without it a histogram whose first edge is {@code >= 0}
 * while its observed min is negative is read as ABSOLUTE (a histogram of |x|), anything else as SIGNED.
 * Unknown keys are skipped. {@code threshold} (ONNX Runtime's half-range) is not needed: it equals the last edge.
 *
 * <p>Hostile input (truncated or malformed JSON, missing or mistyped fields, length mismatch, negative or
 * fractional counts, non-finite or decreasing edges, more than {@link #MAX_BINS} bins) raises an
 * {@link InvalidInputException} with one line naming the file and the tensor.
 */
public final class HistogramFile {
    /** Largest bin count accepted on reading. */
    public static final int MAX_BINS = 1 << 24;

    private static final JsonFactory JSON = new JsonFactory();

    private HistogramFile() {
    }

    /** Reads every tensor's histogram, in file order. */
    public static Map<String, Histogram> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw InvalidInputException.of(file.getFileName(), "cannot read: " + oneLine(e));
        }
    }

    /** Reads from a stream; {@code source} names it in error messages. */
    public static Map<String, Histogram> read(InputStream in, String source) {
        Map<String, Histogram> out = new LinkedHashMap<>();
        String tensor = null;
        try (JsonParser p = JSON.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, source, null, "top level must be an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                tensor = p.currentName();
                expect(p.nextToken(), JsonToken.START_OBJECT, source, tensor, "entry must be an object");
                out.put(tensor, readEntry(p, source, tensor));
                tensor = null;
            }
            expect(p.currentToken(), JsonToken.END_OBJECT, source, null, "unexpected content at top level");
            expect(p.nextToken(), null, source, null, "trailing content after the top-level object");
        } catch (JsonProcessingException e) {
            throw fail(source, tensor, "malformed JSON: " + oneLine(e));
        } catch (IOException e) {
            throw fail(source, tensor, "cannot read: " + oneLine(e));
        }
        return out;
    }

    private static Histogram readEntry(JsonParser p, String source, String tensor) throws IOException {
        long[] hist = null;
        double[] edges = null;
        Double min = null;
        Double max = null;
        String form = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            switch (key) {
                case "hist" -> hist = readCounts(p, t, source, tensor);
                case "edges" -> edges = readDoubles(p, t, source, tensor, "edges");
                case "min" -> min = readNumber(p, t, source, tensor, "min");
                case "max" -> max = readNumber(p, t, source, tensor, "max");
                case "form" -> {
                    expect(t, JsonToken.VALUE_STRING, source, tensor, "form must be a string");
                    form = p.getText();
                }
                default -> p.skipChildren();
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT, source, tensor, "unexpected content");
        if (hist == null || edges == null || min == null || max == null) {
            throw fail(source, tensor, "needs hist, edges, min and max");
        }
        if (hist.length == 0 || edges.length != hist.length + 1) {
            throw fail(source, tensor, "edges has " + edges.length + " values for " + hist.length + " bins (needs bins + 1)");
        }
        for (int i = 0; i < edges.length; i++) {
            if (!(Math.abs(edges[i]) <= Float.MAX_VALUE) || (i > 0 && edges[i] < edges[i - 1])) {
                throw fail(source, tensor, "edges must be finite floats and non-decreasing (edges[" + i + "] = "
                        + edges[i] + ")");
            }
        }
        if (!(min <= max) || !(Math.abs(min) <= Float.MAX_VALUE) || !(Math.abs(max) <= Float.MAX_VALUE)) {
            throw fail(source, tensor, "needs finite min <= max, got " + min + ", " + max);
        }
        Histogram.Form f;
        if (form == null) {
            f = edges[0] >= 0 && min < 0 ? Histogram.Form.ABSOLUTE : Histogram.Form.SIGNED;
        } else if (form.equals("signed") || form.equals("absolute")) {
            f = form.equals("signed") ? Histogram.Form.SIGNED : Histogram.Form.ABSOLUTE;
        } else {
            throw fail(source, tensor, "form must be \"signed\" or \"absolute\", got \"" + form + "\"");
        }
        if (f == Histogram.Form.SIGNED && hist.length < 2) {
            throw fail(source, tensor, "a signed histogram needs at least 2 bins");
        }
        return Histogram.withEdges(f, hist, edges, (float) (double) min, (float) (double) max);
    }

    private static long[] readCounts(JsonParser p, JsonToken t, String source, String tensor) throws IOException {
        double[] v = readDoubles(p, t, source, tensor, "hist");
        long[] counts = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0) || v[i] != Math.rint(v[i]) || v[i] > 0x1p62) {
                throw fail(source, tensor, "hist[" + i + "] = " + v[i] + " is not a count");
            }
            counts[i] = (long) v[i];
        }
        return counts;
    }

    private static double[] readDoubles(JsonParser p, JsonToken t, String source, String tensor, String what)
            throws IOException {
        expect(t, JsonToken.START_ARRAY, source, tensor, what + " must be an array of numbers");
        double[] buf = new double[256];
        int n = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.VALUE_NUMBER_INT && e != JsonToken.VALUE_NUMBER_FLOAT) {
                throw fail(source, tensor, what + "[" + n + "] is not a number");
            }
            if (n == MAX_BINS + 1) {
                throw fail(source, tensor, what + " has more than " + (MAX_BINS + 1) + " values");
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[n++] = p.getDoubleValue();
        }
        return Arrays.copyOf(buf, n);
    }

    private static Double readNumber(JsonParser p, JsonToken t, String source, String tensor, String what)
            throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw fail(source, tensor, what + " must be a number");
        }
        return p.getDoubleValue();
    }

    private static void expect(JsonToken got, JsonToken want, String source, String tensor, String problem) {
        if (got != want) {
            throw fail(source, tensor, problem);
        }
    }

    private static InvalidInputException fail(String source, String tensor, String problem) {
        String where = tensor == null ? "" : "tensor \"" + tensor + "\": ";
        return InvalidInputException.of(source, where + problem);
    }

    private static String oneLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return String.valueOf(m).replaceAll("\\s+", " ").trim();
    }

    /**
     * Writes the histograms in the reference layout (counts as integers, edges and min/max as doubles, plus
     * {@code "form"}, and {@code "threshold"} = last edge for signed histograms symmetric about 0). Histograms with
     * no data are written with min = max = 0.
     */
    public static void write(Path file, Map<String, Histogram> histograms) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, histograms);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Writes to a stream (left open). */
    public static void write(OutputStream out, Map<String, Histogram> histograms) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
                Histogram h = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeArrayFieldStart("hist");
                for (int i = 0; i < h.bins(); i++) {
                    g.writeNumber(h.count(i));
                }
                g.writeEndArray();
                double[] edges = h.edges();
                g.writeArrayFieldStart("edges");
                for (double v : edges) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                g.writeNumberField("min", h.isEmpty() ? 0.0 : (double) h.min());
                g.writeNumberField("max", h.isEmpty() ? 0.0 : (double) h.max());
                if (h.form() == Histogram.Form.SIGNED && edges[0] == -edges[edges.length - 1]) {
                    g.writeNumberField("threshold", edges[edges.length - 1]);
                }
                g.writeStringField("form", h.form() == Histogram.Form.SIGNED ? "signed" : "absolute");
                g.writeEndObject();
            }
            g.writeEndObject();
        }
    }
}
