package org.quantlens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.quantlens.calib.CalibrationTable.ModelRef;
import org.quantlens.tensor.InvalidInputException;

/** The model reference a calibration table carries (CONTRACTS.md: {@code "model": {"file", "sha256"}}). */
final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * The file name of {@code model} (no folders, so the table stays valid when the pair is moved) and the lowercase
     * hex SHA-256 of its bytes, as {@code sha256sum} prints it.
     */
    static ModelRef reference(Path model) {
        return new ModelRef(model.getFileName().toString(), sha256(model));
    }

    /** Lowercase hex SHA-256 of the file's bytes; a missing or unreadable file is bad input naming it. */
    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            throw InvalidInputException.of(file, "no such file");
        } catch (IOException e) {
            throw InvalidInputException.of(file, "cannot read: " + e.getMessage());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A note (through {@code note}) when table {@code tablePath} records a model SHA-256 other than that of
     * {@code model}: the names may still match (a re-saved model) or match by accident (another model with the same
     * exporter's names), so the user should know. Nothing when the table records no SHA-256.
     */
    static void noteIfOtherModel(Path tablePath, ModelRef recorded, Path model, java.util.function.Consumer<String> note) {
        if (recorded.sha256().isEmpty()) {
            return;
        }
        String actual = sha256(model);
        if (!actual.equalsIgnoreCase(recorded.sha256())) {
            note.accept(tablePath + " was made for " + (recorded.file().isEmpty() ? "another model" : recorded.file())
                    + " (sha256 " + recorded.sha256() + "), not for " + model.getFileName() + " (sha256 " + actual + ")");
        }
    }
}
