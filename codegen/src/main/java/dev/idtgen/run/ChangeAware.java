package dev.idtgen.run;

import dev.idtgen.boot.TestResult;
import dev.idtgen.change.Baseline;
import dev.idtgen.change.ChangeSet;
import dev.idtgen.change.Fingerprints;
import dev.idtgen.change.Inputs;
import dev.idtgen.change.RaisedMap;
import dev.idtgen.boot.BootRecord;
import dev.idtgen.change.RetestRule;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.VectorTable;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.BootJob;
import dev.idtgen.boot.KernelOutcome;
import dev.idtgen.boot.BootStore;
import dev.idtgen.boot.Unit;
import dev.idtgen.boot.JobPlanner;
import java.util.Optional;
import dev.idtgen.boot.Delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The change-aware run's bookkeeping: after a run
 * with no failure and no timeout, each booted kernel's {@link Baseline} is
 * kept in {@code <work>/baselines/<kernel>/ARCH-PROFILE-VARIANT[-fred]/}; the
 * next run compares each kernel it is about to boot with its baseline and
 * prints what changed and which vectors that re-tests. A change-aware run
 * ({@code run --changed}) then boots only what {@link RetestRule} re-runs
 * and carries the rest of the baseline's results, each marked with it.
 */
public final class ChangeAware {

    /** One kernel's comparison with its baseline. */
    public record Decision(BootKernel kernel, Optional<Baseline> baseline, List<String> everything,
                    ChangeSet change, String image) {

        /**
         * Whether the kernel to boot is the very image its baseline booted, with the same inputs: no boot can show
         * anything the baseline's did not, so nothing is booted and every result is carried.
         */
        public boolean sameImage() {
            return baseline.isPresent() && everything.isEmpty() && change.unchanged() && !image.isEmpty()
                    && baseline.get().image().equals(image);
        }

        public String describe() {
            String what = label(kernel);
            if (baseline.isEmpty()) {
                return "change " + what + ": no baseline yet: everything runs";
            }
            String against = "change " + what + " against baseline " + baseline.get().id() + ": ";
            if (!everything.isEmpty()) {
                return against + "everything re-tested (" + String.join("; ", everything) + ")";
            }
            if (sameImage()) {
                return against + "no vector changed, and the bzImage is the one it booted (sha256 "
                        + image.substring(0, 16) + "): nothing to boot";
            }
            if (change.unchanged()) {
                return against + "no vector changed";
            }
            List<String> vs = new ArrayList<>();
            change.vectors().forEach((v, why) -> vs.add(String.format("0x%02x (%s)", v, String.join(", ", why))));
            return against + change.vectors().size() + " vector(s) re-tested: " + String.join("; ", vs);
        }
    }

    private final Workspace ws;
    private final VectorTable table;
    private final BootPlan plan;
    private final PrintWriter out;
    /**
     * Each build's fingerprints and the inputs' digest, computed once per run: the comparison before the boots
     * and the baselines after them read the same builds and inputs, and an IDT and a FRED boot share a build.
     */
    private final Map<Path, Fingerprints> fingerprints = new java.util.HashMap<>();
    private Map<String, String> inputs;
    private final Path root;
    /** The Bochs binary of the FRED boots, when there is one: a verdict depends on its version. */
    private final Optional<Path> bochs;

    /** Baselines in {@code <work>/baselines/<kernel>/}, where {@code run} keeps them. */
    public ChangeAware(Workspace ws, VectorTable table, BootPlan plan, Optional<Path> bochs, PrintWriter out) {
        this(ws, table, plan, bochs, out, ws.perKernel("baselines"));
    }

    /** Baselines under {@code root} (a benchmark keeps its own). */
    public ChangeAware(Workspace ws, VectorTable table, BootPlan plan, Optional<Path> bochs, PrintWriter out,
                       Path root) {
        this.ws = ws;
        this.table = table;
        this.plan = plan;
        this.bochs = bochs;
        this.out = out;
        this.root = root;
    }

    /** Every unit a kernel's full run answers for: its programs, crash modes, and their groups' boots. */
    private static Set<Unit> units(JobPlanner planner, BootKernel k) {
        Set<Unit> units = new java.util.HashSet<>();
        for (String p : planner.programs(k)) {
            units.add(Unit.named(p));
            units.add(Unit.group(planner.group(k, p)));
        }
        for (String c : planner.crashModes(k)) {
            units.add(Unit.named(c));
            units.add(Unit.group(c));
        }
        return units;
    }

    /** The units the re-run boots answer for. */
    private static Set<Unit> ran(List<BootJob> jobs) {
        Set<Unit> ran = new java.util.HashSet<>();
        for (BootJob j : jobs) {
            j.programs().forEach(p -> ran.add(Unit.named(p)));
            ran.add(Unit.group(j.name()));
            if (j.crash() != null) {
                ran.add(Unit.named(j.crash().mode()));
            }
        }
        return ran;
    }

    static String label(BootKernel k) {
        return k.arch().yamlName() + "/" + k.profile().cliName() + " " + k.variant().cliName()
                + (k.delivery() == Delivery.FRED ? " (FRED)" : "");
    }

    public Path dir(BootKernel k) {
        return root.resolve(k.arch().yamlName() + "-" + k.profile().cliName() + "-"
                + k.variant().cliName() + (k.delivery() == Delivery.FRED ? "-fred" : ""));
    }

    /** Each kernel compared with its baseline; prints one line per kernel. */
    public List<Decision> compare(List<BootKernel> kernels) throws IOException, InterruptedException {
        List<Decision> out = new ArrayList<>();
        for (BootKernel k : kernels) {
            long t0 = System.nanoTime();
            Optional<Baseline> b = Baseline.read(dir(k));
            List<String> everything = new ArrayList<>();
            ChangeSet change = new ChangeSet(List.of(), Map.of());
            if (b.isPresent()) {
                if (!b.get().config().equals(Inputs.file(k.buildDir().resolve(".config")))) {
                    everything.add("the .config changed");
                }
                List<String> parts = Inputs.changed(b.get().inputs(), inputs(k));
                if (!parts.isEmpty()) {
                    everything.add(String.join(", ", parts) + " changed");
                }
                change = ChangeSet.between(b.get().fingerprints(), fingerprints(k), vmlinux(k), table);
                everything.addAll(change.everything());
            }
            Decision d = new Decision(k, b, everything, change, image(k));
            this.out.printf("%s [%.1f s]%n", d.describe(), (System.nanoTime() - t0) / 1e9);
            out.add(d);
        }
        this.out.flush();
        return out;
    }

    /**
     * The boots of a change-aware run: for a kernel with a baseline and an attributable change, the units
     * {@link RetestRule} re-runs (its always-run set included), each other unit's baseline results saved as
     * carried ({@link BootPipeline#carry}); for any other kernel, every boot. Prints one line per kernel.
     */
    public BootStage.JobSelection selection(BootPipeline suite, List<Decision> decisions) throws IOException {
        RetestRule rule = RetestRule.load(ws.project().resolve(RetestRule.FILE), table);
        Map<BootKernel, List<BootJob>> jobs = new java.util.HashMap<>();
        for (Decision d : decisions) {
            BootKernel k = d.kernel();
            if (d.baseline().isEmpty() || !d.everything().isEmpty()) {
                jobs.put(k, suite.planner().allJobs(k));
                BootStore.carry(k, List.of());
                continue;
            }
            Baseline b = d.baseline().get();
            Set<Unit> units = units(suite.planner(), k);
            if (d.sameImage()) {
                List<TestResult> all = b.results().stream().filter(r -> units.contains(r.unit()))
                        .map(r -> r.carriedFrom(b.id())).toList();
                BootStore.carry(k, all);
                jobs.put(k, List.of());
                out.println("change " + label(k) + ": no boot; " + all.size() + " result(s) carried from baseline "
                        + b.id());
                continue;
            }
            if (b.measured().isEmpty()) {
                out.println("change " + label(k) + ": baseline " + b.id() + " has no measured map of the vectors "
                        + "each unit enters (" + (k.delivery() == Delivery.FRED ? "Bochs keeps no interrupt log"
                        : "made before the map or by another version of it") + "): " + RetestRule.FILE
                        + "'s declared rules decide");
            }
            RetestRule.Plan plan = rule.plan(d.change().vectors().keySet(), suite.planner().programs(k),
                    suite.planner().crashModes(k), p -> suite.planner().group(k, p), b.results(), table,
                    b.measured());
            List<BootJob> mine = suite.planner().jobs(k, List.copyOf(plan.programs().keySet()), plan.crashes().keySet());
            Set<Unit> ran = ran(mine);
            List<TestResult> carried = new ArrayList<>();
            Set<String> carriedUnits = new java.util.TreeSet<>();
            for (TestResult r : b.results()) {
                if (units.contains(r.unit()) && !ran.contains(r.unit())) {
                    carried.add(r.carriedFrom(b.id()));
                    carriedUnits.add(r.unit().id());
                }
            }
            BootStore.carry(k, carried);
            jobs.put(k, mine);
            List<String> why = new ArrayList<>();
            plan.programs().forEach((p, w) -> why.add(p + ": " + w));
            plan.crashes().forEach((c, w) -> why.add(c + ": " + w));
            out.println("change " + label(k) + ": " + mine.size() + " boot(s) re-run " + (plan.programs().size()
                    + plan.crashes().size()) + " unit(s) [" + String.join("; ", why) + "]; " + carried.size()
                    + " result(s) of " + carriedUnits.size() + " unit(s) carried from baseline " + b.id());
        }
        out.flush();
        return k -> jobs.getOrDefault(k, List.of());
    }

    /**
     * After a run without failures or timeouts: every booted kernel's results become its baseline, with the vectors
     * its boots measured each unit to enter (a carried unit keeps its measurement from the baseline before).
     */
    public void keep(List<KernelOutcome> outcomes) throws IOException, InterruptedException {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (KernelOutcome o : outcomes) {
            BootKernel k = o.kernel();
            Baseline b = new Baseline(now + " " + ws.kernel() + " " + label(k),
                    Inputs.file(k.buildDir().resolve(".config")), inputs(k), fingerprints(k), image(k), o.results(),
                    measured(o, Baseline.read(dir(k)).flatMap(Baseline::measured)));
            b.write(dir(k));
        }
        out.println("change: " + outcomes.size() + " baseline(s) kept in " + root);
    }

    /**
     * The vectors each unit of an outcome entered, as its boots' interrupt logs say; the units it carried keep
     * their entries of {@code previous}. Empty when no unit was measured (the Bochs boots).
     */
    static Optional<RaisedMap> measured(KernelOutcome o, Optional<RaisedMap> previous) throws IOException {
        List<RaisedMap.Boot> boots = new ArrayList<>();
        for (BootRecord r : o.records()) {
            boots.add(RaisedMap.Boot.of(r));
        }
        RaisedMap map = RaisedMap.of(boots);
        if (previous.isPresent()) {
            Set<String> carried = new java.util.TreeSet<>();
            o.results().stream().filter(TestResult::isCarried).forEach(r -> carried.add(r.unit().id()));
            map = map.withCarried(previous.get(), carried);
        }
        return map.anyMeasured() ? Optional.of(map) : Optional.empty();
    }

    private Fingerprints fingerprints(BootKernel k) throws IOException {
        Fingerprints known = fingerprints.get(k.buildDir());
        if (known != null) {
            return known;
        }
        List<Fingerprints.Array> arrays = new ArrayList<>();
        table.stubArrays().forEach(a -> arrays.add(new Fingerprints.Array(a.name(),
                table.symbols().get(a.first()).number(), table.symbols().get(a.end()).number())));
        Fingerprints f = Fingerprints.of(vmlinux(k), arrays);
        fingerprints.put(k.buildDir(), f);
        return f;
    }

    /** SHA-256 of the kernel's bzImage. */
    private static String image(BootKernel k) throws IOException {
        return Inputs.file(k.bzImage());
    }

    private static Path vmlinux(BootKernel k) {
        return k.buildDir().resolve("vmlinux.o");
    }

    /**
     * What the verdicts of {@code k} depend on outside the kernel ({@link Inputs#parts}): the guest programs, the
     * selftests, qemu-tests/, the QEMU binaries' versions, and for a kernel booted through FRED the Bochs binary.
     */
    private Map<String, String> inputs(BootKernel k) throws IOException, InterruptedException {
        if (inputs == null) {
            Map<String, String> versions = new java.util.TreeMap<>();
            for (BootPlan.Qemu q : plan.qemu().values()) {
                versions.put(q.binary(), version(q.binary()));
            }
            inputs = Inputs.parts(Map.of("the guest programs", ws.perKernel("guest"), "the selftests",
                    ws.perKernel("selftests-x86"), "qemu-tests/", ws.project().resolve("qemu-tests")), versions);
        }
        if (k.delivery() != Delivery.FRED) {
            return inputs;
        }
        Map<String, String> fred = new java.util.TreeMap<>(inputs);
        fred.put("bochs", bochs.isPresent() && bochs.get().toFile().isFile() ? Inputs.file(bochs.get()) : "none");
        return fred;
    }

    private static String version(String binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
        String first;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            first = r.readLine();
            while (r.readLine() != null) {
                // drain
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        return binary + ": " + first;
    }
}
