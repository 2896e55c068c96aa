package dev.idtgen.cli;

import dev.idtgen.boot.TestResult;
import dev.idtgen.run.SingleKernelBoots;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.boot.KernelOutcome;
import dev.idtgen.boot.Ktap;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boots one built kernel with the programs you name, through the same QEMU line, boot plan "
                + "(qemu-tests/boots.yaml), hang detectors, injection and KTAP parsing as the main job, and prints "
                + "their results: the debugging loop for one vector. The kernel is --kernel-image, or the build of "
                + "--arch/--variant/--profile. Logs go to <work>/boot-cli/. Exit 0 when nothing failed, 1 on a "
                + "failure, 3 when only a hang detector fired."})
final class BootCommand extends KernelCommand.VariantCommand {

    @Option(names = "--kernel-image", paramLabel = "FILE",
            description = "A bzImage inside a kernel build directory (its .config and usr/gen_init_cpio are used).")
    Path image;

    @Option(names = "--tests", paramLabel = "PROG[,PROG...]", split = ",",
            description = "Programs of the initramfs, e.g. traps-64,ksft_sigreturn-32 (default: all).")
    List<String> tests = new ArrayList<>();

    @Option(names = "--crash", paramLabel = "MODE", split = ",",
            description = "Crash boots to run too (crash-bug, crash-df, crash-mce); with neither --tests nor "
                    + "--crash, every program and every crash boot runs.")
    List<String> crashes = new ArrayList<>();

    @Option(names = "--fred", description = "Boot through FRED: on the Bochs of $IDTGEN_BOCHS with fred=on, as "
            + "qemu-tests/bochs.yaml says (a kernel built with CONFIG_X86_FRED=y; x86_64).")
    boolean fred;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        PrintWriter err = err();
        Tables.Checked t = table.read(err);
        if (t == null) {
            return 1;
        }
        return KernelCommand.guarded(err, () -> {
            var ws = k.workspace(table.kernelOrFirst());
            KernelBuilder.Build b;
            if (image != null) {
                Path build = image.toAbsolutePath().normalize().getParent();
                while (build != null && !Files.isRegularFile(build.resolve(".config"))) {
                    build = build.getParent();
                }
                if (build == null || !Files.isRegularFile(image)) {
                    err.println("idtgen: " + image + ": not a bzImage inside a kernel build directory (no .config "
                            + "above it)");
                    return 2;
                }
                b = new KernelBuilder.Build(v.variant, k.arch, k.profile, build, image.toAbsolutePath(),
                        build.resolve("vmlinux"), 0, 0, List.of(), null);
            } else {
                b = new KernelBuilder(ws, out).build(v.variant, k.arch, k.profile, StockTests.forVariant(v.variant, ws,
                        k.generated(table.kernelOrFirst()), out));
            }
            KernelOutcome o;
            try {
                o = SingleKernelBoots.boot(ws, t.table(), System.getenv(),
                        new SingleKernelBoots.Request(b, fred, tests, crashes), out);
            } catch (SingleKernelBoots.Refused e) {
                err.println("idtgen: " + e.getMessage());
                return 2;
            }
            int fail = 0;
            int timeout = 0;
            for (TestResult r : o.results()) {
                if (r.name().startsWith("sysvec_reboot ") && !tests.isEmpty()) {
                    continue;
                }
                String s = switch (r.status()) {
                    case PASS -> "ok     ";
                    case FAIL -> "FAIL   ";
                    case SKIP -> "skip   ";
                    case XFAIL -> "xfail  ";
                    case TIMEOUT -> "TIMEOUT";
                };
                fail += r.status() == Ktap.Status.FAIL ? 1 : 0;
                timeout += r.status() == Ktap.Status.TIMEOUT ? 1 : 0;
                out.printf("%s %-14s %s%s%n", s, r.unit().id(), r.name(), r.status() == Ktap.Status.PASS ? ""
                        : r.reason().isEmpty() ? (r.diagnostics().isEmpty() ? "" : ": "
                        + r.diagnostics().get(r.diagnostics().size() - 1)) : ": " + r.reason());
            }
            out.printf("boot: %d results, %d failed, %d timed out; logs: %s%n", o.results().size(), fail, timeout,
                    o.kernel().dir());
            return fail > 0 ? 1 : timeout > 0 ? 3 : 0;
        });
    }
}
