package dev.idtgen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The idtgen command line. Exit codes: 0 ok, 1 check failed or invalid input, 2 usage error. */
@Command(name = "idtgen", mixinStandardHelpOptions = true, version = "idtgen 0.1.0",
        description = "Generates the Linux x86 IDT entry code from vectors.yaml and verifies it.",
        subcommands = {ValidateCommand.class, GenerateCommand.class, CheckCommand.class, ListCommand.class,
                ImportCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and in-process use). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(t -> 1);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("idtgen: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
