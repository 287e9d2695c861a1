package org.quantlens.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * Turns one image file into a float32 tensor {@code [1,C,H,W]} (NCHW) or {@code [1,H,W,C]} (NHWC) following a
 * {@link PreprocessSpec}. Steps, in order:
 * <ol>
 *   <li>Decode with ImageIO (PNG, JPEG, BMP, GIF; first frame). Colour images are read as 8-bit sRGB; alpha is
 *       dropped without compositing (like PIL's {@code convert("RGB")}). Gray images are read from the raster
 *       directly (16-bit gray is scaled by 255/65535), so gray level 128 stays 128.</li>
 *   <li>Resize the shorter side to {@code resize}, the longer side to {@code floor(resize * long / short)} (as
 *       torchvision's {@code Resize(int)}), bilinear with half-pixel centres: output pixel {@code d} samples source
 *       coordinate {@code s = (d + 0.5) * in/out - 0.5}, clamped below at 0, between pixels {@code floor(s)} and
 *       {@code min(floor(s) + 1, in - 1)}. This equals PyTorch's {@code interpolate(mode="bilinear",
 *       align_corners=False, antialias=False)} and OpenCV's INTER_LINEAR (up to OpenCV's fixed-point rounding);
 *       there is no antialiasing, so it differs from PIL's resize when shrinking. Values stay float (no rounding
 *       back to 8 bits).</li>
 *   <li>Crop the centre square: top = {@code round((H - crop) / 2)}, left = {@code round((W - crop) / 2)} with
 *       Python's round-half-to-even (as torchvision's {@code CenterCrop}); an image smaller than the crop is an
 *       error (torchvision would pad with zeros).</li>
 *   <li>Colour: RGB as is; BGR swaps red and blue; GRAY is ITU-R BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B}
 *       (the weights of PIL's {@code convert("L")}, kept in float rather than rounded).</li>
 *   <li>Per channel {@code ((pixel * scale) - mean[c]) / std[c]}, computed in double and rounded once to float.</li>
 * </ol>
 */
public final class ImagePreprocessor {
    /** Largest image we decode, in pixels (a 16k x 16k image); guards against decompression bombs. */
    static final long MAX_PIXELS = 1L << 28;
    private static final double LUMA_R = 0.299;
    private static final double LUMA_G = 0.587;
    private static final double LUMA_B = 0.114;

    private ImagePreprocessor() {
    }

    /** Pixel planes: {@code channels} arrays of {@code width * height} values in 0..255, row-major. */
    record Planes(int width, int height, float[][] channels) {
    }

    /** Decodes and preprocesses {@code image}; errors name the file. */
    public static Tensor load(Path image, PreprocessSpec spec) {
        return process(decode(image), spec, image.toString());
    }

    /** Preprocesses an already decoded image; {@code source} names it in errors. */
    public static Tensor process(BufferedImage image, PreprocessSpec spec, String source) {
        Planes planes = toPlanes(image);
        if (spec.resize() > 0) {
            planes = resizeShorterSide(planes, spec.resize());
        }
        if (spec.centerCrop() > 0) {
            planes = centerCrop(planes, spec.centerCrop(), source);
        }
        return normalize(planes, spec);
    }

    /** Decodes the first frame of {@code image} with ImageIO, after checking its declared size. */
    static BufferedImage decode(Path image) {
        if (!Files.isRegularFile(image)) {
            throw InvalidInputException.of(image, "no such image file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw InvalidInputException.of(image, "not a readable image (PNG, JPEG, BMP or GIF expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS || pixels <= 0) {
                    throw InvalidInputException.of(image, "image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, outside what can be decoded");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw InvalidInputException.of(image, "cannot decode image: " + why.replaceAll("\\s+", " "));
        }
    }

    /** RGB planes, or a single gray plane for gray images. */
    static Planes toPlanes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        if (cm.getNumColorComponents() == 1 && !(cm instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            double toByte = 255.0 / ((1L << cm.getComponentSize(0)) - 1);
            float[] gray = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    gray[y * w + x] = (float) (raster.getSample(x, y, 0) * toByte);
                }
            }
            return new Planes(w, h, new float[][] {gray});
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] rgb = new float[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            rgb[0][i] = (argb[i] >> 16) & 0xff;
            rgb[1][i] = (argb[i] >> 8) & 0xff;
            rgb[2][i] = argb[i] & 0xff;
        }
        return new Planes(w, h, rgb);
    }

    /** Bilinear resize (half-pixel centres) so the shorter side becomes {@code size}. */
    static Planes resizeShorterSide(Planes in, int size) {
        int w = in.width();
        int h = in.height();
        int outW;
        int outH;
        if (w <= h) {
            outW = size;
            outH = (int) ((double) size * h / w);
        } else {
            outH = size;
            outW = (int) ((double) size * w / h);
        }
        return resizeBilinear(in, Math.max(outW, 1), Math.max(outH, 1));
    }

    /** Bilinear resize to {@code outW x outH}, half-pixel centres, edge-clamped (see the class comment). */
    static Planes resizeBilinear(Planes in, int outW, int outH) {
        int w = in.width();
        int h = in.height();
        double scaleX = (double) w / outW;
        double scaleY = (double) h / outH;
        float[][] out = new float[in.channels().length][outW * outH];
        for (int c = 0; c < out.length; c++) {
            float[] src = in.channels()[c];
            for (int y = 0; y < outH; y++) {
                double sy = Math.max(0, (y + 0.5) * scaleY - 0.5);
                int y0 = (int) sy;
                int y1 = Math.min(y0 + 1, h - 1);
                double wy = sy - y0;
                for (int x = 0; x < outW; x++) {
                    double sx = Math.max(0, (x + 0.5) * scaleX - 0.5);
                    int x0 = (int) sx;
                    int x1 = Math.min(x0 + 1, w - 1);
                    double wx = sx - x0;
                    double top = (1 - wx) * src[y0 * w + x0] + wx * src[y0 * w + x1];
                    double bottom = (1 - wx) * src[y1 * w + x0] + wx * src[y1 * w + x1];
                    out[c][y * outW + x] = (float) ((1 - wy) * top + wy * bottom);
                }
            }
        }
        return new Planes(outW, outH, out);
    }

    /** The centre {@code size x size} square, offsets rounded half to even like torchvision. */
    static Planes centerCrop(Planes in, int size, String source) {
        if (in.width() < size || in.height() < size) {
            throw InvalidInputException.of(source, "image is " + in.width() + "x" + in.height()
                    + " after resizing, smaller than center_crop " + size);
        }
        int top = (int) Math.rint((in.height() - size) / 2.0);
        int left = (int) Math.rint((in.width() - size) / 2.0);
        float[][] out = new float[in.channels().length][size * size];
        for (int c = 0; c < out.length; c++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(in.channels()[c], (top + y) * in.width() + left, out[c], y * size, size);
            }
        }
        return new Planes(size, size, out);
    }

    /** Colour conversion, scale/mean/std and layout into a [1,C,H,W] or [1,H,W,C] float tensor. */
    static Tensor normalize(Planes in, PreprocessSpec spec) {
        float[][] src = outputChannels(in, spec.color());
        int channels = src.length;
        int hw = in.width() * in.height();
        boolean nchw = spec.layout() == PreprocessSpec.Layout.NCHW;
        float[] out = new float[channels * hw];
        for (int c = 0; c < channels; c++) {
            double mean = spec.meanOf(c);
            double std = spec.stdOf(c);
            for (int i = 0; i < hw; i++) {
                float v = (float) ((src[c][i] * spec.scale() - mean) / std);
                out[nchw ? c * hw + i : i * channels + c] = v;
            }
        }
        Shape shape = nchw ? Shape.of(1, channels, in.height(), in.width())
                : Shape.of(1, in.height(), in.width(), channels);
        return Tensor.ofFloats(shape, out);
    }

    /** The planes in output channel order, before scaling: RGB, BGR or one BT.601 luma plane. */
    private static float[][] outputChannels(Planes in, PreprocessSpec.Color color) {
        float[][] ch = in.channels();
        if (ch.length == 1) {
            return color == PreprocessSpec.Color.GRAY ? ch : new float[][] {ch[0], ch[0], ch[0]};
        }
        return switch (color) {
            case RGB -> ch;
            case BGR -> new float[][] {ch[2], ch[1], ch[0]};
            case GRAY -> {
                float[] luma = new float[ch[0].length];
                for (int i = 0; i < luma.length; i++) {
                    luma[i] = (float) (LUMA_R * ch[0][i] + LUMA_G * ch[1][i] + LUMA_B * ch[2][i]);
                }
                yield new float[][] {luma};
            }
        };
    }
}
