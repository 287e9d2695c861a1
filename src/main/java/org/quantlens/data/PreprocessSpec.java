package org.quantlens.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.quantlens.tensor.InvalidInputException;

/**
 * How images become model input (the {@code P.json} of CONTRACTS.md), applied by {@link ImagePreprocessor}:
 * decode, resize the shorter side to {@code resize} (bilinear; 0 = keep the size), crop the centre
 * {@code centerCrop} x {@code centerCrop} square (0 = no crop), convert to {@code color}, then per channel
 * {@code value = ((pixel * scale) - mean[c]) / std[c]} with pixel in 0..255, laid out as {@code layout}.
 *
 * <p>{@code mean} and {@code std} hold one value (used for every channel) or one per output channel, in output
 * channel order: for BGR, {@code mean[0]} belongs to blue (as Caffe/OpenCV-style means are written).
 * Defaults: no resize, no crop, NCHW, RGB, scale 1/255, mean 0, std 1.
 *
 * @param resize     target length of the shorter side in pixels, 0 for none
 * @param centerCrop side of the centre square crop in pixels, 0 for none
 * @param layout     NCHW or NHWC
 * @param color      RGB, BGR or GRAY (one channel, ITU-R BT.601 luma)
 * @param scale      multiplies the 0..255 pixel value first
 * @param mean       subtracted after scaling, 1 or channels() values
 * @param std        divides last, 1 or channels() values, none zero
 */
public record PreprocessSpec(int resize, int centerCrop, Layout layout, Color color, double scale, double[] mean,
                             double[] std) {

    /** Tensor layout of one image batch. */
    public enum Layout { NCHW, NHWC }

    /** Output channels: RGB, BGR, or a single GRAY luma channel. */
    public enum Color { RGB, BGR, GRAY }

    private static final Set<String> FIELDS = Set.of("resize", "center_crop", "layout", "color", "scale", "mean", "std");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Validates; throws IllegalArgumentException with a one-line reason. */
    public PreprocessSpec {
        if (resize < 0 || centerCrop < 0) {
            throw new IllegalArgumentException("resize and center_crop must be positive");
        }
        if (layout == null || color == null) {
            throw new IllegalArgumentException("layout and color are required");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be a finite number");
        }
        int channels = color == Color.GRAY ? 1 : 3;
        mean = checkPerChannel("mean", mean, channels);
        std = checkPerChannel("std", std, channels);
        for (double s : std) {
            if (s == 0) {
                throw new IllegalArgumentException("std must not contain 0");
            }
        }
    }

    private static double[] checkPerChannel(String name, double[] values, int channels) {
        if (values == null || (values.length != 1 && values.length != channels)) {
            throw new IllegalArgumentException(name + " needs 1 or " + channels + " values for "
                    + (channels == 1 ? "GRAY" : "3-channel color") + ", got "
                    + (values == null ? "none" : values.length));
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " values must be finite numbers");
            }
        }
        return values.clone();
    }

    /** No resize, no crop, NCHW, RGB, scale 1/255, mean 0, std 1. */
    public static PreprocessSpec defaults() {
        return new PreprocessSpec(0, 0, Layout.NCHW, Color.RGB, 1.0 / 255.0, new double[] {0}, new double[] {1});
    }

    /** Output channel count: 1 for GRAY, else 3. */
    public int channels() {
        return color == Color.GRAY ? 1 : 3;
    }

    /** The mean for output channel {@code c}. */
    public double meanOf(int c) {
        return mean.length == 1 ? mean[0] : mean[c];
    }

    /** The std for output channel {@code c}. */
    public double stdOf(int c) {
        return std.length == 1 ? std[0] : std[c];
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessSpec p && resize == p.resize && centerCrop == p.centerCrop && layout == p.layout
                && color == p.color && Double.compare(scale, p.scale) == 0 && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return ((resize * 31 + centerCrop) * 31 + layout.hashCode()) * 31 + color.hashCode()
                + 17 * Arrays.hashCode(mean) + 13 * Arrays.hashCode(std) + Double.hashCode(scale);
    }

    @Override
    public String toString() {
        return "PreprocessSpec{resize=" + resize + ", center_crop=" + centerCrop + ", layout=" + layout + ", color="
                + color + ", scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "}";
    }

    /**
     * Reads a {@code P.json}. Every field is optional; an unknown field, a value of the wrong type or an invalid
     * combination (e.g. three means for GRAY) is an InvalidInputException naming the file.
     */
    public static PreprocessSpec read(Path json) {
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw InvalidInputException.of(json, "not valid JSON" + where + ": " + oneLine(e.getOriginalMessage()));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw InvalidInputException.of(json, "no such file");
        } catch (IOException e) {
            throw InvalidInputException.of(json, "cannot read: " + oneLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw InvalidInputException.of(json, "a preprocessing spec must be a JSON object");
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(json, e.getMessage());
        }
    }

    private static PreprocessSpec fromJson(JsonNode root) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "' (known: resize, center_crop, layout, "
                        + "color, scale, mean, std)");
            }
        }
        PreprocessSpec d = defaults();
        return new PreprocessSpec(
                positiveInt(root, "resize"),
                positiveInt(root, "center_crop"),
                root.has("layout") ? enumValue(root, "layout", Layout.class) : d.layout,
                root.has("color") ? enumValue(root, "color", Color.class) : d.color,
                root.has("scale") ? number(root.get("scale"), "scale") : d.scale,
                root.has("mean") ? numbers(root.get("mean"), "mean") : d.mean,
                root.has("std") ? numbers(root.get("std"), "std") : d.std);
    }

    private static int positiveInt(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() <= 0 || n.intValue() > 65536) {
            throw new IllegalArgumentException("'" + name + "' must be a positive whole number of pixels, got " + n);
        }
        return n.intValue();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode root, String name, Class<E> type) {
        JsonNode n = root.get(name);
        if (n.isTextual()) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(n.textValue().toUpperCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("'" + name + "' must be one of " + Arrays.toString(type.getEnumConstants())
                + ", got " + n);
    }

    private static double number(JsonNode n, String name) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static double[] numbers(JsonNode n, String name) {
        if (n.isNumber()) {
            return new double[] {n.doubleValue()};
        }
        if (!n.isArray() || n.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' must be a number or a list of numbers, got " + n);
        }
        double[] r = new double[n.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = number(n.get(i), name + "[" + i + "]");
        }
        return r;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
