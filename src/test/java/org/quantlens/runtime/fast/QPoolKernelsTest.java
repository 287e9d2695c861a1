package org.quantlens.runtime.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Attribute;
import org.quantlens.ir.Node;
import org.quantlens.quant.QuantParams;
import org.quantlens.runtime.reference.QuantTensors;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/** The fast pools against the reference pools, byte for byte. */
class QPoolKernelsTest {
    private static final ExecContext TWO = ExecContext.withThreads(2);

    @Test
    void randomMaxPoolsMatchTheReferenceByteForByte() {
        RandomCases r = new RandomCases(11);
        for (int i = 0; i < 300; i++) {
            boolean common = i % 3 == 0; // the 2x2 / stride 2 window of LeNet-style nets, with its own loop
            int kh = common ? 2 : r.between(1, 3);
            int kw = common ? 2 : r.between(1, 3);
            List<Attribute> attrs = new ArrayList<>();
            attrs.add(Attribute.ofInts("kernel_shape", kh, kw));
            attrs.add(Attribute.ofInts("strides", common ? 2 : r.between(1, 3), common ? 2 : r.between(1, 3)));
            if (!common) {
                attrs.add(Attribute.ofInts("dilations", r.between(1, 2), r.between(1, 2)));
                attrs.add(Attribute.ofInts("pads", r.between(0, kh - 1), r.between(0, kw - 1), r.between(0, kh - 1),
                        r.between(0, kw - 1)));
            }
            attrs.add(Attribute.ofInt("ceil_mode", r.between(0, 1)));
            Node node = Node.of("p", "MaxPool", List.of("x"), List.of("y"), attrs.toArray(new Attribute[0]));
            QuantParams p = r.activation(r.coin());
            Tensor x = r.codes(Shape.of(r.between(1, 2), r.between(1, 5), r.between(2 * kh + 2, 12),
                    r.between(2 * kw + 2, 12)), p);
            Tensor expected = org.quantlens.runtime.reference.QPoolKernels.maxPool(node, p)
                    .compute(new Tensor[] {x}, ExecContext.singleThreaded())[0];
            for (ExecContext ctx : new ExecContext[] {ExecContext.singleThreaded(), TWO}) {
                Tensor actual = QPoolKernels.maxPool(node, p).compute(new Tensor[] {x}, ctx)[0];
                String label = attrs + " " + x.shape() + " " + p;
                assertEquals(expected.dtype(), actual.dtype(), label);
                assertArrayEquals(expected.shape().dims(), actual.shape().dims(), label);
                assertTrue(expected.contentEquals(actual), label);
            }
        }
    }

    @Test
    void maxPoolOrdersUint8CodesAboveTheirSignedBytes() {
        QuantParams p = new QuantParams(0.1f, 0, 0, 255);
        Node node = Node.of("p", "MaxPool", List.of("x"), List.of("y"), Attribute.ofInts("kernel_shape", 2, 2),
                Attribute.ofInts("strides", 2, 2));
        Tensor x = QuantTensors.fromCodes(new int[] {0, 127, 128, 255}, Shape.of(1, 1, 2, 2), p);
        Tensor y = QPoolKernels.maxPool(node, p).compute(new Tensor[] {x}, ExecContext.singleThreaded())[0];
        assertArrayEquals(new int[] {255}, QuantTensors.codes(y));
    }
}
