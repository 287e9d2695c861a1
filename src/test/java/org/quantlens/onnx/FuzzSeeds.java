package org.quantlens.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.quantlens.ir.Model;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;
import org.quantlens.tensor.WireBytes;

/**
 * Writes the committed Jazzer seed corpora (small valid inputs built here, nothing copied from ../shared).
 * Run from the project root: {@code java -cp target/test-classes:target/classes:<protobuf jar> org.quantlens.onnx.FuzzSeeds}.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path res = Path.of("src/test/resources/org/quantlens");
        Map<String, byte[]> models = new LinkedHashMap<>();
        models.put("relu", OnnxWriter.toBytes(TestModels.relu()));
        models.put("conv_initializers", OnnxWriter.toBytes(TestModels.convWithInitializers()));
        models.put("every_attribute_kind", OnnxWriter.toBytes(TestModels.everyAttributeKind()));
        Model conv = TestModels.convWithInitializers();
        models.put("ir3_opset8", OnnxWriter.toBytes(new Model(3, Map.of("", 8L), "", "", conv.graph(), Map.of())));
        write(res.resolve("onnx/OnnxReaderFuzzTestInputs/readsOrRejects"), models);

        Map<String, byte[]> tensors = new LinkedHashMap<>();
        tensors.put("float_raw", TensorProtoFormat.encode("x", Tensor.ofFloats(Shape.of(2, 2), 1, -2, 3.5f, 0)));
        tensors.put("int64_raw", TensorProtoFormat.encode("shape", Tensor.ofLongs(Shape.of(3), 1, -1, 4)));
        tensors.put("bool_scalar", TensorProtoFormat.encode("", Tensor.ofBools(Shape.scalar(), true)));
        tensors.put("float16_raw", TensorProtoFormat.encode("h", Tensor.of(DType.FLOAT16, Shape.of(1), new short[] {0x3c00})));
        tensors.put("float_data_packed", WireBytes.of().bytes(1, new byte[] {2}).varint(2, 1)
                .bytes(4, new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}).build());
        tensors.put("int32_data_uint8", WireBytes.of().varint(1, 2).varint(2, 2).varint(5, 200).varint(5, 7).build());
        tensors.put("int64_data", WireBytes.of().varint(1, 1).varint(2, 7).varint(7, -5).build());
        tensors.put("external", WireBytes.of().varint(1, 1).varint(2, 1).varint(14, 1)
                .message(13, WireBytes.of().string(1, "location").string(2, "w.bin")).build());
        write(res.resolve("tensor/TensorProtoFuzzTestInputs/decodesOrRejects"), tensors);
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
