package dev.idtgen.cli;

import picocli.CommandLine.Mixin;

/**
 * The kernel commands that generate into the kernels they build: the kernel's and the table's options
 * ({@link KernelCommand.KernelTableCommand}) and --templates.
 */
abstract class GeneratingCommand extends KernelCommand.KernelTableCommand {

    @Mixin
    Generation generation;
}
