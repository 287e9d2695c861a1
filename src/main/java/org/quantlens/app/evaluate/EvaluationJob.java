package org.quantlens.app.evaluate;

import java.nio.file.Path;
import java.util.List;
import org.quantlens.data.Labels;
import org.quantlens.exec.Engine;
import org.quantlens.exec.ExecContext;
import org.quantlens.ir.Model;
import org.quantlens.onnx.OnnxReader;
import org.quantlens.progress.CancellationToken;
import org.quantlens.progress.ProgressMonitor;
import org.quantlens.runtime.EvaluationReport;
import org.quantlens.runtime.Evaluator;
import org.quantlens.runtime.Int8Engine;
import org.quantlens.runtime.QuantizedModelBuilder;
import org.quantlens.runtime.RuntimeOptions;
import org.quantlens.tensor.DType;
import org.quantlens.tensor.InvalidInputException;
import org.quantlens.tensor.Npy;
import org.quantlens.tensor.Shape;
import org.quantlens.tensor.Tensor;

/**
 * The core work behind the evaluation panel, synchronous: read the model, resolve the table
 * ({@link TableSource}), build the INT8 model (fixed-point requantization, per-channel weights, BatchNormalization
 * folded: {@link RuntimeOptions#defaults()}), read the evaluation batch (.npy, converted to float32) and optional
 * labels, and run {@link Evaluator} in batches of {@link #BATCH}.
 */
public final class EvaluationJob {
    /** Samples per engine call. */
    public static final int BATCH = 64;

    private EvaluationJob() {
    }

    /**
     * What an evaluation produced.
     *
     * @param report   the evaluator's report
     * @param table    which table was evaluated
     * @param warnings the table's warnings
     */
    public record Result(EvaluationReport report, String table, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /** Evaluates {@code model} quantized with {@code tables} on {@code data} (labels may be null). */
    public static Result run(Path model, TableSource tables, Path data, Path labels, CancellationToken token,
                             ProgressMonitor progress) {
        progress.progress(0, 1, "reading " + model.getFileName());
        Model m = OnnxReader.read(model);
        TableSource.Resolved table = tables.resolve(m, model, token, progress);
        token.throwIfCancelled();
        progress.progress(0, 1, "building the INT8 model");
        Int8Engine int8 = new Int8Engine(QuantizedModelBuilder.build(m, table.table(), RuntimeOptions.defaults()),
                ExecContext.defaultContext());
        Tensor x = Npy.read(data);
        if (x.dtype() != DType.FLOAT32) {
            x = x.toFloat32();
        }
        if (x.rank() == 0) {
            throw InvalidInputException.of(data, "needs a batch [N, ...], got a scalar");
        }
        Tensor y = null;
        if (labels != null) {
            long[] l = Labels.read(labels);
            if (l.length != x.shape().dim(0)) {
                throw InvalidInputException.of(labels, l.length + " labels for " + x.shape().dim(0) + " samples in "
                        + data.getFileName());
            }
            y = Tensor.ofLongs(Shape.of(l.length), l);
        }
        EvaluationReport r = Evaluator.evaluate(Engine.load(m), int8, x, y, BATCH, token, progress);
        return new Result(r, table.origin(), table.warnings());
    }
}
