package org.quantlens.app.main;

import java.nio.file.Path;

/**
 * What the command line asks the app to open.
 *
 * @param model       the ONNX model (never null: the CLI substitutes the sample)
 * @param data        calibration data to profile activations with, or null
 * @param preprocess  preprocessing spec for an image folder, or null
 * @param snapshotDir when set, render the views to PNG files there and exit
 */
public record AppOptions(Path model, Path data, Path preprocess, Path snapshotDir) {
}
