package dev.idtgen.boot;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.KernelConfigurator;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The boot tests of built kernels, in three steps as kunit.py has them:
 * {@link #kernel} packs one initramfs per content (the guest programs, the
 * DPL 3 vectors of the table projected on the kernel's .config, the .config),
 * {@link #jobs} splits a kernel's programs into the boots of
 * qemu-tests/boots.yaml plus its crash boots, {@link #execute} boots a job
 * (a program that takes the kernel down or is killed at its limit is
 * recorded and the next boot goes on after it) and saves a {@link BootRecord}
 * with its logs; {@link #outcome} turns a kernel's saved records into test
 * results named after the table's handlers, the same way whether the boots
 * just ran or {@code idtgen report} reads them back.
 */
public final class BootSuite {

    /** Selftest programs are run by /init like the others, under this prefix. */
    public static final String SELFTEST = "ksft_";

    /** A kernel ready to boot: its image, its initramfs, what it has compiled in, where its boots go. */
    public record Kernel(String tag, Arch arch, Variant variant, Profile profile, Path bzImage, Path buildDir,
                         Set<String> compiledIn, List<String> programs, Path dir, Delivery delivery) {
        public Kernel(String tag, Arch arch, Variant variant, Profile profile, Path bzImage, Path buildDir,
                      Set<String> compiledIn, List<String> programs, Path dir) {
            this(tag, arch, variant, profile, bzImage, buildDir, compiledIn, programs, dir, Delivery.IDT);
        }
    }

    /** One boot of a kernel (and the boots that go on after it): a group's programs, or a crash mode. */
    public record Job(Kernel kernel, String name, BootPlan.Crash crash, List<String> programs, int cpus, String cpu,
                      int attempt, double budget, String accel) {
        /**
         * The host cores the boot occupies: one per vCPU with multi-threaded TCG, one in all when one host thread
         * runs every vCPU in turn ({@code accel: tcg,thread=single}).
         */
        public int slots() {
            return accel.contains("thread=single") ? 1 : cpus;
        }

        public String label() {
            return kernel.tag() + " " + name + (attempt == 0 ? "" : " (re-run " + attempt + ")");
        }
    }

    /** Everything one kernel's boots produced. */
    public record Outcome(Kernel kernel, List<Ktap.Result> results, List<BootRecord> records) {
        public Arch arch() {
            return kernel.arch();
        }

        public Variant variant() {
            return kernel.variant();
        }

        public Set<String> compiledIn() {
            return kernel.compiledIn();
        }

        public List<Ktap.Result> named(String prefix) {
            return results.stream().filter(r -> r.name().startsWith(prefix)).toList();
        }
    }

    private final Workspace ws;
    private final VectorTable table;
    private final BootPlan plan;
    private final PrintWriter out;
    private final Map<Delivery, Backend> backends = new java.util.EnumMap<>(Delivery.class);

    /** The boot tests through the IDT, on QEMU as {@code plan} says. */
    public BootSuite(Workspace ws, VectorTable table, BootPlan plan, PrintWriter out) {
        this.ws = ws;
        this.table = table;
        this.plan = plan;
        this.out = out;
        backends.put(Delivery.IDT, new Backend(Delivery.IDT, plan, new dev.idtgen.qemu.QemuEmulator(plan), List.of(), Map.of()));
    }

    /** Adds another delivery mechanism's boots (FRED on Bochs). */
    public BootSuite with(Backend b) {
        backends.put(b.delivery(), b);
        return this;
    }

    /** The IDT boots' plan (qemu-tests/boots.yaml). */
    /** The project directory (qemu-tests/ and the other data files). */
    public Path project() {
        return ws.project();
    }

    public BootPlan plan() {
        return plan;
    }

    public Backend backend(Delivery d) {
        Backend b = backends.get(d);
        if (b == null) {
            throw new IllegalStateException("no " + d.cliName() + " boots are set up");
        }
        return b;
    }

    /** The plan of a kernel's boots. */
    public BootPlan plan(Kernel k) {
        return backend(k.delivery()).plan();
    }

    /** The wall time of each job in the last stage that ran it, for the scheduler's order. */
    public Path timingsFile() {
        return ws.perKernel("boot").resolve("timings.yaml");
    }

    /** Where the boots of (arch, profile) go: one directory per variant below it. */
    public static Path bootDir(Workspace ws, Arch a, Profile p) {
        return ws.perKernel("boot").resolve(a.yamlName() + "-" + p.cliName());
    }

    /**
     * Builds the guest programs (both arches) and the kernel's own
     * tools/testing/selftests/x86 (static, 64- and 32-bit, from the stock
     * tree), which join them as ksft_NAME; make keeps both incremental.
     */
    public Path guests() throws IOException, InterruptedException, Step.Failed {
        Path dir = ws.perKernel("guest");
        Path ksft = ws.source(Variant.STOCK).resolve("tools/testing/selftests");
        new Step("guest programs", ws.log("guest-programs"), out).timeout(600)
                .run(List.of("make", "-s", "-C", ws.project().resolve("qemu-tests").toString(), "O=" + dir,
                        "KSFT=" + ksft));
        Path st = ws.perKernel("selftests-x86");
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
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return dir;
    }

    /**
     * Makes a built kernel ready to boot: empties its boot directory, packs (or reuses) the initramfs for its
     * content, and saves what it has compiled in ({@code kernel.yaml}) for {@code idtgen report}.
     */
    public Kernel kernel(KernelBuilder.Build build, Path guests) throws IOException, InterruptedException,
            Step.Failed {
        return kernel(build, guests, bootDir(ws, build.arch(), build.profile()).resolve(build.variant().cliName()));
    }

    /** As {@link #kernel(KernelBuilder.Build, Path)}, with the boots going to {@code dir}. */
    public Kernel kernel(KernelBuilder.Build build, Path guests, Path dir) throws IOException, InterruptedException,
            Step.Failed {
        return kernel(build, guests, dir, Delivery.IDT);
    }

    /**
     * The same built kernel, booted through FRED (the {@link Delivery#FRED} backend): its boots go to
     * {@code VARIANT-fred} next to the IDT boots; its programs are those the FRED plan's boots take; what it has
     * "compiled in" is what FRED can deliver (the entries compiled in with a FRED route).
     */
    public Kernel fredKernel(KernelBuilder.Build build, Path guests) throws IOException {
        return fredKernel(build, guests, bootDir(ws, build.arch(), build.profile()).resolve(build.variant().cliName()
                + "-" + Delivery.FRED.cliName()));
    }

    /** As {@link #fredKernel(KernelBuilder.Build, Path)}, with the boots going to {@code dir}. */
    public Kernel fredKernel(KernelBuilder.Build build, Path guests, Path dir) throws IOException {
        return kernel(build, guests, dir, Delivery.FRED);
    }

    /**
     * A built kernel as booted through {@code d}: the entries it has compiled in (through FRED only those with a
     * route), the programs that delivery's plan takes (the IDT plan takes them all), its boot directory emptied.
     */
    private Kernel kernel(KernelBuilder.Build build, Path guests, Path dir, Delivery d) throws IOException {
        BootPlan plan = backend(d).plan();
        Arch arch = build.arch();
        var cfg = Expectations.tristates(KernelConfigurator.read(build.buildDir().resolve(".config")));
        Set<String> compiled = Expectations.compiledIn(table, arch, cfg).stream()
                .filter(e -> d == Delivery.IDT || (e.fred() != null && e.fred().exempt() == null))
                .map(dev.idtgen.model.Entry::handler).collect(Collectors.toCollection(TreeSet::new));
        List<String> programs = programs(guests, arch);
        if (d != Delivery.IDT) {
            programs = programs.stream().filter(p -> plan.group(arch, p).isPresent()).toList();
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        String tag = arch.yamlName() + "-" + build.profile().cliName() + " " + build.variant().cliName()
                + (d == Delivery.IDT ? "" : " " + d.cliName());
        Kernel k = new Kernel(tag, arch, build.variant(), build.profile(), build.bzImage(), build.buildDir(),
                compiled, programs, dir, d);
        saveKernel(k);
        return k;
    }

    /**
     * The initramfs of a boot: /init, the boot's programs only (a boot unpacks only what it runs), the DPL 3
     * vectors of the table projected on the kernel's .config, and the .config. Packed once per content.
     */
    Path initrd(Kernel k, List<String> programs) throws IOException, InterruptedException {
        Path guests = ws.perKernel("guest");
        Path config = k.buildDir().resolve(".config");
        var cfg = Expectations.tristates(KernelConfigurator.read(config));
        String dpl3 = Expectations.userVectors(table, k.arch(), cfg).stream().map(String::valueOf)
                .collect(Collectors.joining("\n", "", "\n"));
        String key = k.arch().yamlName() + "-" + sha(dpl3 + "\0" + Files.readString(config,
                StandardCharsets.ISO_8859_1) + "\0" + guestStamp(guests, k.arch()) + "\0" + programs);
        Path initDir = ws.perKernel("boot").resolve("initramfs");
        Path initrd = initDir.resolve(key + ".cpio");
        synchronized (BootSuite.class) {
            if (!Files.exists(initrd)) {
                Files.createDirectories(initDir);
                Path dpl3File = initDir.resolve(key + ".dpl3");
                Files.writeString(dpl3File, dpl3, StandardCharsets.UTF_8);
                Path tmp = initDir.resolve(key + ".tmp");
                try {
                    new Step("initramfs", ws.log("initramfs-" + key), null)
                            .env(Map.of("GEN_INIT_CPIO", k.buildDir().resolve("usr/gen_init_cpio").toString(),
                                    "PROGRAMS", String.join(" ", programs)))
                            .run(List.of("sh", ws.project().resolve("qemu-tests/mkinitramfs.sh").toString(),
                                    guests.toString(), k.arch().yamlName(), dpl3File.toString(), tmp.toString(),
                                    config.toString()));
                } catch (Step.Failed e) {
                    throw new IOException(e.getMessage(), e);
                }
                Files.move(tmp, initrd, StandardCopyOption.ATOMIC_MOVE);
                Files.move(initDir.resolve(key + ".tmp.list"), initDir.resolve(key + ".list"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return initrd;
    }

    /** A stamp of the guest programs of an arch (names, sizes, times): a changed program packs a new initramfs. */
    private static String guestStamp(Path guests, Arch arch) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String d : arch == Arch.X86_64 ? List.of("x86_64", "i386") : List.of("i386")) {
            try (var files = Files.list(guests.resolve(d))) {
                for (Path f : files.sorted().toList()) {
                    b.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
                            .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** Every boot of a kernel: its programs split into the plan's groups, then its crash boots. */
    public List<Job> jobs(Kernel k, List<String> programs) {
        List<Job> jobs = new ArrayList<>();
        BootPlan plan = plan(k);
        Map<BootPlan.Group, List<String>> byGroup = new LinkedHashMap<>();
        plan.groups().forEach(g -> byGroup.put(g, new ArrayList<>()));
        for (String p : programs) {
            BootPlan.Group g = plan.group(k.arch(), p).orElseThrow(() -> new IllegalArgumentException(
                    "the " + k.delivery().cliName() + " boot plan: no boot takes program " + p + " on "
                            + k.arch().yamlName()));
            byGroup.get(g).add(p);
        }
        byGroup.forEach((g, ps) -> {
            if (!ps.isEmpty()) {
                jobs.add(job(k, g, ps, 0));
            }
        });
        return jobs;
    }

    /** The job that runs {@code programs} (all of one group) with that group's settings. */
    public Job job(Kernel k, BootPlan.Group g, List<String> programs, int attempt) {
        BootPlan plan = plan(k);
        double budget = plan.limits().boot() + programs.stream().mapToDouble(plan::budget).sum();
        return new Job(k, g.name(), null, List.copyOf(programs), g.cpus(), plan.cpu(k.arch(), g.cpu()), attempt,
                budget, g.accel());
    }

    /** A crash in a boot of its own (a crash whose {@code after} boot has no program here, or a re-run). */
    public Job crashJob(Kernel k, BootPlan.Crash c, int attempt) {
        BootPlan plan = plan(k);
        return new Job(k, c.mode(), c, List.of(), 1, plan.cpu(k.arch(), c.cpu()), attempt, plan.limits().boot(), "tcg");
    }

    /**
     * Every job of a kernel: its programs in their groups, each crash provoked at the end of the boot its
     * {@code after} names (when that boot has programs on this arch), the others in boots of their own.
     */
    public List<Job> allJobs(Kernel k) {
        return jobs(k, programs(k), crashModes(k));
    }

    /** The programs a kernel's full run boots (its profile's). */
    public List<String> programs(Kernel k) {
        return plan(k).programs(k.profile().cliName(), k.programs());
    }

    /** The crash modes a kernel's full run provokes (its profile's, on its arch). */
    public List<String> crashModes(Kernel k) {
        BootPlan plan = plan(k);
        List<String> modes = new ArrayList<>();
        for (BootPlan.Crash c : plan.crashes(k.profile().cliName()) ? plan.crashes() : List.<BootPlan.Crash>of()) {
            if (c.arches().contains(k.arch())) {
                modes.add(c.mode());
            }
        }
        return modes;
    }

    /** The boot (group) that takes {@code program} on the kernel; empty when none does. */
    public String group(Kernel k, String program) {
        return plan(k).group(k.arch(), program).map(BootPlan.Group::name).orElse("");
    }

    /**
     * The jobs that run {@code programs} (each in its group's boot) and provoke {@code crashModes}, each crash at
     * the end of the boot its {@code after} names when that boot runs here, else in a boot of its own: what
     * {@link #allJobs} gives with every program and crash, and a change-aware run with those it re-runs.
     */
    public List<Job> jobs(Kernel k, List<String> programs, java.util.Collection<String> crashModes) {
        BootPlan plan = plan(k);
        List<Job> jobs = new ArrayList<>(jobs(k, programs));
        for (BootPlan.Crash c : plan.crashes()) {
            if (!c.arches().contains(k.arch()) || !crashModes.contains(c.mode())) {
                continue;
            }
            String after = c.after().get(k.arch());
            int i = 0;
            while (i < jobs.size() && !(jobs.get(i).name().equals(after) && jobs.get(i).crash() == null)) {
                i++;
            }
            if (i < jobs.size()) {
                Job j = jobs.get(i);
                jobs.set(i, new Job(k, j.name(), c, j.programs(), j.cpus(), j.cpu(), j.attempt(),
                        j.budget() + plan.limits().boot(), j.accel()));
            } else {
                jobs.add(crashJob(k, c, 0));
            }
        }
        return jobs;
    }

    /**
     * The job that re-runs a test's unit on a kernel: a program alone with its group's settings, a crash boot,
     * or a whole group ({@code @group}, for what a group's boot as a whole proves). Empty when there is nothing to
     * boot for it.
     */
    public java.util.Optional<Job> rerunJob(Kernel k, String unit, int attempt) throws IOException {
        BootPlan plan = plan(k);
        if (unit.startsWith("@")) {
            var g = plan.group(unit.substring(1));
            if (g.isEmpty()) {
                return java.util.Optional.empty();
            }
            List<String> ps = k.programs().stream().filter(p -> plan.group(k.arch(), p).equals(g)).toList();
            return ps.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(job(k, g.get(), ps, attempt));
        }
        for (BootPlan.Crash c : plan.crashes()) {
            if (c.mode().equals(unit) && c.arches().contains(k.arch())) {
                return java.util.Optional.of(crashJob(k, c, attempt));
            }
        }
        var g = plan.group(k.arch(), unit);
        if (g.isEmpty() || !k.programs().contains(unit)) {
            return java.util.Optional.empty();
        }
        Job j = job(k, g.get(), List.of(unit), attempt);
        return java.util.Optional.of(new Job(k, g.get().name() + "~" + unit, null, j.programs(), j.cpus(), j.cpu(),
                attempt, j.budget(), j.accel()));
    }

    /**
     * The results of one chain of boots keyed by the units it ran (its programs, its crash mode, {@code @group}
     * for a whole group's boot): what a re-run can answer for.
     */
    public Map<String, List<Ktap.Result>> resultsByUnit(Kernel k, List<BootRecord> chain) throws IOException {
        Map<String, List<Ktap.Result>> m = new LinkedHashMap<>();
        BootRecord first = chain.get(0);
        List<Ktap.Result> rs = new ArrayList<>(results(k, chain));
        if (first.crash() != null) {
            m.put(first.crash(), new ArrayList<>());
        }
        for (String p : first.programs()) {
            m.put(p, new ArrayList<>());
        }
        if (!first.job().contains("~")) {
            Ktap.Result shutdown = cleanShutdown(chain);
            if (shutdown.program().equals("@" + first.job())) {
                m.put(shutdown.program(), new ArrayList<>(List.of(shutdown)));
            }
        }
        for (Ktap.Result r : rs) {
            m.computeIfAbsent(r.program(), x -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /** How a job's first boot starts: its kernel command line and its initramfs (what a LAVA job repeats). */
    public record Launch(String append, Path initrd) {
    }

    /** The first boot of {@code j}: every program of it, in order. */
    public Launch launch(Job j) throws IOException, InterruptedException {
        return new Launch(append(backend(j.kernel().delivery()).plan(), j, j.programs()), initrd(j.kernel(),
                j.programs()));
    }

    private static String append(BootPlan plan, Job j, List<String> remaining) {
        double guestLimit = remaining.stream().mapToDouble(plan::limit).max().orElse(plan.bootLimit())
                * plan.limits().guest();
        return plan.append() + " idtgen.mode=" + (j.crash() == null ? "normal" : j.crash().mode())
                + " idtgen.timeout=" + (long) Math.ceil(guestLimit)
                + (remaining.isEmpty() ? "" : " idtgen.tests=" + String.join(",", remaining));
    }

    /**
     * Boots a job until each of its programs has run: a program that takes the kernel down, or that the host
     * kills at its limit, is recorded and the next boot goes on after it. Saves each boot's record.
     */
    public List<BootRecord> execute(Job j) throws IOException, InterruptedException {
        Backend backend = backend(j.kernel().delivery());
        BootPlan plan = backend.plan();
        List<BootRecord> records = new ArrayList<>();
        List<String> remaining = new ArrayList<>(j.programs());
        for (int seq = 0; seq <= j.programs().size() + 1; seq++) {
            String dirName = (j.attempt() == 0 ? "" : "rerun" + j.attempt() + "-") + j.name()
                    + (seq == 0 ? "" : "." + seq);
            Path dir = j.kernel().dir().resolve(dirName);
            deleteTree(dir);
            String append = append(plan, j, remaining);
            Emulator.Boot b = backend.emulator().boot(j, append, initrd(j.kernel(), remaining), dir,
                    new GuestWatch.Limits(plan::limit, plan.bootLimit(), plan.limits().idle()), out);
            BootRecord r = new BootRecord(j.kernel().tag(), j.kernel().arch(), j.kernel().variant(), j.name(), seq,
                    j.attempt(), j.crash() == null ? null : j.crash().mode(), List.copyOf(remaining), j.cpus(),
                    j.cpu(), b.exitCode(), b.kill(), b.seconds(), b.cpuSeconds(), b.injected(), b.usage(), dir);
            r.save();
            records.add(r);
            Ktap.Stream s = Ktap.parse(r.testLines());
            String stopped = null;
            for (Ktap.Program p : s.programs()) {
                remaining.remove(p.name());
                if (p.exitCode() == null) {
                    stopped = p.name();
                }
            }
            synchronized (out) {
                out.printf("%s: %s %.1f s (%.1f s emulator CPU, %d vCPU%s), %d programs%s%n",
                        j.kernel().delivery() == Delivery.IDT ? "qemu" : "bochs", j.label() + (seq == 0 ? "" : " #" + (seq + 1)), b.seconds(), b.cpuSeconds(), j.cpus(),
                        j.cpus() == 1 ? "" : "s" + (j.slots() < j.cpus() ? ", one host thread" : ""), s.programs().size(), b.killed()
                                ? ", killed: " + (b.kill().program() == null ? "outside a program" : b.kill().program())
                                + ": " + b.kill().describe()
                                : stopped == null ? "" : ", " + stopped + " took the kernel down");
                out.flush();
            }
            // a crash is provoked after the last program: when a program took that boot down first, one more boot
            if (stopped == null || (remaining.isEmpty() && (j.crash() == null || b.killed()))) {
                break;
            }
        }
        return records;
    }

    /** The results of a kernel's saved boot records (the main attempt, re-runs excluded). */
    public Outcome outcome(Kernel k, List<BootRecord> all) throws IOException {
        List<BootRecord> records = all.stream().filter(r -> r.attempt() == 0).toList();
        List<Ktap.Result> results = new ArrayList<>();
        Map<String, List<BootRecord>> chains = chains(records);
        for (List<BootRecord> chain : chains.values()) {
            results.addAll(results(k, chain));
        }
        List<Ktap.Result> carried = carried(k);
        Ktap.Result shutdown = cleanShutdown(records);
        // no two-vCPU boot ran this time: the last one's clean shutdown is among the carried results
        if (!(shutdown.program().equals("@boot") && carried.stream().anyMatch(c -> c.name().equals(shutdown.name())))) {
            results.add(shutdown);
        }
        results.addAll(carried);
        return new Outcome(k, results, all);
    }

    /**
     * Saves the results a change-aware run carries from the kernel's baseline instead of re-running them (each
     * marked with its baseline); {@link #outcome} adds them to what the boots produce.
     */
    public void carry(Kernel k, List<Ktap.Result> carried) throws IOException {
        Path f = k.dir().resolve(ResultsFile.CARRIED);
        if (carried.isEmpty()) {
            Files.deleteIfExists(f);
            return;
        }
        for (Ktap.Result r : carried) {
            if (!r.isCarried()) {
                throw new IllegalArgumentException("a carried result must name its baseline: " + r);
            }
        }
        Path tmp = k.dir().resolve(ResultsFile.CARRIED + ".tmp");
        Files.writeString(tmp, new Dump(DumpSettings.builder()
                .setDereferenceAliases(true).build()).dumpToString(ResultsFile.toData(carried)), StandardCharsets.UTF_8);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The results {@link #carry} saved for the kernel (none after a full run). */
    public static List<Ktap.Result> carried(Kernel k) throws IOException {
        Path f = k.dir().resolve(ResultsFile.CARRIED);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            return ResultsFile.fromData(new Load(LoadSettings.builder().setLabel(f.toString())
                    .setCodePointLimit(Integer.MAX_VALUE).build()).loadFromString(Files.readString(f,
                    StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw new IOException(f + ": not a list of carried results (" + e + ")", e);
        }
    }

    /** Records grouped by chain, each chain in boot order. */
    public static Map<String, List<BootRecord>> chains(List<BootRecord> records) {
        Map<String, List<BootRecord>> chains = new LinkedHashMap<>();
        records.stream().sorted(Comparator.comparing(BootRecord::job).thenComparing(BootRecord::attempt)
                        .thenComparingInt(BootRecord::seq))
                .forEach(r -> chains.computeIfAbsent(r.chain(), x -> new ArrayList<>()).add(r));
        return chains;
    }

    /**
     * The results of one chain of boots (a job, or one of its re-runs). Where the kernel's delivery asks for
     * evidence on the console (FRED: that FRED was initialised), a boot without it fails all it reported.
     */
    public List<Ktap.Result> results(Kernel k, List<BootRecord> chain) throws IOException {
        List<Ktap.Result> results = new ArrayList<>();
        BootRecord first = chain.get(0);
        BootRecord last = chain.get(chain.size() - 1);
        if (first.crash() != null) {
            results.add(crashResult(k, last));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (BootRecord r : chain) {
            for (Ktap.Program p : Ktap.parse(r.testLines()).programs()) {
                seen.add(p.name());
                collect(p, r, results);
            }
        }
        for (String n : first.programs()) {
            if (!seen.contains(n)) {
                results.add(last.kill() != null
                        ? result(n, n + " harness", Ktap.Status.TIMEOUT, "never ran: the boot before it was killed, "
                        + last.kill().describe() + " (" + last.dir() + ")")
                        : result(n, n + " harness", Ktap.Status.FAIL, "never ran: the boot ended early ("
                        + last.console() + ")"));
            }
        }
        return evidence(k, chain, results);
    }

    /**
     * The delivery's evidence: one "{@code DELIVERY active harness}" result per chain, and every PASS of a chain
     * whose boot lacks the evidence turned into a FAIL (a FRED boot that ran through the IDT proves nothing).
     */
    private List<Ktap.Result> evidence(Kernel k, List<BootRecord> chain, List<Ktap.Result> results)
            throws IOException {
        List<Pattern> want = backend(k.delivery()).evidence();
        if (want.isEmpty()) {
            return results;
        }
        List<String> missing = new ArrayList<>();
        for (BootRecord r : chain) {
            String console = r.consoleText();
            for (Pattern p : want) {
                if (!p.matcher(console).find()) {
                    missing.add(r.console() + " lacks \"" + p.pattern() + "\"");
                }
            }
        }
        String unit = "@" + chain.get(0).job();
        String name = k.delivery().cliName() + "_active harness";
        if (missing.isEmpty()) {
            List<Ktap.Result> out = new ArrayList<>(results);
            out.add(result(unit, name, Ktap.Status.PASS, ""));
            return out;
        }
        String why = k.delivery().name() + " was not active: " + String.join("; ", missing);
        List<Ktap.Result> out = new ArrayList<>();
        for (Ktap.Result r : results) {
            if (r.status() == Ktap.Status.PASS) {
                List<String> d = new ArrayList<>(r.diagnostics());
                d.add(why);
                out.add(new Ktap.Result(r.program(), r.number(), r.name(), Ktap.Status.FAIL, "", d));
            } else {
                out.add(r);
            }
        }
        out.add(result(unit, name, Ktap.Status.FAIL, why));
        return out;
    }

    private Ktap.Result crashResult(Kernel k, BootRecord r) throws IOException {
        BootPlan plan = plan(k);
        BootPlan.Crash c = plan.crashes().stream().filter(x -> x.mode().equals(r.crash())
                && x.arches().contains(r.arch())).findFirst().orElseThrow(() -> new IOException(r.dir()
                + ": crash mode " + r.crash() + " is not in qemu-tests/boots.yaml for " + r.arch().yamlName()));
        String text = r.consoleText();
        if (c.skipWhen() != null && c.skipWhen().matcher(text).find()) {
            return new Ktap.Result(c.mode(), 0, c.test(), Ktap.Status.SKIP, c.skipReason(), List.of());
        }
        List<String> missing = c.expect().stream().filter(p -> !p.matcher(text).find()).map(Pattern::pattern)
                .toList();
        if (!missing.isEmpty() && r.kill() != null) {
            return result(c.mode(), c.test(), Ktap.Status.TIMEOUT, r.kill().describe() + " (" + r.console() + ")");
        }
        return result(c.mode(), c.test(), missing.isEmpty() ? Ktap.Status.PASS : Ktap.Status.FAIL,
                missing.isEmpty() ? "" : "the console of the " + c.mode() + " boot lacks " + missing + " ("
                        + r.console() + ")");
    }

    /** The test point of the reboot vector: a boot with two or more vCPUs that shut down cleanly. */
    public static final String CLEAN_SHUTDOWN = "sysvec_reboot clean_shutdown";

    /** What in a console says a shutdown was not clean: a panic, or a CPU that did not stop. */
    public static final List<String> UNCLEAN_SHUTDOWN = List.of("Kernel panic", "failed to stop");

    /** True when a boot with two or more vCPUs ran to its end and shut down cleanly (the reboot vector). */
    private static Ktap.Result cleanShutdown(List<BootRecord> records) throws IOException {
        String name = CLEAN_SHUTDOWN;
        List<BootRecord> smp = records.stream().filter(r -> r.crash() == null && r.cpus() >= 2).toList();
        if (smp.isEmpty()) {
            return new Ktap.Result("@boot", 0, name, Ktap.Status.SKIP, "no boot with two vCPUs ran", List.of());
        }
        String job = "@" + smp.get(0).job();
        for (BootRecord r : smp) {
            String console = r.consoleText();
            if (r.kill() == null && Ktap.parse(r.testLines()).done()
                    && UNCLEAN_SHUTDOWN.stream().noneMatch(console::contains)) {
                return result(job, name, Ktap.Status.PASS, "");
            }
        }
        BootRecord last = smp.get(smp.size() - 1);
        return last.kill() != null ? result(job, name, Ktap.Status.TIMEOUT, last.kill().describe())
                : result(job, name, Ktap.Status.FAIL, "no two-vCPU boot ran to its end and shut down cleanly (see "
                + last.console() + ")");
    }

    /** One program's results; the kernel's selftests speak their own dialect: the exit code (4: skip). */
    private static void collect(Ktap.Program p, BootRecord r, List<Ktap.Result> results) {
        String timeout = null;
        if (p.timeout() != null) {
            timeout = "timeout: /init killed it " + p.timeout() + " (guest time; its backstop)";
        } else if (p.exitCode() == null && r.kill() != null && p.name().equals(r.kill().program())) {
            timeout = r.kill().describe();
        }
        if (timeout != null) {
            timeout += "; progress: " + p.progress();
        }
        if (p.name().startsWith(SELFTEST)) {
            Integer rc = p.exitCode();
            String name = "selftest " + p.name().substring(SELFTEST.length());
            if (timeout != null) {
                results.add(new Ktap.Result(p.name(), 0, name, Ktap.Status.TIMEOUT, timeout, List.of(timeout)));
                return;
            }
            results.add(new Ktap.Result(p.name(), 0, name,
                    rc == null ? Ktap.Status.FAIL : rc == 0 ? Ktap.Status.PASS : rc == 4 ? Ktap.Status.SKIP
                            : Ktap.Status.FAIL, rc == null ? "" : rc == 4 ? "KSFT_SKIP" : "",
                    rc == null ? List.of("took the kernel down") : List.of("exit " + rc)));
            return;
        }
        results.addAll(p.results());
        if (timeout != null) {
            results.add(result(p.name(), p.name() + " harness", Ktap.Status.TIMEOUT, timeout));
            return;
        }
        for (String problem : p.problems()) {
            results.add(result(p.name(), p.name() + " harness", Ktap.Status.FAIL, problem));
        }
    }

    /** The programs of the initramfs for {@code arch}, guest tests first (sorted), then the selftests. */
    public static List<String> programs(Path guests, Arch arch) throws IOException {
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

    private static void saveKernel(Kernel k) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", k.tag());
        m.put("arch", k.arch().yamlName());
        m.put("variant", k.variant().cliName());
        m.put("profile", k.profile().cliName());
        m.put("bzImage", k.bzImage().toString());
        m.put("build", k.buildDir().toString());
        m.put("compiled_in", new ArrayList<>(k.compiledIn()));
        m.put("programs", k.programs());
        m.put("delivery", k.delivery().cliName());
        Files.writeString(k.dir().resolve("kernel.yaml"), new Dump(DumpSettings.builder().build()).dumpToString(m),
                StandardCharsets.UTF_8);
    }

    /** A kernel saved by {@link #kernel}, for rebuilding its results from its logs. */
    @SuppressWarnings("unchecked")
    public static Kernel loadKernel(Path dir) throws IOException {
        Path f = dir.resolve("kernel.yaml");
        Map<String, Object> m = (Map<String, Object>) new Load(LoadSettings.builder().setLabel(f.toString()).build())
                .loadFromString(Files.readString(f, StandardCharsets.UTF_8));
        return new Kernel((String) m.get("tag"), Arch.fromYaml((String) m.get("arch")).orElseThrow(),
                Variant.parse((String) m.get("variant")).orElseThrow(),
                java.util.Arrays.stream(Profile.values()).filter(p -> p.cliName().equals(m.get("profile")))
                        .findFirst().orElseThrow(), Path.of((String) m.get("bzImage")), Path.of((String) m.get("build")),
                new TreeSet<>((List<String>) m.get("compiled_in")), List.copyOf((List<String>) m.get("programs")), dir,
                Delivery.valueOf(String.valueOf(m.getOrDefault("delivery", "idt")).toUpperCase(java.util.Locale.ROOT)));
    }

    /** Every boot record saved under a kernel's directory. */
    public static List<BootRecord> records(Kernel k) throws IOException {
        List<BootRecord> rs = new ArrayList<>();
        try (var dirs = Files.list(k.dir())) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.isRegularFile(d.resolve(BootRecord.FILE))) {
                    rs.add(BootRecord.load(d));
                }
            }
        }
        return rs;
    }

    static Ktap.Result result(String program, String name, Ktap.Status status, String why) {
        return new Ktap.Result(program, 0, name, status, status == Ktap.Status.TIMEOUT ? why : "",
                why.isEmpty() ? List.of() : List.of(why));
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
