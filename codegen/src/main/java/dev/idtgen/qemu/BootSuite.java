package dev.idtgen.qemu;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.KernelConfigurator;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The boot tests of one built kernel: builds the guest programs
 * (qemu-tests/) and an initramfs whose expectations come from the table and
 * the kernel's .config, boots it once normally (every guest test, NMI and
 * #MC injected when the guest asks) and once per crash mode, and turns
 * everything into test results named after the table's handlers.
 */
public final class BootSuite {

    /** Monitor commands for the guest's inject requests (see qemu-tests/README.md). */
    static final Map<String, String> INJECT = Map.of(
            "nmi", "nmi",
            // an "action optional" memory-scrubbing error (VAL|UC|EN|S) with RIPV|MCIP|LMCES on one CPU:
            // the #MC vector, and a kernel that logs it and survives (needs an Intel vendor or +mca)
            "mce", "mce 0 1 0xb1000000000000c0 0xd 0 0",
            // processor context corrupt: fatal on purpose, for the crash-mce boot
            "mce-fatal", "mce 0 1 0xb200000000000000 0xd 0 0");

    /**
     * A boot that expects the kernel to crash, and what the console must then say; when the console says
     * {@code skipWhen} instead, the emulator could not raise it and the test is skipped with the reason.
     */
    record Crash(String mode, String test, Set<Arch> arches, List<Pattern> expect, Pattern skipWhen,
                 String skipReason) {
        Crash(String mode, String test, Set<Arch> arches, List<Pattern> expect) {
            this(mode, test, arches, expect, null, "");
        }
    }

    static final List<Crash> CRASHES = List.of(
            new Crash("crash-bug", "exc_invalid_op bug_oops", Set.of(Arch.X86_64, Arch.I386),
                    List.of(Pattern.compile("(?i)kernel BUG at"), Pattern.compile("invalid opcode"))),
            // x86_64: recursion into the guard page of the vmapped stack, #DF on its IST stack
            new Crash("crash-df", "exc_double_fault stack_overflow", Set.of(Arch.X86_64),
                    List.of(Pattern.compile("stack guard page was hit"), Pattern.compile("Kernel panic"))),
            // i386: LKDTM DOUBLE_FAULT, #DF through the task gate
            new Crash("crash-df", "exc_double_fault task_gate", Set.of(Arch.I386),
                    List.of(Pattern.compile("PANIC: double fault"), Pattern.compile("Kernel panic")),
                    Pattern.compile("tried to double fault but didn't die"),
                    "LKDTM DOUBLE_FAULT (a zero-limit %ss) does not double-fault under QEMU TCG, which does not "
                            + "check the stack segment's limit: lkdtm reports \"tried to double fault but didn't die\""),
            new Crash("crash-mce", "exc_machine_check fatal_mce", Set.of(Arch.X86_64, Arch.I386),
                    List.of(Pattern.compile("Machine check: Processor context corrupt"),
                            Pattern.compile("Kernel panic - not syncing: Fatal local machine check"))));

    /** Everything one kernel's boots produced. */
    public record Outcome(Arch arch, Variant variant, List<Ktap.Result> results, Set<String> compiledIn,
                          List<QemuRunner.Boot> boots) {
        public List<Ktap.Result> named(String prefix) {
            return results.stream().filter(r -> r.name().startsWith(prefix)).toList();
        }
    }

    private final Workspace ws;
    private final VectorTable table;
    private final PrintWriter out;

    public BootSuite(Workspace ws, VectorTable table, PrintWriter out) {
        this.ws = ws;
        this.table = table;
        this.out = out;
    }

    /** Selftest programs are run by /init like the others, under this prefix. */
    public static final String SELFTEST = "ksft_";

    /**
     * Builds the guest programs (both arches) and the kernel's own
     * tools/testing/selftests/x86 (static, 64- and 32-bit, from the stock
     * tree), which join them as ksft_NAME; make keeps both incremental.
     */
    public Path guests() throws IOException, InterruptedException, Step.Failed {
        Path dir = ws.root().resolve("guest");
        Path ksft = ws.source(Variant.STOCK).resolve("tools/testing/selftests");
        new Step("guest programs", ws.log("guest-programs"), out).timeout(600)
                .run(List.of("make", "-s", "-C", ws.project().resolve("qemu-tests").toString(), "O=" + dir,
                        "KSFT=" + ksft));
        Path st = ws.root().resolve("selftests-x86");
        Files.createDirectories(st);
        new Step("x86 selftests", ws.log("selftests-x86"), out).timeout(600)
                .run(List.of("make", "-s", "-C", ksft.resolve("x86").toString(), "EXTRA_CFLAGS=-static",
                        "OUTPUT=" + st));
        try (var files = Files.list(st)) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString();
                String arch = n.endsWith("_64") ? "x86_64" : n.endsWith("_32") ? "i386" : null;
                if (arch == null || !Files.isExecutable(f)) {
                    continue;
                }
                Path to = dir.resolve(arch).resolve(SELFTEST + n.substring(0, n.length() - 3));
                if (!Files.exists(to) || Files.mismatch(f, to) != -1) {
                    Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return dir;
    }

    /** Boots the kernel of {@code build}: the normal boot and its crash boots. */
    public Outcome run(KernelBuilder.Build build) throws IOException, InterruptedException, Step.Failed {
        Arch arch = build.arch();
        Path guests = guests();
        Map<String, String> cfgValues = KernelConfigurator.read(build.buildDir().resolve(".config"));
        var cfg = Expectations.tristates(cfgValues);
        Set<String> compiled = Expectations.compiledIn(table, arch, cfg).stream()
                .map(dev.idtgen.model.Entry::handler).collect(Collectors.toCollection(TreeSet::new));
        String tag = arch.yamlName() + "-" + build.variant().cliName() + "-" + build.profile().cliName();
        Path dir = ws.root().resolve("boot").resolve(tag);
        Files.createDirectories(dir);
        Path dpl3 = dir.resolve("dpl3");
        Files.writeString(dpl3, Expectations.userVectors(table, arch, cfg).stream().map(String::valueOf)
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        Path initrd = dir.resolve("initrd.cpio");
        new Step("initramfs", ws.log("initramfs-" + tag), null)
                .env(Map.of("GEN_INIT_CPIO", build.buildDir().resolve("usr/gen_init_cpio").toString()))
                .run(List.of("sh", ws.project().resolve("qemu-tests/mkinitramfs.sh").toString(), guests.toString(),
                        arch.yamlName(), dpl3.toString(), initrd.toString(),
                        build.buildDir().resolve(".config").toString()));
        List<Ktap.Result> results = new ArrayList<>();
        List<QemuRunner.Boot> boots = new ArrayList<>();
        // The guest programs first, then the kernel's selftests. On x86_64 the #MC test gets a boot of its own
        // with an Intel vCPU: only there is an "action optional" #MC survivable, and only there does the kernel
        // point compat SYSCALL at ignore_sysret while TCG still executes it (a selftest double-faults then).
        // The in-kernel paths (WARN, static keys patched with int3) get a boot of their own too: under QEMU TCG a
        // vCPU can still execute a stale int3 after text_poke_bp() finished (cross-modifying code), which is fatal
        // in whatever runs next; isolated, that cannot take other programs' verdicts with it.
        List<String> all = programs(guests, arch);
        List<String> mce = arch == Arch.X86_64 ? all.stream().filter(n -> n.startsWith("mce-")).toList() : List.of();
        List<String> kernelPaths = all.stream().filter(n -> n.startsWith("kernel-")).toList();
        List<String> normal = all.stream().filter(n -> !mce.contains(n) && !kernelPaths.contains(n)).toList();
        out.println("qemu: booting " + tag + " (" + normal.size() + " programs)");
        out.flush();
        boolean clean = runPrograms(build, initrd, dir.resolve("normal"), normal, cpu(arch, false), results, boots);
        results.add(host("sysvec_reboot clean_shutdown", clean, clean ? ""
                : "no boot ran to its end and shut down cleanly (see " + boots.get(boots.size() - 1).console() + ")"));
        if (!mce.isEmpty()) {
            runPrograms(build, initrd, dir.resolve("mce"), mce, cpu(arch, true), results, boots);
        }
        runPrograms(build, initrd, dir.resolve("kernel-paths"), kernelPaths, cpu(arch, false), results, boots);
        for (Crash c : CRASHES) {
            if (!c.arches().contains(arch)) {
                continue;
            }
            QemuRunner.Boot b = QemuRunner.boot(options(build, initrd, dir.resolve(c.mode()), c.mode(), List.of(),
                    cpu(arch, c.mode().equals("crash-mce")), 120), out);
            boots.add(b);
            String text = b.consoleText();
            if (c.skipWhen() != null && c.skipWhen().matcher(text).find()) {
                results.add(new Ktap.Result("host", 0, c.test(), Ktap.Status.SKIP, c.skipReason(), List.of()));
                continue;
            }
            List<String> missing = c.expect().stream().filter(p -> !p.matcher(text).find()).map(Pattern::pattern)
                    .toList();
            results.add(host(c.test(), missing.isEmpty(), missing.isEmpty() ? ""
                    : "the console of the " + c.mode() + " boot lacks " + missing + " (" + b.console() + ")"));
            out.printf("qemu: %s %s boot %.1f s%n", tag, c.mode(), b.seconds());
        }
        out.flush();
        return new Outcome(arch, build.variant(), results, compiled, boots);
    }

    /**
     * Boots with {@code programs} in order until each has run: a program that takes the kernel down is recorded
     * (it "took the kernel down") and the next boot goes on after it. True when a boot ran to its end and shut
     * the two CPUs down cleanly (the reboot vector stops the other CPU).
     */
    private boolean runPrograms(KernelBuilder.Build build, Path initrd, Path dir, List<String> programs, String cpu,
                                List<Ktap.Result> results, List<QemuRunner.Boot> boots) throws IOException,
            InterruptedException {
        List<String> remaining = new ArrayList<>(programs);
        boolean clean = false;
        for (int round = 0; !remaining.isEmpty() && round < 6; round++) {
            QemuRunner.Boot b = QemuRunner.boot(options(build, initrd, dir.resolveSibling(dir.getFileName()
                    + (round == 0 ? "" : "-" + round)), "normal", remaining, cpu, 600), out);
            boots.add(b);
            Ktap.Stream s = Ktap.parse(b.testLines());
            String crashed = null;
            for (Ktap.Program p : s.programs()) {
                remaining.remove(p.name());
                if (p.exitCode() == null) {
                    crashed = p.name();
                }
                collect(p, results);
            }
            String console = b.consoleText();
            boolean ok = s.done() && !b.timedOut() && !console.contains("Kernel panic")
                    && !console.contains("failed to stop");
            clean |= ok;
            out.printf("qemu: %s %.1f s, %d programs%s%n", dir.getFileName(), b.seconds(), s.programs().size(),
                    crashed == null ? "" : ", " + crashed + " took the kernel down");
            if (crashed == null && !ok) {
                remaining.forEach(n -> results.add(host(n + " harness", false, "never ran: the boot ended early ("
                        + b.console() + ")")));
                break;
            }
        }
        return clean;
    }

    /** One program's results; the kernel's selftests speak their own dialect: the exit code (4: skip). */
    private static void collect(Ktap.Program p, List<Ktap.Result> results) {
        if (p.name().startsWith(SELFTEST)) {
            Integer rc = p.exitCode();
            results.add(new Ktap.Result(p.name(), 0, "selftest " + p.name().substring(SELFTEST.length()),
                    rc == null ? Ktap.Status.FAIL : rc == 0 ? Ktap.Status.PASS : rc == 4 ? Ktap.Status.SKIP
                            : Ktap.Status.FAIL, rc == null ? "" : rc == 4 ? "KSFT_SKIP" : "",
                    rc == null ? List.of("took the kernel down") : List.of("exit " + rc)));
            return;
        }
        results.addAll(p.results());
        for (String problem : p.problems()) {
            results.add(host(p.name() + " harness", false, problem));
        }
    }

    /** The programs of the initramfs for {@code arch}, guest tests first (sorted), then the selftests. */
    private static List<String> programs(Path guests, Arch arch) throws IOException {
        List<String> own = new ArrayList<>();
        List<String> ksft = new ArrayList<>();
        for (String dir : arch == Arch.X86_64 ? List.of("x86_64", "i386") : List.of("i386")) {
            String bits = dir.equals("x86_64") ? "-64" : "-32";
            try (var files = Files.list(guests.resolve(dir))) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.equals("init") || !Files.isExecutable(f)) {
                        continue;
                    }
                    (n.startsWith(SELFTEST) ? ksft : own).add(n + bits);
                }
            }
        }
        own.sort(null);
        ksft.sort(null);
        own.addAll(ksft);
        return own;
    }

    /** qemu64 (AMD) normally; an Intel vCPU (x86_64) or +mca (i386) where #MC must be survivable. */
    private static String cpu(Arch arch, boolean mce) {
        if (arch == Arch.I386) {
            return "qemu32,+mca";
        }
        return mce ? "qemu64,vendor=GenuineIntel" : "qemu64";
    }

    private QemuRunner.Options options(KernelBuilder.Build b, Path initrd, Path dir, String mode, List<String> tests,
                                       String cpu, long timeout) {
        String append = "console=ttyS0 loglevel=7 panic=-1 idtgen.mode=" + mode
                + (tests.isEmpty() ? "" : " idtgen.tests=" + String.join(",", tests));
        return new QemuRunner.Options(b.arch(), cpu, b.bzImage(), initrd, append, 2, 512, timeout, dir, INJECT);
    }

    private static Ktap.Result host(String name, boolean pass, String why) {
        return new Ktap.Result("host", 0, name, pass ? Ktap.Status.PASS : Ktap.Status.FAIL, "",
                why.isEmpty() ? List.of() : List.of(why));
    }
}
