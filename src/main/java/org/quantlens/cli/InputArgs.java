package org.quantlens.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quantlens.data.BatchSource;
import org.quantlens.data.DataOptions;
import org.quantlens.data.DataSources;
import org.quantlens.tensor.InvalidInputException;

/** Turns {@code --input} values (one {@code PATH}, or {@code NAME=PATH} per model input) into a data source. */
final class InputArgs {
    private InputArgs() {
    }

    static BatchSource open(List<String> args, List<String> modelInputs, DataOptions opts) {
        if (args.size() == 1 && !looksNamed(args.get(0), modelInputs)) {
            return DataSources.open(Path.of(args.get(0)), opts);
        }
        Map<String, Path> named = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--input " + a + ": with several inputs write NAME=PATH (model inputs: "
                        + String.join(", ", modelInputs) + ")");
            }
            String name = a.substring(0, eq);
            if (!modelInputs.contains(name)) {
                throw new InvalidInputException("--input " + a + ": the model has no input '" + name + "' (inputs: "
                        + String.join(", ", modelInputs) + ")");
            }
            named.put(name, Path.of(a.substring(eq + 1)));
        }
        return DataSources.openMulti(named, opts);
    }

    /** "NAME=PATH" where NAME is a model input (a path may itself contain '='). */
    private static boolean looksNamed(String arg, List<String> modelInputs) {
        int eq = arg.indexOf('=');
        return eq > 0 && modelInputs.contains(arg.substring(0, eq));
    }
}
