package org.quantlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

class LabelsTest {
    @TempDir
    Path dir;

    private Path npy(Tensor t) {
        Path p = dir.resolve("l.npy");
        Npy.write(t, p);
        return p;
    }

    @Test
    void readsIntegerLabelsAsVectorOrColumn() {
        assertArrayEquals(new long[] {3, 0, 9}, Labels.read(npy(Tensor.ofLongs(Shape.of(3), 3, 0, 9))));
        assertArrayEquals(new long[] {255, 1}, Labels.read(npy(Tensor.ofUint8(Shape.of(2, 1), (byte) 255, (byte) 1))));
    }

    @Test
    void acceptsWholeNumberFloatsButNotFractions() {
        assertArrayEquals(new long[] {2, 7}, Labels.read(npy(Tensor.ofDoubles(Shape.of(2), 2, 7))));
        Path p = npy(Tensor.ofFloats(Shape.of(2), 1, 1.5f));
        String msg = assertThrows(InvalidInputException.class, () -> Labels.read(p)).getMessage();
        assertTrue(msg.startsWith(p + ": label 1.5 at index 1"), msg);
    }

    @Test
    void rejectsMatricesAndBools() {
        Path m = npy(Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 4));
        assertTrue(assertThrows(InvalidInputException.class, () -> Labels.read(m)).getMessage().contains("[2x2]"));
        Path b = npy(Tensor.ofBools(Shape.of(1), true));
        assertThrows(InvalidInputException.class, () -> Labels.read(b));
    }
}
