package dev.idtgen.cli;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.proc.Step;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Prepares, builds and compares the kernels of each series (--kernel 6.1, 6.12), stock and generated.",
        subcommands = {KernelCommand.Prepare.class, KernelCommand.Build.class, CompareCommand.class})
final class KernelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (prepare, build, compare)");
    }

    /** Runs a kernel step, turning a failed step into its message and exit code 1. */
    static int guarded(PrintWriter err, StepBody body) throws IOException, InterruptedException {
        try {
            return body.run();
        } catch (Step.Failed e) {
            err.println("idtgen: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    interface StepBody {
        int run() throws IOException, InterruptedException, Step.Failed;
    }

    /** What a step on the work tree does with the builder of --kernel's work directory. */
    interface BuilderStep {
        int run(KernelBuilder builder, Path generated, PrintWriter out)
                throws IOException, InterruptedException, Step.Failed;
    }

    /** The options of the kernel commands: the kernel (--arch, --profile, --work, ...) and the table. */
    abstract static class KernelTableCommand implements Callable<Integer> {
        @Mixin
        KernelOptions k;

        @Mixin
        TableOption table;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /**
         * Runs {@code step} (guarded) with a builder of the work directory of --kernel (or the table's first
         * kernel) and that kernel's generated files.
         */
        int withBuilder(BuilderStep step) throws IOException, InterruptedException {
            PrintWriter out = out();
            return guarded(err(), () -> step.run(
                    new KernelBuilder(k.workspace(table.kernelOrFirst()), out), k.generated(table.kernelOrFirst()),
                    out));
        }
    }

    /** The kernel commands that work on one variant's tree (--variant). */
    abstract static class VariantCommand extends KernelTableCommand {
        @Mixin
        KernelOptions.VariantOption v;
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = {"Installs the kernel's Debian source package when missing (kernel-patch/KERNEL/kernel.yaml), "
                    + "extracts it once, applies kernel-patch/KERNEL/series and copies generated/KERNEL (variant "
                    + "generated), and makes the profile's .config."})
    static final class Prepare extends VariantCommand {
        @Override
        public Integer call() throws IOException, InterruptedException {
            return withBuilder((builder, generated, out) -> {
                var src = builder.prepare(v.variant, k.arch, k.profile, StockTests.forVariant(v.variant,
                        builder.workspace(), generated, out));
                out.println(src.toAbsolutePath());
                return 0;
            });
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Prepares, then builds bzImage with kbuild (all cores, ccache). Prints the absolute path of "
                    + "the bzImage as its last line."})
    static final class Build extends VariantCommand {
        @Override
        public Integer call() throws IOException, InterruptedException {
            return withBuilder((builder, generated, out) -> {
                KernelBuilder.Build b = builder.build(v.variant, k.arch, k.profile, StockTests.forVariant(v.variant,
                        builder.workspace(), generated, out));
                out.printf("kernel: built in %.1f s, %d objects compiled, %d objtool warnings%n", b.seconds(),
                        b.compiled(), b.objtoolWarnings().size());
                b.objtoolWarnings().forEach(out::println);
                out.println(b.bzImage().toAbsolutePath());
                return 0;
            });
        }
    }
}
