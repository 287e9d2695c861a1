package org.quantlens.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quantlens.ir.IrFixtures.model;
import static org.quantlens.ir.IrFixtures.typeOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class ShapeInferenceTest {
    private static final DType F = DType.FLOAT32;

    /**
     * LeNet-like: 16x16 -conv5-> 12x12 -pool2-> 6x6 -conv3-> 4x4 -pool2-> 2x2, 16*2*2 = 64 features, Gemm to 10.
     */
    private static IrFixtures lenet() {
        return model().input("x", F, "N", 1, 16, 16).output("logits", F, "N", 10)
                .weights("w1", 6, 1, 5, 5).weights("b1", 6).weights("w2", 16, 6, 3, 3).weights("b2", 16)
                .weights("fc", 10, 64).weights("fcb", 10)
                .node("conv1", "Conv", List.of("x", "w1", "b1"), List.of("c1"),
                        Attribute.ofInts("kernel_shape", 5, 5))
                .node("relu1", "Relu", List.of("c1"), List.of("r1"))
                .node("pool1", "MaxPool", List.of("r1"), List.of("p1"), Attribute.ofInts("kernel_shape", 2, 2),
                        Attribute.ofInts("strides", 2, 2))
                .node("conv2", "Conv", List.of("p1", "w2", "b2"), List.of("c2"))
                .node("relu2", "Relu", List.of("c2"), List.of("r2"))
                .node("pool2", "MaxPool", List.of("r2"), List.of("p2"), Attribute.ofInts("kernel_shape", 2, 2),
                        Attribute.ofInts("strides", 2, 2));
    }

    private static Model lenetWithFlatten() {
        return lenet().node("flat", "Flatten", List.of("p2"), List.of("f"))
                .node("fc", "Gemm", List.of("f", "fc", "fcb"), List.of("logits"), Attribute.ofInt("transB", 1))
                .build();
    }

    @Test
    void lenetChainKeepsTheSymbolicBatchAndComputesSpatialSizes() {
        Map<String, ValueInfo> r = ShapeInference.infer(lenetWithFlatten());
        assertEquals("float32[N,1,16,16]", typeOf(r, "x"));
        assertEquals("float32[6,1,5,5]", typeOf(r, "w1"));
        assertEquals("float32[N,6,12,12]", typeOf(r, "c1"));
        assertEquals("float32[N,6,12,12]", typeOf(r, "r1"));
        assertEquals("float32[N,6,6,6]", typeOf(r, "p1"));
        assertEquals("float32[N,16,4,4]", typeOf(r, "c2"));
        assertEquals("float32[N,16,2,2]", typeOf(r, "p2"));
        assertEquals("float32[N,64]", typeOf(r, "f"));
        assertEquals("float32[N,10]", typeOf(r, "logits"));
    }

    @Test
    void resultListsInputsThenInitializersThenNodeOutputs() {
        List<String> names = List.copyOf(ShapeInference.infer(lenetWithFlatten()).keySet());
        assertEquals(List.of("x", "w1", "b1", "w2", "b2", "fc", "fcb", "c1", "r1", "p1", "c2", "r2", "p2", "f",
                "logits"), names);
    }

    @Test
    void pytorchStyleViewThroughShapeGatherConcatKeepsTheBatchSymbol() {
        Model m = lenet().ints("zero", 0).ints("minus1", -1).ints("axes0", 0)
                .init("idx", Tensor.ofLongs(Shape.scalar(), 0))
                .node("shape", "Shape", List.of("p2"), List.of("s"))
                .node("gather", "Gather", List.of("s", "idx"), List.of("batch"), Attribute.ofInt("axis", 0))
                .node("unsq", "Unsqueeze", List.of("batch", "axes0"), List.of("batch1"))
                .node("cat", "Concat", List.of("batch1", "minus1"), List.of("target"), Attribute.ofInt("axis", 0))
                .node("view", "Reshape", List.of("p2", "target"), List.of("f"))
                .node("fc", "Gemm", List.of("f", "fc", "fcb"), List.of("logits"), Attribute.ofInt("transB", 1))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("int64[4]", typeOf(r, "s"));
        assertEquals("int64[]", typeOf(r, "batch"));
        assertEquals("int64[2]", typeOf(r, "target"));
        assertEquals("float32[N,64]", typeOf(r, "f"));
        assertEquals("float32[N,10]", typeOf(r, "logits"));
    }

    @Test
    void concreteInputShapesBindTheBatchEverywhere() {
        Map<String, ValueInfo> r = ShapeInference.infer(lenetWithFlatten(), Map.of("x", Shape.of(8, 1, 16, 16)));
        assertEquals("float32[8,1,16,16]", typeOf(r, "x"));
        assertEquals("float32[8,6,6,6]", typeOf(r, "p1"));
        assertEquals("float32[8,10]", typeOf(r, "logits"));
    }

    @Test
    void concreteInputShapeMustMatchTheDeclaration() {
        Model m = lenetWithFlatten();
        InvalidInputException wrongRank = assertThrows(InvalidInputException.class,
                () -> ShapeInference.infer(m, Map.of("x", Shape.of(8, 16, 16))));
        assertTrue(wrongRank.getMessage().contains("'x'"), wrongRank.getMessage());
        assertThrows(InvalidInputException.class, () -> ShapeInference.infer(m, Map.of("x", Shape.of(8, 3, 16, 16))));
        assertThrows(InvalidInputException.class, () -> ShapeInference.infer(m, Map.of("y", Shape.of(1))));
    }

    @Test
    void convChannelMismatchNamesTheNode() {
        Model m = model().input("x", F, "N", 3, 8, 8).weights("w", 4, 1, 3, 3)
                .node("stem", "Conv", List.of("x", "w"), List.of("y")).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ShapeInference.infer(m));
        assertTrue(e.getMessage().startsWith("node stem (Conv):"), e.getMessage());
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
    }

    @Test
    void groupedConvChecksChannelsPerGroup() {
        Model m = model().input("x", F, 1, 8, 8, 8).weights("w", 8, 1, 3, 3)
                .node("dw", "Conv", List.of("x", "w"), List.of("y"), Attribute.ofInt("group", 8),
                        Attribute.ofInts("pads", 1, 1, 1, 1))
                .build();
        assertEquals("float32[1,8,8,8]", typeOf(ShapeInference.infer(m), "y"));
    }

    @Test
    void convStridesDilationsAndSamePadding() {
        // (10 + 1 + 1 - (2*(3-1)+1)) / 2 + 1 = 7/2 + 1 = 4 ; SAME_UPPER: ceil(10 / 3) = 4
        Model m = model().input("x", F, 1, 1, 10, 10).weights("w", 2, 1, 3, 3)
                .node("a", "Conv", List.of("x", "w"), List.of("dil"), Attribute.ofInts("strides", 2, 2),
                        Attribute.ofInts("dilations", 2, 2), Attribute.ofInts("pads", 1, 1, 1, 1))
                .node("b", "Conv", List.of("x", "w"), List.of("same"), Attribute.ofInts("strides", 3, 3),
                        Attribute.ofString("auto_pad", "SAME_UPPER"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("float32[1,2,4,4]", typeOf(r, "dil"));
        assertEquals("float32[1,2,4,4]", typeOf(r, "same"));
    }

    private static String pooled(long in, Attribute... attrs) {
        Model m = model().input("x", F, 1, 1, in, in).node("p", "MaxPool", List.of("x"), List.of("y", "idx"), attrs)
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals(typeOf(r, "y").replace("float32", "int64"), typeOf(r, "idx"));
        return typeOf(r, "y");
    }

    @Test
    void poolFloorAndCeilMode() {
        Attribute k2 = Attribute.ofInts("kernel_shape", 2, 2);
        Attribute s2 = Attribute.ofInts("strides", 2, 2);
        Attribute ceil = Attribute.ofInt("ceil_mode", 1);
        // 5x5, k2 s2: floor((5-2)/2)+1 = 2, ceil((5-2)/2)+1 = 3
        assertEquals("float32[1,1,2,2]", pooled(5, k2, s2));
        assertEquals("float32[1,1,3,3]", pooled(5, k2, s2, ceil));
        // 6x6, k3 s2: floor(3/2)+1 = 2, ceil(3/2)+1 = 3 (last window starts at 4 < 6: kept)
        Attribute k3 = Attribute.ofInts("kernel_shape", 3, 3);
        assertEquals("float32[1,1,2,2]", pooled(6, k3, s2));
        assertEquals("float32[1,1,3,3]", pooled(6, k3, s2, ceil));
    }

    @Test
    void ceilModeDropsAWindowThatWouldStartInTheRightPadding() {
        // 5, k2 s2 pad 1+1: ceil((5+2-2)/2)+1 = 4, but window 3 starts at 3*2 = 6 >= 5+1: dropped -> 3 (PyTorch too)
        Attribute pads = Attribute.ofInts("pads", 1, 1, 1, 1);
        assertEquals("float32[1,1,3,3]", pooled(5, Attribute.ofInts("kernel_shape", 2, 2),
                Attribute.ofInts("strides", 2, 2), pads, Attribute.ofInt("ceil_mode", 1)));
    }

    @Test
    void poolAutoPadAndDilations() {
        Attribute k2 = Attribute.ofInts("kernel_shape", 2, 2);
        Attribute s2 = Attribute.ofInts("strides", 2, 2);
        assertEquals("float32[1,1,3,3]", pooled(5, k2, s2, Attribute.ofString("auto_pad", "SAME_UPPER")));
        assertEquals("float32[1,1,2,2]", pooled(5, k2, s2, Attribute.ofString("auto_pad", "VALID")));
        // 7, k3 dilation 2: effective window 5, (7 - 5) / 1 + 1 = 3
        assertEquals("float32[1,1,3,3]", pooled(7, Attribute.ofInts("kernel_shape", 3, 3),
                Attribute.ofInts("dilations", 2, 2)));
    }

    @Test
    void averageAndGlobalPools() {
        Model m = model().input("x", F, "N", 4, 7, 7)
                .node("avg", "AveragePool", List.of("x"), List.of("a"), Attribute.ofInts("kernel_shape", 3, 3),
                        Attribute.ofInts("strides", 2, 2), Attribute.ofInts("pads", 1, 1, 1, 1))
                .node("gap", "GlobalAveragePool", List.of("a"), List.of("g"))
                .node("gmp", "GlobalMaxPool", List.of("x"), List.of("h"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("float32[N,4,4,4]", typeOf(r, "a")); // (7+2-3)/2+1 = 4
        assertEquals("float32[N,4,1,1]", typeOf(r, "g"));
        assertEquals("float32[N,4,1,1]", typeOf(r, "h"));
    }

    private static String added(Object[] a, Object[] b) {
        Model m = model().input("a", F, a).input("b", F, b).node("add", "Add", List.of("a", "b"), List.of("y"))
                .build();
        return typeOf(ShapeInference.infer(m), "y");
    }

    @Test
    void broadcastingFollowsNumpyWithSymbols() {
        assertEquals("float32[N,3,4,5]", added(new Object[] {"N", 3, 1, 5}, new Object[] {4, 1}));
        assertEquals("float32[N,N]", added(new Object[] {"N", 1}, new Object[] {1, "N"}));
        assertEquals("float32[3,5]", added(new Object[] {"N", 5}, new Object[] {3, 5}));
        assertEquals("float32[N,5]", added(new Object[] {"N", 5}, new Object[] {}));
        assertEquals("float32[?,5]", added(new Object[] {"N", 5}, new Object[] {"M", 5}));
    }

    @Test
    void broadcastMismatchNamesTheNode() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> added(new Object[] {2, 3}, new Object[] {4}));
        assertTrue(e.getMessage().startsWith("node add (Add):"), e.getMessage());
    }

    @Test
    void matmulPromotesVectorsAndBroadcastsBatches() {
        Model m = model().input("a", F, "N", 1, 3, 4).input("b", F, 5, 4, 6).input("v", F, 4)
                .node("mm", "MatMul", List.of("a", "b"), List.of("y"))
                .node("mv", "MatMul", List.of("a", "v"), List.of("z"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("float32[N,5,3,6]", typeOf(r, "y"));
        assertEquals("float32[N,1,3]", typeOf(r, "z"));
        Model bad = model().input("a", F, 2, 3).input("b", F, 4, 2)
                .node("mm", "MatMul", List.of("a", "b"), List.of("y")).build();
        assertThrows(InvalidInputException.class, () -> ShapeInference.infer(bad));
    }

    @Test
    void gemmInnerDimensionMismatchThrows() {
        Model m = model().input("x", F, "N", 63).weights("w", 10, 64)
                .node("fc", "Gemm", List.of("x", "w"), List.of("y"), Attribute.ofInt("transB", 1)).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ShapeInference.infer(m));
        assertTrue(e.getMessage().startsWith("node fc (Gemm):"), e.getMessage());
    }

    @Test
    void unsupportedOperatorYieldsUnknownUnlessDeclared() {
        Model m = model().input("x", F, "N", 3).valueInfo("declared", F, "N", 7)
                .node("mystery", "FancyOp", List.of("x"), List.of("undeclared"))
                .node("other", "FancyOp", List.of("x"), List.of("declared"))
                .node("after", "Relu", List.of("undeclared"), List.of("y"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertNull(r.get("undeclared").dims());
        assertNull(r.get("y").dims());
        assertEquals("float32[N,7]", typeOf(r, "declared"));
    }

    @Test
    void declaredShapeFillsUnknownDimsAndContradictionsThrow() {
        Model fills = model().input("x", F, "?", 3).output("y", F, 2, 3)
                .node("relu", "Relu", List.of("x"), List.of("y")).build();
        assertEquals("float32[2,3]", typeOf(ShapeInference.infer(fills), "y"));
        Model contradicts = model().input("x", F, "N", 3).output("y", F, "N", 4)
                .node("relu", "Relu", List.of("x"), List.of("y")).build();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ShapeInference.infer(contradicts));
        assertTrue(e.getMessage().contains("node relu (Relu)"), e.getMessage());
    }

    @Test
    void reshapeWithConstantShapeCopiesZerosAndInfersMinusOne() {
        Model m = model().input("x", F, "N", 4, 6).ints("s", 0, -1, 3)
                .node("r", "Reshape", List.of("x", "s"), List.of("y"))
                .build();
        assertEquals("float32[N,8,3]", typeOf(ShapeInference.infer(m), "y"));
        Model bad = model().input("x", F, 4, 6).ints("s", 5, -1)
                .node("r", "Reshape", List.of("x", "s"), List.of("y")).build();
        assertThrows(InvalidInputException.class, () -> ShapeInference.infer(bad));
    }

    @Test
    void reshapeFromAConstantNode() {
        Model m = model().input("x", F, 2, 3, 4)
                .node("c", "Constant", List.of(), List.of("s"),
                        Attribute.ofTensor("value", Tensor.ofLongs(Shape.of(2), 6, 4)))
                .node("r", "Reshape", List.of("x", "s"), List.of("y"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("int64[2]", typeOf(r, "s"));
        assertEquals("float32[6,4]", typeOf(r, "y"));
    }

    @Test
    void transposeSqueezeUnsqueezeFlatten() {
        Model m = model().input("x", F, "N", 1, 3, 1).ints("ax", 1, 3).ints("ux", 0, -1)
                .node("t", "Transpose", List.of("x"), List.of("t"), Attribute.ofInts("perm", 2, 0, 3, 1))
                .node("sq", "Squeeze", List.of("x", "ax"), List.of("sq"))
                .node("un", "Unsqueeze", List.of("sq", "ux"), List.of("un"))
                .node("fl", "Flatten", List.of("x"), List.of("fl"), Attribute.ofInt("axis", 2))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("float32[3,N,1,1]", typeOf(r, "t"));
        assertEquals("float32[N,3]", typeOf(r, "sq"));
        assertEquals("float32[1,N,3,1]", typeOf(r, "un"));
        assertEquals("float32[N,3]", typeOf(r, "fl"));
        Model bad = model().input("x", F, 2, 3).ints("ax", 1)
                .node("sq", "Squeeze", List.of("x", "ax"), List.of("y")).build();
        assertThrows(InvalidInputException.class, () -> ShapeInference.infer(bad));
    }

    @Test
    void squeezeAndUnsqueezeAxesAsAttributesBeforeOpset13() {
        Model m = model().opset(11).input("x", F, 1, 3)
                .node("sq", "Squeeze", List.of("x"), List.of("s"), Attribute.ofInts("axes", 0))
                .node("un", "Unsqueeze", List.of("s"), List.of("u"), Attribute.ofInts("axes", 1))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("float32[3]", typeOf(r, "s"));
        assertEquals("float32[3,1]", typeOf(r, "u"));
    }

    @Test
    void sliceClampsLikeTheSpec() {
        // axis 1 (size 10): 1..1000 step 3 -> 1,4,7 ; axis 2 (size 5): -1..-1000 step -2 -> 4,2,0
        Model m = model().input("x", F, "N", 10, 5).ints("st", 1, -1).ints("en", 1000, -1000).ints("ax", 1, 2)
                .ints("sp", 3, -2)
                .node("sl", "Slice", List.of("x", "st", "en", "ax", "sp"), List.of("y"))
                .build();
        assertEquals("float32[N,3,3]", typeOf(ShapeInference.infer(m), "y"));
    }

    @Test
    void gatherShapesAndChecksConstantIndices() {
        Model m = model().input("x", F, 5, 4, 3).init("i", Tensor.ofLongs(Shape.of(2, 2), 0, 1, -1, 2))
                .node("g", "Gather", List.of("x", "i"), List.of("y"), Attribute.ofInt("axis", 1))
                .build();
        assertEquals("float32[5,2,2,3]", typeOf(ShapeInference.infer(m), "y"));
        Model bad = model().input("x", F, 5, 4).ints("i", 4)
                .node("g", "Gather", List.of("x", "i"), List.of("y"), Attribute.ofInt("axis", 1)).build();
        assertThrows(InvalidInputException.class, () -> ShapeInference.infer(bad));
    }

    @Test
    void concatSumsTheAxisAndUnifiesTheRest() {
        Model m = model().input("a", F, "N", 2, 5).input("b", F, "?", 3, 5)
                .node("c", "Concat", List.of("a", "b"), List.of("y"), Attribute.ofInt("axis", -2)).build();
        assertEquals("float32[N,5,5]", typeOf(ShapeInference.infer(m), "y"));
    }

    @Test
    void padReduceMeanResizeAndCast() {
        Model m = model().input("x", F, "N", 3, 4, 4).ints("pads", 0, 0, 1, 2, 0, 0, 1, 2).ints("axes", 2, 3)
                .init("roi", Tensor.ofFloats(Shape.of(0))).init("scales", Tensor.ofFloats(Shape.of(4), 1, 1, 2, 1.5f))
                .node("pad", "Pad", List.of("x", "pads"), List.of("p"))
                .node("mean", "ReduceMean", List.of("x"), List.of("m"), Attribute.ofInts("axes", 2, 3),
                        Attribute.ofInt("keepdims", 0))
                .node("rs", "Resize", List.of("x", "roi", "scales"), List.of("r"))
                .node("cast", "Cast", List.of("x"), List.of("c"), Attribute.ofInt("to", DType.FLOAT16.onnxCode()))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("float32[N,3,6,8]", typeOf(r, "p"));
        assertEquals("float32[N,3]", typeOf(r, "m"));
        assertEquals("float32[N,3,8,6]", typeOf(r, "r"));
        assertEquals("float16[N,3,4,4]", typeOf(r, "c"));
    }

    @Test
    void quantizedOperatorsGetTheirOutputTypes() {
        Model m = model().input("x", F, "N", 2, 6, 6)
                .init("xs", Tensor.scalar(0.1f)).init("xz", Tensor.ofUint8(Shape.scalar(), (byte) 128))
                .init("w", Tensor.ofInt8(Shape.of(4, 2, 3, 3), new byte[72])).init("ws", Tensor.scalar(0.02f))
                .init("wz", Tensor.ofInt8(Shape.scalar(), (byte) 0))
                .init("ys", Tensor.scalar(0.2f)).init("yz", Tensor.ofInt8(Shape.scalar(), (byte) 0))
                .init("b", Tensor.ofInts(Shape.of(4), 0, 0, 0, 0))
                .node("q", "QuantizeLinear", List.of("x", "xs", "xz"), List.of("xq"))
                .node("qc", "QLinearConv", List.of("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"), List.of("yq"))
                .node("ci", "ConvInteger", List.of("xq", "w", "xz"), List.of("yi"))
                .node("dq", "DequantizeLinear", List.of("yq", "ys", "yz"), List.of("y"))
                .node("q2", "QuantizeLinear", List.of("x", "xs"), List.of("xq2"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("uint8[N,2,6,6]", typeOf(r, "xq"));
        assertEquals("int8[N,4,4,4]", typeOf(r, "yq"));
        assertEquals("int32[N,4,4,4]", typeOf(r, "yi"));
        assertEquals("float32[N,4,4,4]", typeOf(r, "y"));
        assertEquals("uint8[N,2,6,6]", typeOf(r, "xq2"));
    }

    @Test
    void quantizedMatMulsFollowMatMul() {
        Model m = model().input("a", DType.UINT8, "N", 8).init("b", Tensor.ofInt8(Shape.of(8, 3), new byte[24]))
                .init("s", Tensor.scalar(1f)).init("az", Tensor.ofUint8(Shape.scalar(), (byte) 0))
                .init("bz", Tensor.ofInt8(Shape.scalar(), (byte) 0))
                .node("qm", "QLinearMatMul", List.of("a", "s", "az", "b", "s", "bz", "s", "az"), List.of("y"))
                .node("mi", "MatMulInteger", List.of("a", "b", "az", "bz"), List.of("z"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("uint8[N,3]", typeOf(r, "y"));
        assertEquals("int32[N,3]", typeOf(r, "z"));
    }

    @Test
    void batchNormKeepsTheShapeAndChecksParameterLength() {
        Model ok = model().input("x", F, "N", 3, 4, 4).weights("p", 3)
                .node("bn", "BatchNormalization", List.of("x", "p", "p", "p", "p"), List.of("y")).build();
        assertEquals("float32[N,3,4,4]", typeOf(ShapeInference.infer(ok), "y"));
        Model bad = model().input("x", F, "N", 3, 4, 4).weights("p", 4)
                .node("bn", "BatchNormalization", List.of("x", "p", "p", "p", "p"), List.of("y")).build();
        assertThrows(InvalidInputException.class, () -> ShapeInference.infer(bad));
    }

    @Test
    void unknownInputRankPropagatesAsUnknownWithoutFailing() {
        Model m = model().input("x", F).weights("w", 4, 3, 3, 3)
                .node("conv", "Conv", List.of("x", "w"), List.of("c"))
                .node("pool", "MaxPool", List.of("c"), List.of("p"), Attribute.ofInts("kernel_shape", 2, 2))
                .build();
        Graph g = m.graph();
        Graph noShape = new Graph(g.name(), g.nodes(), List.of(new ValueInfo("x", F, F.onnxCode(), null)),
                g.outputs(), g.initializers(), g.valueInfo());
        Map<String, ValueInfo> r = ShapeInference.infer(m.withGraph(noShape));
        assertEquals("float32[?,4,?,?]", typeOf(r, "c"));
        assertEquals("float32[?,4,?,?]", typeOf(r, "p"));
    }

    @Test
    void resizeMatchesOnnxShapeInferenceExamples() {
        // Cases from ONNX's own shape inference tests: floor(in * scale) in float, and not_smaller's single scale.
        Model scales = model().opset(13).input("x", DType.INT32, 2, 4, 3, 5).init("roi", Tensor.ofFloats(Shape.of(0)))
                .init("scales", Tensor.ofFloats(Shape.of(4), 1.0f, 1.1f, 1.3f, 1.9f))
                .node("rs", "Resize", List.of("x", "roi", "scales"), List.of("y")).build();
        assertEquals("int32[2,4,3,9]", typeOf(ShapeInference.infer(scales), "y"));
        Model notSmaller = model().opset(18).input("x", DType.INT32, 3, 5).ints("sizes", 6, 6)
                .node("rs", "Resize", List.of("x", "", "", "sizes"), List.of("y"),
                        Attribute.ofString("keep_aspect_ratio_policy", "not_smaller")).build();
        assertEquals("int32[6,10]", typeOf(ShapeInference.infer(notSmaller), "y"));
        Model notLarger = model().opset(18).input("x", DType.INT32, 3, 5).ints("sizes", 6, 6)
                .node("rs", "Resize", List.of("x", "", "", "sizes"), List.of("y"),
                        Attribute.ofString("keep_aspect_ratio_policy", "not_larger")).build();
        assertEquals("int32[4,6]", typeOf(ShapeInference.infer(notLarger), "y")); // min(2, 1.2) = 1.2: 3.6 -> 4
    }

    @Test
    void resizeWithNonConstantSizesKeepsRankButNotSizes() {
        Model m = model().opset(13).input("x", F, "N", 3, 4, 4).input("sizes", DType.INT64, 4)
                .node("rs", "Resize", List.of("x", "", "", "sizes"), List.of("y")).build();
        assertEquals("float32[?,?,?,?]", typeOf(ShapeInference.infer(m), "y"));
    }

    private static void assertFailsNamingNode(Node bad) {
        Model m = model().input("x", F, 1, 2, 6, 6).weights("w", 4, 2, 3, 3).ints("two", 2).node(bad).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ShapeInference.infer(m),
                bad.opType() + " " + bad.attributes().keySet());
        assertTrue(e.getMessage().startsWith("node bad (" + bad.opType() + "): "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void hostileAttributesFailWithOneLineNamingTheNode() {
        List<String> x = List.of("x");
        List<String> y = List.of("y");
        assertFailsNamingNode(Node.of("bad", "MaxPool", x, y, Attribute.ofInts("kernel_shape", 0, 0)));
        assertFailsNamingNode(Node.of("bad", "MaxPool", x, y, Attribute.ofInts("kernel_shape", 9, 9)));
        assertFailsNamingNode(Node.of("bad", "MaxPool", x, y, Attribute.ofInts("kernel_shape", 2)));
        assertFailsNamingNode(Node.of("bad", "MaxPool", x, y, Attribute.ofInts("kernel_shape", 2, 2),
                Attribute.ofInts("dilations", Long.MAX_VALUE, 1)));
        assertFailsNamingNode(Node.of("bad", "Conv", List.of("x", "w"), y, Attribute.ofInts("strides", -1, -1)));
        assertFailsNamingNode(Node.of("bad", "Conv", List.of("x", "w"), y, Attribute.ofString("group", "two")));
        assertFailsNamingNode(Node.of("bad", "Conv", List.of("x", "w"), y, Attribute.ofInt("group", 0)));
        assertFailsNamingNode(Node.of("bad", "Transpose", x, y, Attribute.ofInts("perm", 5, 0, 1, 2)));
        assertFailsNamingNode(Node.of("bad", "Transpose", x, y, Attribute.ofInts("perm", 0, 0, 1, 2)));
        assertFailsNamingNode(Node.of("bad", "Gather", List.of("x", "two"), y, Attribute.ofInt("axis", 9)));
        assertFailsNamingNode(Node.of("bad", "Gather", List.of("x", "two"), y, Attribute.ofInt("axis", 1)));
        assertFailsNamingNode(Node.of("bad", "Flatten", x, y, Attribute.ofInt("axis", 7)));
        assertFailsNamingNode(Node.of("bad", "Concat", List.of("x", "w"), y));
        assertFailsNamingNode(Node.of("bad", "Concat", List.of("x", "w"), y, Attribute.ofInt("axis", 1)));
        assertFailsNamingNode(Node.of("bad", "Pad", List.of("x", "two"), y));
        assertFailsNamingNode(Node.of("bad", "Squeeze", List.of("x", "two"), y));
        assertFailsNamingNode(Node.of("bad", "Unsqueeze", x, y, Attribute.ofInts("axes", 1, 1)));
        assertFailsNamingNode(Node.of("bad", "Slice", x, y, Attribute.ofInts("starts", 0),
                Attribute.ofInts("ends", 1, 2)));
        assertFailsNamingNode(Node.of("bad", "Constant", List.of(), y, Attribute.ofString("value", "oops")));
    }

    @Test
    void shapeStartEndAndSliceOfAShape() {
        Model m = model().opset(15).input("x", F, "N", 3, 8, 8).ints("s", 1).ints("e", 3)
                .node("sh", "Shape", List.of("x"), List.of("hw"), Attribute.ofInt("start", -2))
                .node("all", "Shape", List.of("x"), List.of("all"))
                .node("sl", "Slice", List.of("all", "s", "e"), List.of("ch"))
                .node("r", "Reshape", List.of("x", "all"), List.of("same"))
                .build();
        Map<String, ValueInfo> r = ShapeInference.infer(m);
        assertEquals("int64[2]", typeOf(r, "hw"));
        assertEquals("int64[2]", typeOf(r, "ch"));
        assertEquals("float32[N,3,8,8]", typeOf(r, "same"));
    }
}
