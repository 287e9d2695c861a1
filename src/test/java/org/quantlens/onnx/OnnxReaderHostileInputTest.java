package org.quantlens.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.ir.Model;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;
import org.quantlens.tensor.WireBytes;

/** Malformed and hostile model bytes, each built here: every one must end as a one-line InvalidInputException. */
class OnnxReaderHostileInputTest {

    /** ModelProto { ir_version 8, opset_import { version 13 }, graph }. */
    static byte[] model(WireBytes graph) {
        return WireBytes.of().varint(1, 8).message(8, WireBytes.of().varint(2, 13)).message(7, graph).build();
    }

    /** GraphProto { node Identity(x) -> y, initializer, output y }. */
    static WireBytes graphWithInitializer(byte[] tensorProto) {
        return WireBytes.of()
                .message(1, WireBytes.of().string(1, "x").string(2, "y").string(4, "Identity"))
                .bytes(5, tensorProto)
                .message(12, WireBytes.of().string(1, "y"));
    }

    static InvalidInputException rejects(byte[] bytes, String fragment) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OnnxReader.read(bytes, null, "model.onnx"));
        assertTrue(e.getMessage().startsWith("model.onnx"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    @Test
    void theHandBuiltBaseModelIsValid() {
        byte[] ok = model(graphWithInitializer(TensorProtoFormat.encode("x", Tensor.ofFloats(Shape.of(2), 1, 2))));
        Model m = OnnxReader.read(ok, null, "model.onnx");
        assertEquals("Identity", m.graph().nodes().get(0).opType());
        assertEquals(13, m.defaultOpset());
    }

    /**
     * Protobuf cannot tell a message cut exactly between two top-level fields from a shorter message, so such a
     * cut may read (as a model missing its trailing fields); every other cut must fail cleanly.
     */
    @Test
    void truncationAtEveryOffsetFailsCleanly() throws java.io.IOException {
        for (Model m : new Model[] {TestModels.convWithInitializers(), TestModels.everyAttributeKind()}) {
            byte[] whole = OnnxWriter.toBytes(m);
            java.util.Set<Integer> boundaries = topLevelFieldStarts(whole);
            int failures = 0;
            for (int cut = 0; cut < whole.length; cut++) {
                byte[] part = Arrays.copyOf(whole, cut);
                try {
                    OnnxReader.read(part, null, "model.onnx");
                    assertTrue(boundaries.contains(cut), "cut at " + cut + " read as a valid model");
                } catch (InvalidInputException e) {
                    assertTrue(e.getMessage().startsWith("model.onnx: "), e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                    failures++;
                }
            }
            assertTrue(failures >= whole.length - boundaries.size());
        }
    }

    private static java.util.Set<Integer> topLevelFieldStarts(byte[] bytes) throws java.io.IOException {
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(bytes);
        while (!in.isAtEnd()) {
            starts.add(in.getTotalBytesRead());
            in.skipField(in.readTag());
        }
        return starts;
    }

    @Test
    void truncatedNodeIsLocatedInTheMessage() {
        byte[] whole = OnnxWriter.toBytes(TestModels.convWithInitializers());
        byte[] part = Arrays.copyOf(whole, 20);
        rejects(part, "truncated at byte");
    }

    @Test
    void garbageBytesFailCleanly() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(junk);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> OnnxReader.read(junk, null, "model.onnx"));
            assertTrue(e.getMessage().startsWith("model.onnx: "), e.getMessage());
        }
    }

    @Test
    void wrongWireTypesAreRejected() {
        rejects(WireBytes.of().string(1, "eight").build(), "wire type");
        rejects(WireBytes.of().varint(1, 8).varint(7, 3).build(), "wire type");
        rejects(model(WireBytes.of().fixed32(1, 0)), "wire type");
        rejects(model(WireBytes.of().message(1, WireBytes.of().varint(4, 1))), "wire type");
        rejects(WireBytes.of().tag(7, 3).build(), "wire type 3");
    }

    @Test
    void absurdDeclaredDimensionsFailBeforeAllocating() {
        byte[] huge = WireBytes.of().varint(1, 1_000_000_000_000L).varint(2, 1).string(8, "x")
                .bytes(9, new byte[4]).build();
        rejects(model(graphWithInitializer(huge)), "exceeds");
        byte[] big = WireBytes.of().varint(1, 50_000).varint(1, 40_000).varint(2, 1).string(8, "x")
                .bytes(9, new byte[4]).build();
        rejects(model(graphWithInitializer(big)), "raw data holds 4 bytes");
        byte[] outOfInt = WireBytes.of().varint(1, 1L << 31).varint(1, 1L << 31).varint(2, 7).string(8, "x").build();
        rejects(model(graphWithInitializer(outOfInt)), "model.onnx: graph.initializer[0]");
    }

    @Test
    void negativeDimensionsAndMismatchedRawDataAreRejected() {
        rejects(model(graphWithInitializer(WireBytes.of().varint(1, -4).varint(2, 1).string(8, "x").build())),
                "negative dimension");
        rejects(model(graphWithInitializer(WireBytes.of().varint(1, 3).varint(2, 1).string(8, "x")
                .bytes(9, new byte[11]).build())), "raw data holds 11 bytes, but 3 float32 elements need 12");
    }

    @Test
    void lyingLengthPrefixIsTruncationNotAllocation() {
        rejects(WireBytes.of().varint(1, 8).lyingLength(7, Integer.MAX_VALUE, new byte[8]).build(), "truncated");
        rejects(WireBytes.of().varint(1, 8).lyingLength(7, -1L, new byte[8]).build(), "model.onnx: ");
        byte[] initializer = WireBytes.of().varint(1, 8).message(8, WireBytes.of().varint(2, 13))
                .message(7, WireBytes.of().lyingLength(5, 1L << 30, new byte[10])).build();
        rejects(initializer, "truncated");
    }

    @Test
    void deeplyNestedSubgraphsStopAtTheDepthLimit() {
        for (int depth : new int[] {OnnxReader.MAX_GRAPH_DEPTH + 1, 5000}) {
            WireBytes g = WireBytes.of().message(12, WireBytes.of().string(1, "y"));
            for (int i = 0; i < depth; i++) {
                WireBytes attr = WireBytes.of().string(1, "body").message(6, g).varint(20, 5);
                WireBytes node = WireBytes.of().string(2, "y").string(4, "If").message(5, attr);
                g = WireBytes.of().message(1, node).message(12, WireBytes.of().string(1, "y"));
            }
            rejects(model(g), "nested deeper than " + OnnxReader.MAX_GRAPH_DEPTH);
        }
    }

    @Test
    void nestingWithinTheLimitIsRead() {
        WireBytes g = WireBytes.of().message(12, WireBytes.of().string(1, "y"));
        for (int i = 1; i < OnnxReader.MAX_GRAPH_DEPTH; i++) {
            WireBytes attr = WireBytes.of().string(1, "body").message(6, g).varint(20, 5);
            g = WireBytes.of().message(1, WireBytes.of().string(2, "y").string(4, "If").message(5, attr))
                    .message(12, WireBytes.of().string(1, "y"));
        }
        Model m = OnnxReader.read(model(g), null, "model.onnx");
        assertEquals("If", m.graph().nodes().get(0).opType());
    }

    @Test
    void unsupportedIrVersionsAndOpsetsAreNamed() {
        WireBytes g = WireBytes.of().message(12, WireBytes.of().string(1, "y"));
        rejects(WireBytes.of().varint(1, 2).message(8, WireBytes.of().varint(2, 13)).message(7, g).build(),
                "IR version 2 not supported (3..13)");
        rejects(WireBytes.of().varint(1, 14).message(8, WireBytes.of().varint(2, 13)).message(7, g).build(),
                "IR version 14 not supported");
        rejects(WireBytes.of().varint(1, 8).message(8, WireBytes.of().varint(2, 26)).message(7, g).build(),
                "opset 26 not supported (6..25)");
        rejects(WireBytes.of().varint(1, 8).message(8, WireBytes.of().string(1, "ai.onnx").varint(2, 5))
                .message(7, g).build(), "opset 5 not supported");
        rejects(WireBytes.of().varint(1, 8).message(8, WireBytes.of().string(1, "com.microsoft").varint(2, 1))
                .message(7, g).build(), "no opset_import for the default ONNX domain");
        rejects(WireBytes.of().varint(1, 8).message(8, WireBytes.of().varint(2, 13)).build(), "no graph");
    }

    @Test
    void otherDomainsAreKeptUnchecked() {
        WireBytes g = WireBytes.of().message(12, WireBytes.of().string(1, "y"));
        Model m = OnnxReader.read(WireBytes.of().varint(1, 8)
                .message(8, WireBytes.of().string(1, "ai.onnx").varint(2, 21))
                .message(8, WireBytes.of().string(1, "ai.onnx.ml").varint(2, 99)).message(7, g).build(), null, "m.onnx");
        assertEquals(21, m.defaultOpset());
        assertEquals(99L, m.opsets().get("ai.onnx.ml"));
    }

    @Test
    void duplicateInitializerNamesAreRejected() {
        byte[] t = TensorProtoFormat.encode("w", Tensor.scalar(1f));
        rejects(model(graphWithInitializer(t).bytes(5, t)), "initializer 'w' appears twice");
    }

    @Test
    void stringConstantsAreRejectedNamingTheType() {
        byte[] stringTensor = WireBytes.of().varint(2, 8).string(6, "hello").build();
        WireBytes attr = WireBytes.of().string(1, "value").bytes(5, stringTensor).varint(20, 4);
        WireBytes g = WireBytes.of().message(1, WireBytes.of().string(2, "y").string(4, "Constant").message(5, attr))
                .message(12, WireBytes.of().string(1, "y"));
        rejects(model(g), "STRING");
    }

    @Test
    void lineBreaksInNamesDoNotBreakTheOneLineMessage() {
        byte[] tensor = WireBytes.of().varint(1, 3).varint(2, 1).string(8, "evil\nname").bytes(9, new byte[5]).build();
        InvalidInputException e = rejects(model(graphWithInitializer(tensor)), "tensor 'evil?name'");
        WireBytes attr = WireBytes.of().string(1, "line\rbreak").lyingLength(5, 40, new byte[3]);
        WireBytes g = WireBytes.of().message(1, WireBytes.of().string(4, "Constant").message(5, attr));
        rejects(model(g), "attribute 'line?break'");
        assertTrue(e.getMessage().contains("graph.initializer[0]"), e.getMessage());
    }
}
