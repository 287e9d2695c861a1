package org.quantlens.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.NamedTensor;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Npz;
import org.quantlens.tensor.SafeText;
import org.quantlens.tensor.TensorProtoFormat;
import org.quantlens.tensor.Tensor;

/**
 * Opens the inputs of CONTRACTS.md ("Inputs (IN)") as {@link BatchSource}s:
 * <ul>
 *   <li>{@code .npy}: one batch array, first axis N. Non-float32 arrays are converted to float32, with a note.</li>
 *   <li>{@code .npz}: the first array, or {@code npzArrayName}; for a model with several inputs whose names are
 *       all arrays of the archive (and no {@code npzArrayName}), each input takes its namesake. Converted like
 *       .npy.</li>
 *   <li>{@code .pb}: one serialized ONNX TensorProto, first axis N, kept in its own dtype.</li>
 *   <li>a folder in the ONNX test layout ({@code input_*.pb} files, or {@code test_data_set_*}/ subfolders, e.g.
 *       a model folder): see {@link OnnxTestLayoutSource}.</li>
 *   <li>any other folder: images (png, jpg, jpeg, bmp, gif, any case) in file-name order, which needs
 *       {@link DataOptions#preprocess()}.</li>
 * </ul>
 * A single array feeds the model's only input (or "input" when names are unknown); for several inputs use
 * {@link #openMulti}. An array with no axes (0-d) cannot be a batch and is rejected. The limit keeps the first
 * samples. All problems are InvalidInputException naming the file.
 */
public final class DataSources {
    private static final Pattern INPUT_PB = Pattern.compile("input_(\\d+)\\.pb");
    private static final Pattern DATA_SET = Pattern.compile("test_data_set_(\\d+)");
    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private DataSources() {
    }

    /** A source for {@code path} (file or folder), see the class comment. */
    public static BatchSource open(Path path, DataOptions opts) {
        if (Files.isDirectory(path)) {
            return openFolder(path, opts);
        }
        if (!Files.exists(path)) {
            throw InvalidInputException.of(path, "no such file or folder");
        }
        String ext = extension(path);
        if (ext.equals("npz") && opts.inputNames().size() > 1 && opts.npzArrayName() == null) {
            LinkedHashMap<String, Tensor> arrays = Npz.read(path);
            if (arrays.keySet().containsAll(opts.inputNames())) {
                Map<String, Path> byName = new LinkedHashMap<>();
                opts.inputNames().forEach(n -> byName.put(n, path));
                return openMulti(byName, opts);
            }
        }
        if (!List.of("npy", "npz", "pb").contains(ext)) {
            throw InvalidInputException.of(path, "unknown kind of input: expected .npy, .npz, .pb, a folder of images "
                    + "or a folder in the ONNX test layout");
        }
        if (opts.inputNames().size() > 1) {
            throw InvalidInputException.of(path, "the model has " + opts.inputNames().size() + " inputs ("
                    + String.join(", ", opts.inputNames()) + "): give one file per input with --input NAME=PATH");
        }
        List<String> notes = new ArrayList<>();
        NamedTensor array = loadArray(path, null, opts, notes, new HashMap<>());
        String name = !opts.inputNames().isEmpty() ? opts.inputNames().get(0) : "input";
        LinkedHashMap<String, Tensor> map = new LinkedHashMap<>();
        map.put(name, array.tensor());
        int n = opts.cap(array.tensor().shape().dim(0));
        return new TensorBatchSource(map, n, path + " (" + array.tensor().dtype().displayName()
                + array.tensor().shape() + ", " + n + " samples)", notes);
    }

    /** {@code --input NAME=PATH} for each model input; every path a .npy, .npz or .pb with the same sample count. */
    public static BatchSource openMulti(Map<String, Path> inputs, DataOptions opts) {
        if (inputs.isEmpty()) {
            throw new InvalidInputException("no --input NAME=PATH given");
        }
        List<String> order = new ArrayList<>(opts.inputNames());
        for (String name : inputs.keySet()) {
            if (!order.isEmpty() && !order.contains(name)) {
                throw InvalidInputException.of(inputs.get(name), "--input " + name + ": the model has no input '" + name
                        + "' (inputs: " + String.join(", ", opts.inputNames()) + ")");
            }
        }
        if (order.isEmpty()) {
            order.addAll(inputs.keySet());
        }
        List<String> notes = new ArrayList<>();
        Map<Path, LinkedHashMap<String, Tensor>> archives = new HashMap<>(); // one .npz may feed several inputs
        LinkedHashMap<String, Tensor> map = new LinkedHashMap<>();
        String firstName = null;
        for (String name : order) {
            Path p = inputs.get(name);
            if (p == null) {
                throw new InvalidInputException("no --input given for model input '" + name + "'");
            }
            Tensor t = loadArray(p, name, opts, notes, archives).tensor();
            if (firstName != null && t.shape().dim(0) != map.get(firstName).shape().dim(0)) {
                throw InvalidInputException.of(p, "input '" + name + "' has " + t.shape().dim(0) + " samples but input '"
                        + firstName + "' (" + inputs.get(firstName) + ") has " + map.get(firstName).shape().dim(0));
            }
            firstName = firstName == null ? name : firstName;
            map.put(name, t);
        }
        int n = opts.cap(map.get(firstName).shape().dim(0));
        return new TensorBatchSource(map, n, map.size() + " inputs (" + n + " samples)", notes);
    }

    /**
     * One array from a .npy, .npz or .pb file, rank >= 1. From an .npz: the array named {@code preferred} if
     * present, else {@code opts.npzArrayName()}, else the first. .npy/.npz arrays are converted to float32.
     */
    private static NamedTensor loadArray(Path path, String preferred, DataOptions opts, List<String> notes,
                                         Map<Path, LinkedHashMap<String, Tensor>> archives) {
        String ext = extension(path);
        NamedTensor loaded = switch (ext) {
            case "npy" -> new NamedTensor("", Npy.read(path));
            case "npz" -> pickFromNpz(path, archives.computeIfAbsent(path, Npz::read), preferred,
                    opts.npzArrayName());
            case "pb" -> TensorProtoFormat.readFile(path);
            default -> throw InvalidInputException.of(path, "expected a .npy, .npz or .pb file");
        };
        Tensor t = loaded.tensor();
        String label = loaded.name().isEmpty() ? path.toString() : path + "[" + SafeText.printable(loaded.name()) + "]";
        if (t.rank() == 0) {
            throw InvalidInputException.of(label, "a batch needs a first (sample) axis, got a 0-d array");
        }
        if (!ext.equals("pb") && t.dtype() != DType.FLOAT32) {
            notes.add(label + ": " + t.dtype().displayName() + " converted to float32");
            t = t.toFloat32();
        }
        return new NamedTensor(loaded.name(), t);
    }

    private static NamedTensor pickFromNpz(Path path, LinkedHashMap<String, Tensor> arrays, String preferred,
                                           String requested) {
        if (preferred != null && arrays.containsKey(preferred)) {
            return new NamedTensor(preferred, arrays.get(preferred));
        }
        if (requested != null) {
            if (!arrays.containsKey(requested)) {
                throw InvalidInputException.of(path, "no array named '" + requested + "' (arrays: "
                        + SafeText.printable(String.join(", ", arrays.keySet()), 200) + ")");
            }
            return new NamedTensor(requested, arrays.get(requested));
        }
        Map.Entry<String, Tensor> first = arrays.entrySet().iterator().next();
        return new NamedTensor(first.getKey(), first.getValue());
    }

    private static BatchSource openFolder(Path folder, DataOptions opts) {
        List<Path> entries = list(folder);
        List<Path> inputFiles = inputFiles(entries);
        if (!inputFiles.isEmpty()) {
            return onnxLayout(folder, List.of(inputFiles), opts);
        }
        TreeMap<Integer, Path> sets = new TreeMap<>();
        for (Path p : entries) {
            Matcher m = DATA_SET.matcher(p.getFileName().toString());
            if (Files.isDirectory(p) && m.matches()) {
                sets.put(index(m, p), p);
            }
        }
        if (!sets.isEmpty()) {
            List<List<Path>> dataSets = new ArrayList<>();
            for (Path set : sets.values()) {
                List<Path> files = inputFiles(list(set));
                if (files.isEmpty()) {
                    throw InvalidInputException.of(set, "data set has no input_*.pb files");
                }
                dataSets.add(files);
            }
            return onnxLayout(folder, dataSets, opts);
        }
        return imageFolder(folder, entries, opts);
    }

    private static BatchSource onnxLayout(Path root, List<List<Path>> dataSets, DataOptions opts) {
        int expected = opts.inputNames().size();
        for (List<Path> files : dataSets) {
            if (expected > 0 && files.size() != expected) {
                throw InvalidInputException.of(files.get(0).getParent(), "has " + files.size()
                        + " input_*.pb files but the model has " + expected + " inputs ("
                        + String.join(", ", opts.inputNames()) + ")");
            }
        }
        return new OnnxTestLayoutSource(root, dataSets.subList(0, opts.cap(dataSets.size())), opts.inputNames());
    }

    private static BatchSource imageFolder(Path folder, List<Path> entries, DataOptions opts) {
        if (opts.preprocess() == null) {
            throw InvalidInputException.of(folder, "a folder of images needs a preprocessing spec (--preprocess P.json)");
        }
        if (opts.inputNames().size() > 1) {
            throw InvalidInputException.of(folder, "images can feed only a single-input model; this one has "
                    + opts.inputNames().size() + " inputs (" + String.join(", ", opts.inputNames()) + ")");
        }
        List<Path> images = entries.stream()
                .filter(p -> Files.isRegularFile(p) && IMAGE_EXTENSIONS.contains(extension(p)))
                .toList();
        if (images.isEmpty()) {
            throw InvalidInputException.of(folder, "no images (PNG, JPEG, BMP, GIF), input_*.pb files or "
                    + "test_data_set_* folders found");
        }
        String name = opts.inputNames().isEmpty() ? "input" : opts.inputNames().get(0);
        return new ImageFolderSource(folder, images.subList(0, opts.cap(images.size())), name, opts.preprocess());
    }

    /** The input_*.pb files among {@code entries} in index order; indices must run 0, 1, 2, ... */
    private static List<Path> inputFiles(List<Path> entries) {
        TreeMap<Integer, Path> byIndex = new TreeMap<>();
        for (Path p : entries) {
            Matcher m = INPUT_PB.matcher(p.getFileName().toString());
            if (m.matches() && Files.isRegularFile(p)) {
                byIndex.put(index(m, p), p);
            }
        }
        int expect = 0;
        for (Map.Entry<Integer, Path> e : byIndex.entrySet()) {
            if (e.getKey() != expect) {
                throw InvalidInputException.of(e.getValue().getParent(), "input_" + expect + ".pb is missing");
            }
            expect++;
        }
        return List.copyOf(byIndex.values());
    }

    private static int index(Matcher m, Path p) {
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(p, "index is too large");
        }
    }

    /** The folder's entries sorted by file name. */
    private static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw InvalidInputException.of(folder, "cannot list folder: " + e.getMessage());
        }
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
