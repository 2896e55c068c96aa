package dev.idtgen.cli;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.BootRecord;
import dev.idtgen.boot.BootSuite;
import dev.idtgen.boot.Ktap;
import dev.idtgen.boot.Scheduler;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boots one built kernel with the programs you name, through the same QEMU line, boot plan "
                + "(qemu-tests/boots.yaml), hang detectors, injection and KTAP parsing as the main job, and prints "
                + "their results: the debugging loop for one vector. The kernel is --kernel-image, or the build of "
                + "--arch/--variant/--profile. Logs go to <work>/boot-cli/. Exit 0 when nothing failed, 1 on a "
                + "failure, 3 when only a hang detector fired."})
final class BootCommand implements Callable<Integer> {

    @Mixin
    KernelOptions k;

    @Mixin
    KernelOptions.VariantOption v;

    @Mixin
    TableOption table;

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
                b = new KernelBuilder(ws, out).build(v.variant, k.arch, k.profile, k.generated(table.kernelOrFirst()));
            }
            BootSuite suite = new BootSuite(ws, t.table(), BootPlan.load(ws.project().resolve(MainJob.PLAN)), out);
            Path guests = suite.guests();
            Path dir = ws.perKernel("boot-cli").resolve(k.arch.yamlName() + "-" + k.profile.cliName() + "-"
                    + v.variant.cliName() + (fred ? "-fred" : ""));
            BootSuite.Kernel kernel;
            if (fred) {
                BochsPlan plan = BochsPlan.load(ws.project().resolve(BochsPlan.FILE));
                var unavailable = plan.unavailable(System.getenv());
                if (unavailable.isPresent()) {
                    err.println("idtgen: " + unavailable.get());
                    return 2;
                }
                kernel = suite.with(plan.backend(plan.home(System.getenv()))).fredKernel(b, guests, dir);
            } else {
                kernel = suite.kernel(b, guests, dir);
            }
            List<String> all = kernel.programs();
            List<String> unknown = tests.stream().filter(x -> !all.contains(x)).toList();
            if (!unknown.isEmpty()) {
                err.println("idtgen: not in the initramfs: " + unknown + "; programs: " + String.join(",", all));
                return 2;
            }
            List<BootSuite.Job> jobs = new ArrayList<>();
            if (tests.isEmpty() && crashes.isEmpty()) {
                jobs.addAll(suite.allJobs(kernel));
            } else {
                jobs.addAll(suite.jobs(kernel, tests));
                for (String c : crashes) {
                    var crash = suite.plan(kernel).crashes().stream().filter(x -> x.mode().equals(c)
                            && x.arches().contains(k.arch)).findFirst();
                    if (crash.isEmpty()) {
                        err.println("idtgen: no crash boot " + c + " for " + k.arch.yamlName()
                                + " in " + (fred ? BochsPlan.FILE : MainJob.PLAN));
                        return 2;
                    }
                    jobs.add(suite.crashJob(kernel, crash.get(), 0));
                }
            }
            Scheduler.forHost().run(jobs, suite::execute);
            List<BootRecord> records = BootSuite.records(kernel);
            BootSuite.Outcome o = suite.outcome(kernel, records);
            int fail = 0;
            int timeout = 0;
            for (Ktap.Result r : o.results()) {
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
                out.printf("%s %-14s %s%s%n", s, r.program(), r.name(), r.status() == Ktap.Status.PASS ? ""
                        : r.reason().isEmpty() ? (r.diagnostics().isEmpty() ? "" : ": "
                        + r.diagnostics().get(r.diagnostics().size() - 1)) : ": " + r.reason());
            }
            out.printf("boot: %d results, %d failed, %d timed out; logs: %s%n", o.results().size(), fail, timeout,
                    kernel.dir());
            return fail > 0 ? 1 : timeout > 0 ? 3 : 0;
        });
    }
}
