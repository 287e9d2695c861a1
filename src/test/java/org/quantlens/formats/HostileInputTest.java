package org.quantlens.formats;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quantlens.tensor.InvalidInputException;

/** Every reader fails on garbage with InvalidInputException only (no other exception escapes). */
class HostileInputTest {
    @TempDir
    Path dir;

    @Test
    void randomAndMutatedFilesFailOnlyWithInvalidInput() throws IOException {
        List<String> seeds = List.of(QuantLensJsonFormatTest.CONTRACT_EXAMPLE,
                "TRT-8601-EntropyCalibration2\ninput: 3ca3d70a\nconv1/out:0: 3d4ccccd\n",
                "conv1_param_0 254.000000 63.500000 \nconv1 50.000000 \nfc_out 20 \n",
                "{\"CLS\": \"TensorsData\", \"data\": {\"x\": {\"lowest\": {\"data\": [-0.75]}, \"highest\": [1.75]}}}");
        Random r = new Random(42);
        Path f = dir.resolve("in");
        for (int round = 0; round < 400; round++) {
            byte[] b = seeds.get(round % seeds.size()).getBytes(StandardCharsets.UTF_8);
            if (round % 5 == 0) {
                b = new byte[r.nextInt(64)];
                r.nextBytes(b);
            } else {
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    b[r.nextInt(b.length)] = (byte) " :{}[]\",.-e0x9\n".charAt(r.nextInt(15));
                }
            }
            Files.write(f, b);
            for (TableFormat fmt : List.of(TableFormat.QUANTLENS_JSON, TableFormat.TENSORRT, TableFormat.NCNN, TableFormat.ONNXRUNTIME)) {
                try {
                    TableFormats.read(f, fmt, NcnnTableFormatTest.model());
                } catch (InvalidInputException expected) {
                    // the only acceptable failure
                } catch (RuntimeException e) {
                    fail(fmt.cliName() + " threw " + e + " on round " + round + ": " + new String(b, StandardCharsets.UTF_8));
                }
            }
        }
    }
}
