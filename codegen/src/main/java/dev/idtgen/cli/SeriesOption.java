package dev.idtgen.cli;

import picocli.CommandLine.Option;

/** --kernel: the kernel series a command works on (6.1, 6.12); every command takes it. */
final class SeriesOption {

    @Option(names = "--kernel", paramLabel = "SERIES",
            description = "The kernel series (6.1, 6.12: a kernel of the table's `kernels`); the Debian point "
                    + "release is detected. Default: every kernel of the table for the commands that cover "
                    + "several, otherwise the table's first.")
    String kernel;
}
