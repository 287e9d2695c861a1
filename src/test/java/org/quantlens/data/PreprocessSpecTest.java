package org.quantlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.tensor.InvalidInputException;

class PreprocessSpecTest {
    @TempDir
    Path dir;

    private Path json(String text) throws IOException {
        return Files.writeString(dir.resolve("p.json"), text);
    }

    private String error(String text) throws IOException {
        Path p = json(text);
        String msg = assertThrows(InvalidInputException.class, () -> PreprocessSpec.read(p)).getMessage();
        assertTrue(msg.startsWith(p + ": "), msg);
        assertTrue(!msg.contains("\n"), msg);
        return msg;
    }

    @Test
    void readsEveryFieldOfTheContractExample() throws IOException {
        PreprocessSpec s = PreprocessSpec.read(json("{\"resize\": 256, \"center_crop\": 224, \"layout\": \"NHWC\", "
                + "\"color\": \"BGR\", \"scale\": 0.00392156862745098, \"mean\": [0.485,0.456,0.406], "
                + "\"std\": [0.229,0.224,0.225]}"));
        assertEquals(256, s.resize());
        assertEquals(224, s.centerCrop());
        assertEquals(PreprocessSpec.Layout.NHWC, s.layout());
        assertEquals(PreprocessSpec.Color.BGR, s.color());
        assertEquals(0.00392156862745098, s.scale());
        assertArrayEquals(new double[] {0.485, 0.456, 0.406}, s.mean());
        assertEquals(0.225, s.stdOf(2));
    }

    @Test
    void everyFieldIsOptional() throws IOException {
        PreprocessSpec s = PreprocessSpec.read(json("{}"));
        assertEquals(PreprocessSpec.defaults(), s);
        assertEquals(0, s.resize());
        assertEquals(0, s.centerCrop());
        assertEquals(PreprocessSpec.Layout.NCHW, s.layout());
        assertEquals(PreprocessSpec.Color.RGB, s.color());
        assertEquals(1.0 / 255.0, s.scale());
        assertEquals(0.0, s.meanOf(2));
        assertEquals(1.0, s.stdOf(1));
    }

    @Test
    void aSingleMeanAppliesToEveryChannel() throws IOException {
        PreprocessSpec s = PreprocessSpec.read(json("{\"mean\": 0.5, \"std\": [2], \"color\": \"gray\"}"));
        assertEquals(1, s.channels());
        assertEquals(0.5, s.meanOf(0));
        assertEquals(2.0, s.stdOf(0));
    }

    @Test
    void unknownFieldsWrongTypesAndBadCombinationsAreOneLineErrorsNamingTheFile() throws IOException {
        assertTrue(error("{\"resise\": 256}").contains("unknown field 'resise'"));
        assertTrue(error("{\"resize\": \"256\"}").contains("'resize'"));
        assertTrue(error("{\"resize\": 2.5}").contains("'resize'"));
        assertTrue(error("{\"center_crop\": -1}").contains("'center_crop'"));
        assertTrue(error("{\"layout\": \"CHW\"}").contains("'layout'"));
        assertTrue(error("{\"color\": 3}").contains("'color'"));
        assertTrue(error("{\"scale\": \"x\"}").contains("'scale'"));
        assertTrue(error("{\"mean\": [1, \"a\", 2]}").contains("mean[1]"));
        assertTrue(error("{\"color\": \"GRAY\", \"mean\": [1, 2, 3]}").contains("mean"));
        assertTrue(error("{\"std\": [1, 0, 1]}").contains("std"));
        assertTrue(error("[1, 2]").contains("JSON object"));
        assertTrue(error("{\"resize\": 256,\n\n}").contains("not valid JSON"));
        assertTrue(error("{} {}").contains("not valid JSON"));
    }
}
