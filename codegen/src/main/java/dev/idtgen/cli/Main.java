package dev.idtgen.cli;

import dev.idtgen.config.ConfigException;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The idtgen command line. Exit codes: 0 ok, 1 check failed or invalid input, 2 usage error. */
@Command(name = "idtgen", mixinStandardHelpOptions = true, version = "idtgen 0.1.0",
        description = "Generates the Linux x86 IDT entry code from vectors.yaml and verifies it.",
        subcommands = {ValidateCommand.class, GenerateCommand.class, CheckCommand.class, ListCommand.class,
                ImportCommand.class, KernelCommand.class, RunCommand.class, LavaCommand.class, BootCommand.class, ReportCommand.class, BenchCommand.class, AsmCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and in-process use). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /**
     * Runs the command line with its output and diagnostics going to {@code out} and {@code err}
     * (null: picocli's default, System.out and System.err) and returns its exit code.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        // a usage error (unknown option, missing value or subcommand) is 2, anything else 1
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? 2 : 1);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            ConfigException bad = configException(ex);
            if (bad != null) {
                // a malformed input file: file:line:column: rule: message, one problem a line
                bad.problems().forEach(cmd.getErr()::println);
            } else {
                cmd.getErr().println("idtgen: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            }
            cmd.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }

    /** The ConfigException {@code ex} is or was caused by, or null. */
    static ConfigException configException(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
        }
        return null;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
