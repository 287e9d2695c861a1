package org.quantlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class AppCommandTest {
    @Test
    void aMissingModelIsExitTwoWithOneLine() {
        StringWriter err = new StringWriter();
        int status = QuantLensCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "app", "/nowhere/missing.onnx");
        assertEquals(QuantLensCommand.BAD_INPUT, status);
        String text = err.toString().strip();
        assertTrue(text.startsWith("quantlens: ") && text.contains("missing.onnx"), text);
        assertEquals(1, text.lines().count(), text);
    }

    @Test
    void theDefaultModelIsTheBundledSampleUnderTheProject() {
        assertTrue(AppCommand.sampleModel().endsWith(AppCommand.SAMPLE_MODEL), AppCommand.sampleModel().toString());
    }
}
