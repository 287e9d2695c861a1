package org.quantlens.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quantlens.testing.SharedFixtures;

/**
 * The model input is a tensor ORT calibrated too: building its histogram from calib.npy with ORT's semantics must
 * give ORT's histogram bin for bin and edge for edge.
 */
class OrtHistogramCollectorTest {

    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet", "digits_mlp"})
    void signedCollectionOfTheInputEqualsOrtsEntropyHistogram(String model) throws IOException {
        Path dir = SharedFixtures.require("reference/" + model);
        OrtHistogramCollector c = new OrtHistogramCollector(false, 2048);
        c.collect(readFloat32Npy(dir.resolve("calib.npy")));
        assertSameHistogram(HistogramFile.read(dir.resolve("hist_entropy_2048_128.json")).get("input"), c.histogram());
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet", "digits_mlp"})
    void absoluteCollectionOfTheInputEqualsOrtsPercentileHistogram(String model) throws IOException {
        Path dir = SharedFixtures.require("reference/" + model);
        OrtHistogramCollector c = new OrtHistogramCollector(true, 2048);
        c.collect(readFloat32Npy(dir.resolve("calib.npy")));
        Map<String, Histogram> ref = HistogramFile.read(dir.resolve("hist_percentile_default.json"));
        assertSameHistogram(ref.get("input"), c.histogram());
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_lenet"})
    void growingBySecondCallKeepsEveryCountAndTheOldBinsInTheMiddle(String model) throws IOException {
        OrtHistogramCollector c = new OrtHistogramCollector(false, 8);
        c.collect(new float[] {-1f, 1f, 0.1f});
        c.collect(new float[] {3f});
        Histogram h = c.histogram();
        assertEquals(4, h.total());
        // stride 0.25, k = int((3 - 1) // 0.25 + 1) = 9, bins = 8 + 18 = 26, t = 9 * 0.25 + 1 = 3.25
        assertEquals(26, h.bins());
        assertEquals(3.25, h.edge(26), 1e-6);
        assertEquals(1, h.count(9), "old bin 0 (-1) moved to 9");
        assertEquals(1, h.count(25), "3 lands in the last new bin [3, 3.25]");
        assertTrue(h.count(12) + h.count(13) >= 1);
    }

    private static void assertSameHistogram(Histogram want, Histogram got) {
        assertArrayEquals(want.edges(), got.edges(), "edges");
        assertArrayEquals(want.counts(), got.counts(), "counts");
        assertEquals(want.min(), got.min());
        assertEquals(want.max(), got.max());
    }

    /** Minimal reader for a little-endian float32 .npy (C order), enough for the reference calibration set. */
    static float[] readFloat32Npy(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int major = all[6];
        int headerLen = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLen;
        String header = new String(all, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'<f4'") && header.contains("'fortran_order': False"), header);
        float[] out = new float[(all.length - start) / 4];
        b.position(start);
        b.asFloatBuffer().get(out);
        return out;
    }
}
