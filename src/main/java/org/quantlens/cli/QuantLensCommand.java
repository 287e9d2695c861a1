package org.quantlens.cli;

import java.io.PrintWriter;
import org.quantlens.progress.CancellationToken;
import org.quantlens.tensor.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code quantlens}: the top-level command. Exit status (CONTRACTS.md): 0 success; 1 the job ran and failed;
 * 2 bad input or usage, with one line on stderr naming the file and the problem (a stack trace only with --debug).
 */
@Command(name = "quantlens", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = QuantLensCommand.Version.class,
        description = "INT8 post-training quantization: inspect, run, calibrate and check ONNX models.",
        subcommands = {AppCommand.class, InspectCommand.class, RunCommand.class, CalibrateCommand.class, RangeCommand.class, ConformanceCommand.class,
                EvaluateCommand.class, ExportCommand.class, ImportCommand.class,
                CommandLine.HelpCommand.class})
public final class QuantLensCommand implements java.util.concurrent.Callable<Integer> {
    public static final int OK = 0;
    public static final int JOB_FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces for errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No subcommand: the desktop app on the bundled sample. */
    @Override
    public Integer call() {
        return new AppCommand().call();
    }

    /** Parses and runs {@code args}, returning the exit status. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, writing to the given streams (tests capture them). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        QuantLensCommand top = new QuantLensCommand();
        CommandLine cl = new CommandLine(top);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("quantlens: " + firstLine(ex.getMessage()) + " (see: quantlens "
                    + commandPath(ex.getCommandLine()) + "--help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean dbg = top.debug || java.util.Arrays.asList(args).contains("--debug");
            if (dbg) {
                ex.printStackTrace(err);
            }
            if (ex instanceof InvalidInputException) {
                err.println("quantlens: " + firstLine(ex.getMessage()));
                return BAD_INPUT;
            }
            if (ex instanceof CancellationToken.CancelledException) {
                err.println("quantlens: cancelled; nothing was written");
                return 130;
            }
            if (ex instanceof java.nio.file.NoSuchFileException nsf) {
                err.println("quantlens: " + nsf.getFile() + ": no such file");
                return BAD_INPUT;
            }
            if (ex instanceof java.io.IOException io) {
                err.println("quantlens: " + firstLine(String.valueOf(io.getMessage())));
                return BAD_INPUT;
            }
            err.println("quantlens: internal error: " + firstLine(String.valueOf(ex))
                    + (dbg ? "" : " (run again with --debug for details)"));
            return JOB_FAILED;
        });
        return cl.execute(args);
    }

    private static String commandPath(CommandLine cl) {
        String qualified = cl.getCommandSpec().qualifiedName(" ");
        String rest = qualified.startsWith("quantlens") ? qualified.substring("quantlens".length()).trim() : qualified;
        return rest.isEmpty() ? "" : rest + " ";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = QuantLensCommand.class.getPackage().getImplementationVersion();
            return new String[] {"quantlens " + (v == null ? "dev" : v)};
        }
    }
}
