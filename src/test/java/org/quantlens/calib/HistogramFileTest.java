package org.quantlens.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.testing.SharedFixtures;

class HistogramFileTest {
    @TempDir
    Path tmp;

    @Test
    void writeThenReadGivesTheSameHistograms() throws IOException {
        Histogram s = Histogram.signed(8);
        s.add(new float[] {-1f, 0.25f, 2f, 2f});
        Histogram a = Histogram.absolute(4);
        a.add(new float[] {-3f, 1f});
        Map<String, Histogram> in = new LinkedHashMap<>();
        in.put("conv/out:0", s);
        in.put("relu", a);
        Path f = tmp.resolve("h.json");
        HistogramFile.write(f, in);
        Map<String, Histogram> out = HistogramFile.read(f);
        assertEquals(in.keySet(), out.keySet());
        for (String k : in.keySet()) {
            assertEquals(in.get(k).form(), out.get(k).form());
            assertEquals(in.get(k).min(), out.get(k).min());
            assertEquals(in.get(k).max(), out.get(k).max());
            assertTrue(java.util.Arrays.equals(in.get(k).counts(), out.get(k).counts()));
            assertTrue(java.util.Arrays.equals(in.get(k).edges(), out.get(k).edges()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hist_entropy_2048_128.json", "hist_percentile_default.json"})
    void readsTheReferenceFilesAndInfersTheirForm(String name) {
        Map<String, Histogram> m = HistogramFile.read(SharedFixtures.require("reference/digits_lenet/" + name));
        assertEquals(11, m.size());
        Histogram logits = m.get("logits");
        assertEquals(2048, logits.bins());
        assertEquals(name.startsWith("hist_entropy") ? Histogram.Form.SIGNED : Histogram.Form.ABSOLUTE, logits.form());
        assertEquals(-30.34763526916504, logits.min(), 0);
        assertFalse(logits.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"t\": {\"hist\": [1, 2], \"edges\": [0, 1], \"min\": 0, \"max\": 1}}",
        "{\"t\": {\"hist\": [1, -2], \"edges\": [0, 1, 2], \"min\": 0, \"max\": 1}}",
        "{\"t\": {\"hist\": [1, 2.5], \"edges\": [0, 1, 2], \"min\": 0, \"max\": 1}}",
        "{\"t\": {\"hist\": [1, 2], \"edges\": [0, 3, 2], \"min\": 0, \"max\": 1}}",
        "{\"t\": {\"hist\": [1, 2], \"edges\": [0, 1, 2], \"min\": 5, \"max\": 1}}",
        "{\"t\": {\"hist\": [1, 2], \"edges\": [0, 1, 2]}}",
        "{\"t\": {\"hist\": \"many\", \"edges\": [0, 1, 2], \"min\": 0, \"max\": 1}}",
        "{\"t\": {\"hist\": [1, \"x\"], \"edges\": [0, 1, 2], \"min\": 0, \"max\": 1}}",
        "{\"t\": {\"hist\": [1, 2], \"edges\": [0, 1, 2], \"min\": 0, \"max\": 1, \"form\": \"round\"}}",
        "{\"t\": {\"hist\": [1, 2], \"edges\": [0, 1e999, 2], \"min\": 0, \"max\": 1}}",
        "{\"t\": [1, 2]}",
        "{\"t\": {\"hist\": [1, 2], \"edges\": [-1e300, 0, 1e300], \"min\": 0, \"max\": 1}}",
        "{\"t\": {\"hist\": [3], \"edges\": [0, 1], \"min\": 0, \"max\": 1, \"form\": \"signed\"}}",
        "{\"t\": {\"hist\": [1, 2], \"edges\": [0, 1,",
    })
    void hostileFilesFailWithOneLineNamingTheFileAndTensor(String json) throws IOException {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HistogramFile.read(f));
        assertTrue(e.getMessage().startsWith("bad.json: tensor \"t\": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{\"a\": 1", "garbage", "{} {"})
    void brokenTopLevelFailsWithOneLineNamingTheFile(String json) throws IOException {
        Path f = tmp.resolve("top.json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HistogramFile.read(f));
        assertTrue(e.getMessage().startsWith("top.json: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void missingFileIsInvalidInput() {
        assertThrows(InvalidInputException.class, () -> HistogramFile.read(tmp.resolve("none.json")));
    }
}
