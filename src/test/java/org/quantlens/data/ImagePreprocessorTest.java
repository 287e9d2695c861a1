package org.quantlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Expected values are computed by hand from the formulas in ImagePreprocessor's Javadoc. */
class ImagePreprocessorTest {
    private static final double EPS = 1e-5;

    @TempDir
    Path dir;

    static PreprocessSpec spec(int resize, int crop, PreprocessSpec.Layout layout, PreprocessSpec.Color color,
                               double scale, double[] mean, double[] std) {
        return new PreprocessSpec(resize, crop, layout, color, scale, mean, std);
    }

    static PreprocessSpec raw(int resize, int crop) {
        return spec(resize, crop, PreprocessSpec.Layout.NCHW, PreprocessSpec.Color.RGB, 1, new double[] {0},
                new double[] {1});
    }

    /** An RGB image whose red channel holds {@code red[y][x]}, green 0, blue 255 - red. */
    static BufferedImage redImage(int[][] red) {
        BufferedImage img = new BufferedImage(red[0].length, red.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < red.length; y++) {
            for (int x = 0; x < red[0].length; x++) {
                img.setRGB(x, y, red[y][x] << 16 | (255 - red[y][x]));
            }
        }
        return img;
    }

    static Path png(Path dir, String name, BufferedImage img) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", p.toFile()));
        return p;
    }

    private static float at(Tensor t, int c, int y, int x) {
        int[] d = t.shape().dims();
        return t.floats()[(c * d[2] + y) * d[3] + x];
    }

    @Test
    void defaultSpecScalesPixelsByOneOver255InNchwRgb() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff8000);
        img.setRGB(1, 0, 0x0000ff);
        Tensor t = ImagePreprocessor.load(png(dir, "a.png", img), PreprocessSpec.defaults());
        assertEquals(Shape.of(1, 3, 1, 2), t.shape());
        assertArrayEquals(new float[] {1f, 0f, 128 / 255f, 0f, 0f, 1f}, t.floats(), 1e-7f);
    }

    @Test
    void nhwcInterleavesChannelsAndBgrSwapsRedAndBlue() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x0a141e); // (10, 20, 30)
        img.setRGB(1, 0, 0x28323c); // (40, 50, 60)
        Tensor t = ImagePreprocessor.process(img, spec(0, 0, PreprocessSpec.Layout.NHWC, PreprocessSpec.Color.BGR, 1,
                new double[] {0}, new double[] {1}), "img");
        assertEquals(Shape.of(1, 1, 2, 3), t.shape());
        assertArrayEquals(new float[] {30, 20, 10, 60, 50, 40}, t.floats());
    }

    @Test
    void meanAndStdApplyPerOutputChannelAfterScaling() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff8033); // (255, 128, 51)
        Tensor t = ImagePreprocessor.process(img, spec(0, 0, PreprocessSpec.Layout.NCHW, PreprocessSpec.Color.RGB,
                1 / 255.0, new double[] {0.5, 0.25, 0.0}, new double[] {0.25, 0.5, 2.0}), "img");
        // (1 - 0.5)/0.25 = 2; (128/255 - 0.25)/0.5 = 0.50392...; (0.2 - 0)/2 = 0.1
        assertEquals(2.0, t.floats()[0], EPS);
        assertEquals((128 / 255.0 - 0.25) / 0.5, t.floats()[1], EPS);
        assertEquals(0.1, t.floats()[2], EPS);
    }

    @Test
    void grayIsBt601Luma() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 100 << 16 | 50 << 8 | 200);
        Tensor t = ImagePreprocessor.process(img, spec(0, 0, PreprocessSpec.Layout.NCHW, PreprocessSpec.Color.GRAY, 1,
                new double[] {0}, new double[] {1}), "img");
        assertEquals(Shape.of(1, 1, 1, 1), t.shape());
        assertEquals(0.299 * 100 + 0.587 * 50 + 0.114 * 200, t.floats()[0], 1e-4); // 82.05
    }

    @Test
    void grayPngKeepsItsLevelsWithoutGammaConversion() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 128);
        img.getRaster().setSample(1, 0, 0, 7);
        Tensor rgb = ImagePreprocessor.load(png(dir, "g.png", img), raw(0, 0));
        assertArrayEquals(new float[] {128, 7, 128, 7, 128, 7}, rgb.floats());
    }

    @Test
    void alphaIsDroppedWithoutCompositing() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x000a141e); // fully transparent (10, 20, 30)
        assertArrayEquals(new float[] {10, 20, 30}, ImagePreprocessor.process(img, raw(0, 0), "img").floats());
    }

    @Test
    void upscalingUsesHalfPixelCentresWithEdgeClamping() {
        // 2x2 -> 4x4: output column x samples source (x + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped)
        Tensor t = ImagePreprocessor.process(redImage(new int[][] {{0, 100}, {200, 40}}), raw(4, 0), "img");
        assertEquals(Shape.of(1, 3, 4, 4), t.shape());
        assertArrayEquals(new float[] {0, 25, 75, 100}, new float[] {at(t, 0, 0, 0), at(t, 0, 0, 1), at(t, 0, 0, 2),
                at(t, 0, 0, 3)}, 1e-4f);
        // row 1 samples y = 0.25: 0.75 * row0 + 0.25 * row1 = 0.75 * 25 + 0.25 * (0.75*200 + 0.25*40)
        assertEquals(58.75, at(t, 0, 1, 1), 1e-4);
        assertEquals(40, at(t, 0, 3, 3), 1e-4);
        assertEquals(255 - 58.75, at(t, 2, 1, 1), 1e-4);
    }

    @Test
    void downscalingByTwoAveragesEachTwoByTwoBlock() {
        int[][] red = {{0, 10, 20, 30}, {40, 50, 60, 70}, {80, 90, 100, 110}, {120, 130, 140, 150}};
        Tensor t = ImagePreprocessor.process(redImage(red), raw(2, 0), "img");
        // source coordinate (d + 0.5) * 2 - 0.5 = 0.5 and 2.5: halfway between two pixels on both axes
        assertArrayEquals(new float[] {25, 45, 105, 125}, new float[] {at(t, 0, 0, 0), at(t, 0, 0, 1), at(t, 0, 1, 0),
                at(t, 0, 1, 1)}, 1e-4f);
    }

    @Test
    void resizeSetsTheShorterSideAndTruncatesTheLongerLikeTorchvision() {
        Tensor wide = ImagePreprocessor.process(redImage(new int[2][4]), raw(3, 0), "img");
        assertEquals(Shape.of(1, 3, 3, 6), wide.shape());
        Tensor tall = ImagePreprocessor.process(redImage(new int[7][3]), raw(2, 0), "img");
        assertEquals(Shape.of(1, 3, 4, 2), tall.shape()); // int(2 * 7 / 3) = 4
    }

    @Test
    void centerCropOffsetsRoundHalfToEven() {
        int[][] red = new int[4][5];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                red[y][x] = 10 * y + x;
            }
        }
        // top = round(2/2) = 1, left = round(3/2 = 1.5) = 2
        Tensor t = ImagePreprocessor.process(redImage(red), raw(0, 2), "img");
        assertEquals(Shape.of(1, 3, 2, 2), t.shape());
        assertArrayEquals(new float[] {12, 13, 22, 23}, new float[] {at(t, 0, 0, 0), at(t, 0, 0, 1), at(t, 0, 1, 0),
                at(t, 0, 1, 1)});
        // width 3, crop 2: left = round(0.5) = 0
        Tensor narrow = ImagePreprocessor.process(redImage(new int[][] {{1, 2, 3}, {4, 5, 6}}), raw(0, 2), "img");
        assertEquals(1, at(narrow, 0, 0, 0));
    }

    @Test
    void cropLargerThanTheImageIsAnErrorNamingIt() {
        String msg = assertThrows(InvalidInputException.class,
                () -> ImagePreprocessor.process(redImage(new int[2][2]), raw(0, 3), "small.png")).getMessage();
        assertTrue(msg.startsWith("small.png: "), msg);
    }

    @Test
    void decodesBmpGifAndJpeg() throws IOException {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, 0x336699);
            }
        }
        for (String format : new String[] {"bmp", "gif", "jpg"}) {
            Path p = dir.resolve("solid." + format);
            assertTrue(ImageIO.write(img, format, p.toFile()), format);
            Tensor t = ImagePreprocessor.load(p, raw(0, 0));
            float tolerance = format.equals("jpg") ? 3 : 0; // JPEG is lossy
            assertEquals(0x33, at(t, 0, 4, 4), tolerance, format);
            assertEquals(0x66, at(t, 1, 4, 4), tolerance, format);
            assertEquals(0x99, at(t, 2, 4, 4), tolerance, format);
        }
    }

    @Test
    void imageDeclaringHugeDimensionsIsRejectedBeforeDecoding() throws IOException {
        byte[] png = Files.readAllBytes(png(dir, "small.png", redImage(new int[2][2])));
        // IHDR starts at byte 8: length, "IHDR", width, height, ...; its CRC covers type and data (bytes 12..28)
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png);
        b.putInt(16, 100_000).putInt(20, 100_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        Path huge = Files.write(dir.resolve("huge.png"), png);
        String msg = assertThrows(InvalidInputException.class, () -> ImagePreprocessor.load(huge, raw(0, 0))).getMessage();
        assertTrue(msg.startsWith(huge + ": image is 100000x100000"), msg);
    }

    @Test
    void garbageAndMissingFilesAreErrorsNamingTheFile() throws IOException {
        Path junk = Files.write(dir.resolve("junk.png"), new byte[] {1, 2, 3, 4});
        String msg = assertThrows(InvalidInputException.class, () -> ImagePreprocessor.load(junk, raw(0, 0))).getMessage();
        assertTrue(msg.startsWith(junk + ": "), msg);
        byte[] png = Files.readAllBytes(png(dir, "ok.png", redImage(new int[16][16])));
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        msg = assertThrows(InvalidInputException.class, () -> ImagePreprocessor.load(cut, raw(0, 0))).getMessage();
        assertTrue(msg.startsWith(cut + ": "), msg);
        Path none = dir.resolve("none.png");
        assertThrows(InvalidInputException.class, () -> ImagePreprocessor.load(none, raw(0, 0)));
    }
}
