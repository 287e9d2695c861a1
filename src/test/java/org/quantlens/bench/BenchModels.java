package org.quantlens.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.Batching;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The FP32 benchmarks' models and inputs: "mobilenetv2" is {@link MobileNetV2Model} (seed 42) on one 224x224 image
 * of uniform [-1, 1) values (seed 7); any other name is a reference model of ../shared/reference (or the folder in
 * the {@code quantlens.shared} property) on the first 64 rows of its test.npy.
 */
record BenchModels(Model model, Tensor input) {
    static BenchModels load(String name) throws IOException {
        if (name.equals("mobilenetv2")) {
            float[] x = new float[3 * 224 * 224];
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            return new BenchModels(MobileNetV2Model.build(42), Tensor.ofFloats(Shape.of(1, 3, 224, 224), x));
        }
        Path dir = Path.of(System.getProperty("quantlens.shared", "../shared"), "reference", name);
        return new BenchModels(OnnxReader.read(dir.resolve("model.onnx")),
                Batching.slice(Npy.read(dir.resolve("test.npy")), 0, 64));
    }
}
