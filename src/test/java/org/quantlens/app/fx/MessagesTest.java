package org.quantlens.app.fx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void keepsOnlyTheFirstLine() {
        assertEquals("model.onnx: truncated", Messages.oneLine(new RuntimeException("model.onnx: truncated\n\tat x")));
    }

    @Test
    void looksThroughWrappersWithoutAMessage() {
        assertEquals("inner", Messages.oneLine(new RuntimeException((String) null, new IllegalStateException("inner"))));
    }

    @Test
    void namesTheExceptionWhenNothingSaysMore() {
        assertEquals("NullPointerException", Messages.oneLine(new NullPointerException()));
    }
}
