package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.formats.QdqModelFormat;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** {@link QdqModelRunner} and {@link QdqLowering} on small QDQ graphs. */
class QdqModelRunnerTest {
    private static final ExecContext CTX = ExecContext.singleThreaded();
    private static final float X_SCALE = 0.02f;
    private static final float Y_SCALE = 0.05f;

    /**
     * x -> Q/DQ -> Conv(W: int8 per channel, B: int32) -> Q/DQ -> Sigmoid -> y (float, no QuantizeLinear after it).
     */
    static Model convSigmoid() {
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("x_scale", Tensor.scalar(X_SCALE));
        init.put("x_zp", Tensor.ofUint8(Shape.of(), (byte) 128));
        init.put("W_q", Tensor.ofInt8(Shape.of(2, 1, 2, 2), (byte) 10, (byte) -20, (byte) 30, (byte) -127,
                (byte) 127, (byte) 5, (byte) 0, (byte) -64));
        init.put("W_scale", Tensor.ofFloats(Shape.of(2), 0.01f, 0.02f));
        init.put("W_zp", Tensor.ofInt8(Shape.of(2), (byte) 0, (byte) 0));
        init.put("B_q", Tensor.ofInts(Shape.of(2), 1000, -2500));
        init.put("B_scale", Tensor.ofFloats(Shape.of(2), X_SCALE * 0.01f, X_SCALE * 0.02f));
        init.put("B_zp", Tensor.ofInts(Shape.of(2), 0, 0));
        init.put("c_scale", Tensor.scalar(Y_SCALE));
        init.put("c_zp", Tensor.ofUint8(Shape.of(), (byte) 100));
        List<Node> nodes = List.of(
                Node.of("qx", "QuantizeLinear", List.of("x", "x_scale", "x_zp"), List.of("x_q")),
                Node.of("dqx", "DequantizeLinear", List.of("x_q", "x_scale", "x_zp"), List.of("x_dq")),
                Node.of("dqw", "DequantizeLinear", List.of("W_q", "W_scale", "W_zp"), List.of("W"),
                        Attribute.ofInt("axis", 0)),
                Node.of("dqb", "DequantizeLinear", List.of("B_q", "B_scale", "B_zp"), List.of("B"),
                        Attribute.ofInt("axis", 0)),
                Node.of("conv", "Conv", List.of("x_dq", "W", "B"), List.of("c"), Attribute.ofInts("pads", 1, 1, 1, 1)),
                Node.of("qc", "QuantizeLinear", List.of("c", "c_scale", "c_zp"), List.of("c_q")),
                Node.of("dqc", "DequantizeLinear", List.of("c_q", "c_scale", "c_zp"), List.of("c_dq")),
                Node.of("sig", "Sigmoid", List.of("c_dq"), List.of("y")));
        Graph g = new Graph("qdq", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 1, 1, 4, 4)),
                List.of(ValueInfo.of("y", DType.FLOAT32, 1, 2, 5, 5)), init, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    private static Tensor randomInput(long seed) {
        Random rnd = new Random(seed);
        float[] f = new float[16];
        for (int i = 0; i < f.length; i++) {
            f[i] = (rnd.nextFloat() * 2 - 1) * 2.5f;
        }
        return Tensor.ofFloats(Shape.of(1, 1, 4, 4), f);
    }

    @Test
    void loweringRemovesThePairsAndKeepsTheFilesParameters() {
        QdqLowering.Lowered l = QdqLowering.lower(convSigmoid());

        assertEquals(List.of("Conv", "Sigmoid"), l.model().graph().nodes().stream().map(Node::opType).toList());
        assertEquals(List.of("x", "W", "B"), l.model().graph().nodes().get(0).inputs());
        CalibrationTable.ActivationEntry x = l.table().activationEntries().get("x");
        assertEquals(X_SCALE, (float) x.scale());
        assertEquals(128, x.zeroPoint());
        assertEquals(100, l.table().activationEntries().get("c").zeroPoint());
        CalibrationTable.WeightEntry w = l.table().weightEntries().get("W");
        assertEquals(0, w.axis());
        assertArrayEquals(new double[] {0.01f, 0.02f}, w.scale());
        // DequantizeLinear's values: float32(q - zp) * s
        assertEquals(-127 * 0.01f, l.model().graph().initializers().get("W").floats()[3]);
        assertEquals(-2500 * (X_SCALE * 0.02f), l.model().graph().initializers().get("B").floats()[1]);
    }

    @Test
    void convRunsInIntegersAndTheFloatOnlySigmoidIsAListedFallback() {
        Model qdq = convSigmoid();
        Tensor x = randomInput(7);
        Tensor literal = new Engine(qdq, org.quantlens.exec.KernelRegistry.standard(), CTX).run(Map.of("x", x)).get("y");
        for (RequantMode mode : RequantMode.values()) {
            QdqModelRunner runner = QdqModelRunner.load(qdq, RuntimeOptions.defaults().withRequantMode(mode), CTX);

            Tensor y = runner.run(Map.of("x", x)).get("y");

            assertEquals(List.of("sig (Sigmoid)"), runner.fallbackNodes());
            QuantizedStep conv = runner.engine().model().steps().get(0);
            assertEquals("Conv", conv.op());
            assertFalse(conv.fallback());
            // one conv output step at most (rounding of acc * s_x * s_w / s_y vs the float sum), through
            // Sigmoid (slope <= 1/4)
            float worst = 0;
            for (int i = 0; i < y.size(); i++) {
                worst = Math.max(worst, Math.abs(y.floats()[i] - literal.floats()[i]));
            }
            assertTrue(worst <= Y_SCALE / 4 + 1e-6f, mode + ": max difference " + worst);
        }
    }

    /** x[N,2,6,6] -> Relu -> AveragePool 2x2 -> GlobalAveragePool -> Flatten -> MatMul W[2,3] -> out. */
    static Model poolsAndMatMul() {
        Map<String, Tensor> init = Map.of("W", Tensor.ofFloats(Shape.of(2, 3), 0.5f, -1f, 0.25f, 2f, 0.75f, -0.5f));
        List<Node> nodes = List.of(
                Node.of("relu", "Relu", List.of("x"), List.of("r")),
                Node.of("ap", "AveragePool", List.of("r"), List.of("ap"), Attribute.ofInts("kernel_shape", 2, 2),
                        Attribute.ofInts("strides", 2, 2)),
                Node.of("gap", "GlobalAveragePool", List.of("ap"), List.of("gap")),
                Node.of("flat", "Flatten", List.of("gap"), List.of("f")),
                Node.of("mm", "MatMul", List.of("f", "W"), List.of("out")));
        Graph g = new Graph("pools", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, -1, 2, 6, 6)),
                List.of(ValueInfo.of("out", DType.FLOAT32, -1, 3)), init, Map.of());
        return new Model(8, Map.of("", 13L), "test", "", g, Map.of());
    }

    @Test
    void exportedPoolsAndMatMulRunInIntegersLikeTheInt8Engine(@TempDir Path dir) {
        sameAsInt8Engine(poolsAndMatMul(), dir, List.of("Relu", "AveragePool", "GlobalAveragePool", "Flatten",
                "MatMul"));
    }

    @Test
    void exportedBranchyModelRunsLikeTheInt8EngineOnTheSameTable(@TempDir Path dir) {
        sameAsInt8Engine(BranchyModel.model(3), dir, List.of("Conv+Clip", "Conv", "Add", "Mul", "Concat", "MaxPool",
                "Reshape"));
    }

    /**
     * Exports {@code fp32} as QDQ with a MinMax table (weights stay float, so both sides quantize them the same way)
     * and runs it through the runner: the same integer steps and bit for bit the same outputs as
     * {@link Int8Engine} on the FP32 model and the table.
     */
    private static void sameAsInt8Engine(Model fp32, Path dir, List<String> steps) {
        Tensor data = BranchyModel.random(new Random(5), Shape.of(8, 2, 6, 6), 1.5f);
        CalibrationTable table = BranchyModel.minMaxTable(fp32, data);
        Path file = dir.resolve("branchy_qdq.onnx");
        QdqModelFormat.write(table, fp32, file);
        Model qdq = OnnxReader.read(file);
        for (RequantMode mode : RequantMode.values()) {
            RuntimeOptions opts = RuntimeOptions.defaults().withRequantMode(mode);
            QdqModelRunner runner = QdqModelRunner.load(qdq, opts, CTX);
            Int8Engine direct = new Int8Engine(QuantizedModelBuilder.build(fp32, table, opts), CTX);

            Tensor ours = runner.run(Map.of("x", data)).get("out");
            Tensor expected = direct.run(Map.of("x", data)).get("out");

            assertEquals(List.of(), runner.fallbackNodes());
            assertEquals(steps, runner.engine().model().steps().stream().map(QuantizedStep::op).toList());
            assertArrayEquals(expected.floats(), ours.floats(), mode.name());
        }
    }
}
