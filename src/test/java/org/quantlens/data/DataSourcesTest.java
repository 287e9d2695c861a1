package org.quantlens.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Npz;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;
import org.quantlens.tensor.TensorProtoFormat;

class DataSourcesTest {
    @TempDir
    Path dir;

    /** [n, 2] float32 with row i = (i, 10 i). */
    private static Tensor rows(int n) {
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            v[2 * i] = i;
            v[2 * i + 1] = 10 * i;
        }
        return Tensor.ofFloats(Shape.of(n, 2), v);
    }

    private static List<Map<String, Tensor>> all(BatchSource s, int batch) {
        List<Map<String, Tensor>> out = new ArrayList<>();
        s.batches(batch).forEachRemaining(out::add);
        return out;
    }

    private Path npy(String name, Tensor t) {
        Path p = dir.resolve(name);
        Npy.write(t, p);
        return p;
    }

    private static String error(Executable e) {
        String msg = assertThrows(InvalidInputException.class, e).getMessage();
        assertFalse(msg.contains("\n"), msg);
        return msg;
    }

    @Test
    void npyIsSplitIntoBatchesWithASmallerLastOne() {
        BatchSource s = DataSources.open(npy("x.npy", rows(5)), DataOptions.forInputs(List.of("data")));
        assertEquals(5, s.sampleCount());
        List<Map<String, Tensor>> b = all(s, 2);
        assertEquals(3, b.size());
        assertEquals(Shape.of(2, 2), b.get(0).get("data").shape());
        assertEquals(Shape.of(1, 2), b.get(2).get("data").shape());
        assertArrayEquals(new float[] {2, 20, 3, 30}, b.get(1).get("data").floats());
        assertArrayEquals(new float[] {4, 40}, b.get(2).get("data").floats());
        assertTrue(s.notes().isEmpty());
        assertEquals(3, all(s, 2).size(), "each call starts a fresh pass");
    }

    @Test
    void limitKeepsTheFirstSamples() {
        BatchSource s = DataSources.open(npy("x.npy", rows(5)), new DataOptions(List.of("in"), null, null, 3));
        assertEquals(3, s.sampleCount());
        List<Map<String, Tensor>> b = all(s, 2);
        assertEquals(2, b.size());
        assertArrayEquals(new float[] {2, 20}, b.get(1).get("in").floats());
    }

    @Test
    void nonFloatArraysAreConvertedWithANote() {
        Path p = npy("d.npy", Tensor.ofDoubles(Shape.of(2, 1), 1.5, -2));
        BatchSource s = DataSources.open(p, DataOptions.forInputs(List.of()));
        Tensor t = all(s, 8).get(0).get("input");
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new float[] {1.5f, -2f}, t.floats());
        assertEquals(List.of(p + ": float64 converted to float32"), s.notes());
        BatchSource u8 = DataSources.open(npy("u.npy", Tensor.ofUint8(Shape.of(1), (byte) 200)), DataOptions.forInputs(List.of()));
        assertEquals(200f, all(u8, 1).get(0).get("input").floats()[0]);
    }

    @Test
    void zeroDimensionalArrayCannotBeABatch() {
        Path p = npy("s.npy", Tensor.scalar(1f));
        assertTrue(error(() -> DataSources.open(p, DataOptions.forInputs(List.of("x")))).startsWith(p + ": "));
    }

    @Test
    void npzUsesTheFirstArrayOrTheNamedOne() {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("first", rows(2));
        arrays.put("second", rows(3));
        Path p = dir.resolve("a.npz");
        Npz.write(arrays, p);
        assertEquals(2, DataSources.open(p, DataOptions.forInputs(List.of("x"))).sampleCount());
        assertEquals(3, DataSources.open(p, new DataOptions(List.of("x"), "second", null, 0)).sampleCount());
        assertTrue(error(() -> DataSources.open(p, new DataOptions(List.of("x"), "third", null, 0)))
                .contains("no array named 'third'"));
    }

    @Test
    void npzFeedsEachInputOfAMultiInputModelByName() {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("b", rows(3));
        arrays.put("a", Tensor.ofFloats(Shape.of(3), 7, 8, 9));
        Path p = dir.resolve("m.npz");
        Npz.write(arrays, p);
        BatchSource s = DataSources.open(p, DataOptions.forInputs(List.of("a", "b")));
        Map<String, Tensor> first = all(s, 2).get(0);
        assertEquals(List.of("a", "b"), List.copyOf(first.keySet()));
        assertArrayEquals(new float[] {7, 8}, first.get("a").floats());
    }

    @Test
    void singleArrayForAMultiInputModelIsAnError() {
        Path p = npy("x.npy", rows(2));
        assertTrue(error(() -> DataSources.open(p, DataOptions.forInputs(List.of("a", "b")))).contains("--input"));
    }

    @Test
    void openMultiPairsInputsInModelOrderAndChecksSampleCounts() {
        Path a = npy("a.npy", rows(4));
        Path b = npy("b.npy", Tensor.ofFloats(Shape.of(4), 1, 2, 3, 4));
        Map<String, Path> given = new LinkedHashMap<>();
        given.put("b", b);
        given.put("a", a);
        BatchSource s = DataSources.openMulti(given, DataOptions.forInputs(List.of("a", "b")));
        assertEquals(4, s.sampleCount());
        Map<String, Tensor> last = all(s, 3).get(1);
        assertEquals(List.of("a", "b"), List.copyOf(last.keySet()));
        assertArrayEquals(new float[] {4}, last.get("b").floats());

        Path c = npy("c.npy", rows(5));
        given.put("b", c);
        String msg = error(() -> DataSources.openMulti(given, DataOptions.forInputs(List.of("a", "b"))));
        assertTrue(msg.contains(c.toString()) && msg.contains(a.toString()), msg);
        given.put("zz", a);
        assertTrue(error(() -> DataSources.openMulti(given, DataOptions.forInputs(List.of("a", "b"))))
                .contains("no input 'zz'"));
        assertTrue(error(() -> DataSources.openMulti(Map.of("a", a), DataOptions.forInputs(List.of("a", "b"))))
                .contains("'b'"));
    }

    @Test
    void pbFileIsReadAsATensorProtoAndKeepsItsDtype() throws IOException {
        Path p = dir.resolve("x.pb");
        Files.write(p, TensorProtoFormat.encode("", Tensor.ofLongs(Shape.of(2), 5, 6)));
        BatchSource s = DataSources.open(p, DataOptions.forInputs(List.of("ids")));
        assertArrayEquals(new long[] {5, 6}, all(s, 2).get(0).get("ids").longs());
    }

    private void pbFile(Path folder, String name, Tensor t) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve(name), TensorProtoFormat.encode("t_" + name, t));
    }

    @Test
    void onnxTestLayoutYieldsEachDataSetAsOneBatchWithInputsInIndexOrder() throws IOException {
        for (int set : new int[] {0, 1, 10}) {
            Path d = dir.resolve("test_data_set_" + set);
            pbFile(d, "input_0.pb", Tensor.ofFloats(Shape.of(1, 1), set));
            pbFile(d, "input_1.pb", Tensor.ofLongs(Shape.of(1), 100 + set));
            pbFile(d, "output_0.pb", Tensor.ofFloats(Shape.of(1), -1));
        }
        Files.writeString(dir.resolve("model.onnx"), "not read here");
        BatchSource s = DataSources.open(dir, DataOptions.forInputs(List.of("x", "y")));
        assertEquals(3, s.sampleCount());
        List<Map<String, Tensor>> b = all(s, 16);
        assertEquals(List.of("x", "y"), List.copyOf(b.get(0).keySet()));
        assertEquals(10f, b.get(2).get("x").floats()[0], "test_data_set_10 sorts after 1 by index");
        assertEquals(101L, b.get(1).get("y").longs()[0]);
        assertEquals(2, DataSources.open(dir, new DataOptions(List.of("x", "y"), null, null, 2)).sampleCount());
        assertTrue(error(() -> DataSources.open(dir, DataOptions.forInputs(List.of("x"))))
                .contains("model has 1 inputs"));
    }

    @Test
    void aSingleDataSetFolderUsesTheNamesInsideThePbFilesWhenTheModelsAreUnknown() throws IOException {
        Path d = dir.resolve("set");
        pbFile(d, "input_0.pb", Tensor.ofFloats(Shape.of(1), 3));
        BatchSource s = DataSources.open(d, DataOptions.forInputs(List.of()));
        assertEquals(List.of("t_input_0.pb"), List.copyOf(all(s, 1).get(0).keySet()));
        pbFile(d, "input_2.pb", Tensor.ofFloats(Shape.of(1), 3));
        assertTrue(error(() -> DataSources.open(d, DataOptions.forInputs(List.of())))
                .contains("input_1.pb is missing"));
    }

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void imageFolderIsReadInFileNameOrderInBatches() throws IOException {
        ImagePreprocessorTest.png(dir, "b.png", solid(4, 4, 0x020000));
        ImagePreprocessorTest.png(dir, "a.png", solid(4, 4, 0x010000));
        ImagePreprocessorTest.png(dir, "c.PNG", solid(6, 6, 0x030000));
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        DataOptions opts = new DataOptions(List.of("img"), null, ImagePreprocessorTest.raw(0, 4), 0);
        BatchSource s = DataSources.open(dir, opts);
        assertEquals(3, s.sampleCount());
        Iterator<Map<String, Tensor>> it = s.batches(2);
        Tensor first = it.next().get("img");
        assertEquals(Shape.of(2, 3, 4, 4), first.shape());
        assertEquals(1f, first.floats()[0]);
        assertEquals(2f, first.floats()[48]);
        Tensor last = it.next().get("img");
        assertEquals(Shape.of(1, 3, 4, 4), last.shape());
        assertEquals(3f, last.floats()[0]);
        assertFalse(it.hasNext());
        assertEquals(2, DataSources.open(dir, new DataOptions(List.of("img"), null, ImagePreprocessorTest.raw(0, 4), 2))
                .sampleCount());
    }

    @Test
    void imagesOfDifferentSizesWithoutACropAreAnErrorNamingTheImage() throws IOException {
        ImagePreprocessorTest.png(dir, "a.png", solid(4, 4, 0));
        Path b = ImagePreprocessorTest.png(dir, "b.png", solid(5, 4, 0));
        BatchSource s = DataSources.open(dir, new DataOptions(List.of(), null, PreprocessSpec.defaults(), 0));
        assertTrue(error(() -> s.batches(2).next()).startsWith(b + ": "));
    }

    @Test
    void imageFolderNeedsAPreprocessingSpecAndAtLeastOneImage() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        DataOptions withSpec = new DataOptions(List.of(), null, PreprocessSpec.defaults(), 0);
        assertTrue(error(() -> DataSources.open(empty, withSpec)).contains("no images"));
        ImagePreprocessorTest.png(empty, "a.png", solid(2, 2, 0));
        assertTrue(error(() -> DataSources.open(empty, DataOptions.forInputs(List.of()))).contains("--preprocess"));
    }

    @Test
    void unknownKindsAndMissingPathsAreErrorsNamingThem() throws IOException {
        Path txt = Files.writeString(dir.resolve("x.csv"), "1,2");
        assertTrue(error(() -> DataSources.open(txt, DataOptions.forInputs(List.of()))).startsWith(txt + ": "));
        Path missing = dir.resolve("missing.npy");
        assertTrue(error(() -> DataSources.open(missing, DataOptions.forInputs(List.of()))).startsWith(missing + ": "));
    }
}
