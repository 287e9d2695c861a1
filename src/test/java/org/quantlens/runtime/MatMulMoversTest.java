package org.quantlens.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quantlens.calib.CalibrationTable;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Graph;
import org.quantlens.ir.Model;
import org.quantlens.ir.Node;
import org.quantlens.ir.ValueInfo;
import org.quantlens.progress.CancellationToken;
import org.quantlens.quant.QuantParams;
import org.quantlens.quant.QuantSpec;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** Batched MatMul with a constant B and the data movers (Transpose, Slice, Gather) on 8-bit codes. */
class MatMulMoversTest {

    @Test
    void matMulAndMoversRunInIntegersAndTrackFp32() {
        Random rnd = new Random(8);
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("B", BranchyModel.random(rnd, Shape.of(4, 5), 0.6f));
        init.put("starts", Tensor.ofLongs(Shape.of(1), 1));
        init.put("ends", Tensor.ofLongs(Shape.of(1), 4));
        init.put("axes", Tensor.ofLongs(Shape.of(1), 2));
        init.put("idx", Tensor.ofLongs(Shape.of(2), 2, 0));
        List<Node> nodes = List.of(
                Node.of("mm", "MatMul", List.of("x", "B"), List.of("y")),
                Node.of("tr", "Transpose", List.of("y"), List.of("t"), Attribute.ofInts("perm", 0, 2, 1)),
                Node.of("sl", "Slice", List.of("t", "starts", "ends", "axes"), List.of("s")),
                Node.of("ga", "Gather", List.of("s", "idx"), List.of("out"), Attribute.ofInt("axis", 1)));
        Graph g = new Graph("mm", nodes, List.of(ValueInfo.of("x", DType.FLOAT32, 2, 3, 4)),
                List.of(ValueInfo.of("out", DType.FLOAT32, 2, 2, 3)), init, Map.of());
        Model m = new Model(8, Map.of("", 13L), "test", "", g, Map.of());
        Tensor x = BranchyModel.random(rnd, Shape.of(2, 3, 4), 2f);

        Engine fp32 = new Engine(m, FloatReference.registry(), ExecContext.singleThreaded());
        Map<String, float[]> ranges = new LinkedHashMap<>();
        Tensor ref = fp32.run(Map.of("x", x), (name, v) -> {
            float lo = 0;
            float hi = 0;
            for (float f : v.floats()) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
            ranges.put(name, new float[] {lo, hi});
        }, CancellationToken.none()).get("out");
        Map<String, CalibrationTable.TensorEntry> t = new LinkedHashMap<>();
        ranges.forEach((k, v) -> {
            QuantParams p = QuantParams.onnxRuntime(v[0], v[1], QuantSpec.activationsDefault());
            t.put(k, new CalibrationTable.ActivationEntry("minmax", false, v[0], v[1], p.scale(), p.zeroPoint(), v[0], v[1]));
        });
        CalibrationTable table = new CalibrationTable(null, new CalibrationTable.ActivationSpec("uint8-asymmetric", 8),
                new CalibrationTable.WeightSpec("int8-symmetric", 8, true), t);

        QuantizedModel q = QuantizedModelBuilder.build(m, table, RuntimeOptions.defaults());
        assertEquals(List.of("MatMul", "Transpose", "Slice", "Gather"), q.steps().stream().map(QuantizedStep::op).toList());
        assertEquals(List.of(), q.fallbackNodes());
        assertEquals(q.paramsOf("y"), q.paramsOf("out"), "movers keep the parameters");
        Tensor out = new Int8Engine(q, ExecContext.singleThreaded()).run(Map.of("x", x)).get("out");
        assertEquals(ref.shape(), out.shape());
        SignalComparison c = new SignalComparison();
        c.add(ref.floats(), out.floats());
        assertTrue(c.sqnrDb() > 30, c.sqnrDb() + " dB");
    }
}
