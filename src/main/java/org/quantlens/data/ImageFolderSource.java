package org.quantlens.data;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * A folder of images, decoded and preprocessed lazily, one batch at a time, in the order given (file-name order).
 * Every image must come out with the same shape (set {@code center_crop} when sizes differ); a mismatch is an
 * InvalidInputException naming the image.
 */
final class ImageFolderSource implements BatchSource {
    private final Path folder;
    private final List<Path> images;
    private final String inputName;
    private final PreprocessSpec spec;

    ImageFolderSource(Path folder, List<Path> images, String inputName, PreprocessSpec spec) {
        this.folder = folder;
        this.images = List.copyOf(images);
        this.inputName = inputName;
        this.spec = spec;
    }

    @Override
    public int sampleCount() {
        return images.size();
    }

    @Override
    public String description() {
        String size = spec.centerCrop() > 0 ? ", " + spec.centerCrop() + "x" + spec.centerCrop()
                : spec.resize() > 0 ? ", shorter side " + spec.resize() : "";
        return folder + " (" + images.size() + " images, " + spec.color() + " " + spec.layout() + size + ")";
    }

    @Override
    public Iterator<Map<String, Tensor>> batches(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        return new Iterator<>() {
            private int next;
            private Shape first;
            private Path firstImage;

            @Override
            public boolean hasNext() {
                return next < images.size();
            }

            @Override
            public Map<String, Tensor> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(images.size(), next + batchSize);
                float[] data = null;
                int[] dims = null;
                for (int i = next; i < end; i++) {
                    Tensor one = ImagePreprocessor.load(images.get(i), spec);
                    checkSameShape(images.get(i), one.shape());
                    if (data == null) {
                        dims = one.shape().dims();
                        data = new float[one.size() * (end - next)];
                    }
                    System.arraycopy(one.floats(), 0, data, (i - next) * one.size(), one.size());
                }
                dims[0] = end - next;
                next = end;
                return Map.of(inputName, Tensor.ofFloats(Shape.of(dims), data));
            }

            private void checkSameShape(Path image, Shape shape) {
                if (first == null) {
                    first = shape;
                    firstImage = image;
                } else if (!first.equals(shape)) {
                    throw InvalidInputException.of(image, "preprocessed to " + shape + " but " + firstImage.getFileName()
                            + " gave " + first + "; set center_crop so every image has the same size");
                }
            }
        };
    }
}
