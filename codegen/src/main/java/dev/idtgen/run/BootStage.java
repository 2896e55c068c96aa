package dev.idtgen.run;

import dev.idtgen.boot.TestResult;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.boot.BootRecord;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.BootJob;
import dev.idtgen.boot.KernelOutcome;
import dev.idtgen.boot.BootStore;
import dev.idtgen.boot.Unit;
import dev.idtgen.boot.TestKey;
import dev.idtgen.edit.EditedTests;
import dev.idtgen.boot.BootLog;
import dev.idtgen.boot.Scheduler;
import dev.idtgen.boot.Delivery;
import dev.idtgen.boot.SharedImage;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The boot-test stage: every boot of every kernel through the scheduler
 * (in parallel, as many vCPUs as the host has cores), then the disagreement
 * protocol where a stock and a generated kernel of one arch disagree while
 * their entry code is proven identical. {@link #assemble} turns the saved
 * boot records into the final outcomes and notes, the same way after a run
 * and for {@code idtgen report}.
 */
public record BootStage(BootPipeline suite, Scheduler scheduler, PrintWriter out) {

    /**
     * Whether the two kernels of an arch have byte-identical entry code (outside what the table's edit changes),
     * what says so, and the tests about the edit's vectors, which the protocol leaves out.
     */
    public record Identity(boolean identical, String detail, EditedTests edited) {

        public Identity(boolean identical, String detail) {
            this(identical, detail, EditedTests.NONE);
        }
    }

    /** Computes an arch's identity when the protocol needs it. */
    public interface IdentityCheck {
        Identity check(Arch arch) throws Exception;
    }

    /** The final outcomes, the protocol's notes, and the stage's figures. */
    public record StageResult(List<KernelOutcome> outcomes, List<DisagreementProtocol.Note> notes,
                         Map<Arch, Identity> identity, double wallSeconds, double bootSeconds, int boots,
                         double rerunWallSeconds, List<SharedImage> shared) {
    }


    /** Boots every kernel, runs the protocol, and assembles the results. */
    public StageResult run(List<BootKernel> kernels, IdentityCheck identity) throws IOException,
            InterruptedException {
        return run(kernels, identity, suite.planner()::allJobs);
    }

    /** Which boots a kernel gets. */
    public interface JobSelection {
        List<BootJob> jobs(BootKernel k) throws IOException;
    }

    /** As {@link #run(List, IdentityCheck)}, with only the boots {@code select} gives each kernel. */
    public StageResult run(List<BootKernel> kernels, IdentityCheck identity, JobSelection select)
            throws IOException, InterruptedException {
        return run(kernels, identity, select, List.of());
    }

    /**
     * As {@link #run(List, IdentityCheck, JobSelection)}; each kernel {@code shared} credits is not booted: it gets
     * the results of the kernel whose image is identical to its own.
     */
    public StageResult run(List<BootKernel> kernels, IdentityCheck identity, JobSelection select,
                           List<SharedImage> shared) throws IOException, InterruptedException {
        for (Pair p : pairs(kernels)) {
            Files.deleteIfExists(p.stock().dir().getParent().resolve(compareFile(p)));
        }
        Set<BootKernel> credited = new java.util.HashSet<>();
        for (SharedImage s : shared) {
            BootStore.share(s);
            credited.add(s.credited());
            out.println("qemu: " + s.line());
        }
        List<BootJob> jobs = new ArrayList<>();
        for (BootKernel k : kernels) {
            if (!credited.contains(k)) {
                jobs.addAll(select.jobs(k));
            }
        }
        out.printf("qemu: %d boots of %d kernels, up to %d vCPUs at a time%n", jobs.size(), kernels.size(),
                scheduler.cores());
        out.flush();
        Path timings = suite.timingsFile();
        Map<String, Double> expected = loadTimings(timings);
        long t0 = System.nanoTime();
        List<List<BootRecord>> done = scheduler.run(jobs, j -> expected.getOrDefault(timingKey(j), j.budget()),
                suite.runner()::execute);
        double wall = (System.nanoTime() - t0) / 1e9;
        for (List<BootRecord> chain : done) {
            if (!chain.isEmpty()) {
                expected.put(timingKey(chain.get(0)), chain.stream().mapToDouble(BootRecord::seconds).sum());
            }
        }
        saveTimings(timings, expected);
        long t1 = System.nanoTime();
        Map<Arch, Identity> ids = new LinkedHashMap<>();
        boolean rerun = false;
        for (Pair p : pairs(kernels)) {
            rerun |= protocol(p, identity, ids);
        }
        double rerunWall = rerun ? (System.nanoTime() - t1) / 1e9 : 0;
        StageResult r = assemble(suite, kernels);
        return new StageResult(r.outcomes(), r.notes(), ids, wall + rerunWall, r.bootSeconds(), r.boots(), rerunWall,
                r.shared());
    }

    /**
     * The disagreement protocol's boots for one pair: when stock and generated disagree on a test and their entry
     * code is proven identical, each disagreeing unit is booted again {@code reruns} more times on each kernel,
     * alternating. Records the pair's identity in {@code ids}; true when anything was re-run.
     */
    private boolean protocol(Pair p, IdentityCheck identity, Map<Arch, Identity> ids) throws IOException,
            InterruptedException {
        List<TestKey> all = DisagreementProtocol.disagreeing(suite.outcome(p.stock(), records(p.stock()))
                .results(), suite.outcome(p.generated(), records(p.generated())).results());
        if (all.isEmpty()) {
            return false;
        }
        Identity id;
        try {
            id = identity.check(p.arch());
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            id = new Identity(false, "could not compare: " + e.getMessage());
        }
        ids.put(p.arch(), id);
        saveIdentity(p.stock().dir().getParent().resolve(compareFile(p)), id);
        List<TestKey> keys = notEdited(all, id);
        if (keys.isEmpty()) {
            return false;
        }
        Set<Unit> units = new LinkedHashSet<>();
        keys.forEach(k -> units.add(k.unit()));
        int reruns = suite.plan().limits().reruns();
        out.printf("qemu: %s: stock and generated disagree on %d test(s) in %s; entry code %s%n",
                p.arch().yamlName(), keys.size(), units.stream().map(Unit::id).toList(), id.identical()
                        ? "proven identical (" + id.detail() + "): re-running them " + reruns
                        + " more times on each kernel, alternating"
                        : "not proven identical (" + id.detail() + "): no re-runs, the difference stands");
        out.flush();
        if (!id.identical()) {
            return false;
        }
        List<BootJob> again = new ArrayList<>();
        for (int a = 1; a <= reruns; a++) {
            for (Unit u : units) {
                for (BootKernel k : List.of(p.stock(), p.generated())) {
                    Optional<BootJob> j = suite.planner().rerunJob(k, u, a);
                    j.ifPresent(again::add);
                }
            }
        }
        scheduler.run(again, suite.runner()::execute);
        return true;
    }

    /**
     * The scheduler's expectation of a job: its wall time in the last stage that ran it (the budgets are limits,
     * far above what most programs need), kept in {@code work/boot/timings.yaml}.
     */
    private static String timingKey(BootJob j) {
        return j.kernel().tag() + " " + j.name() + (j.crash() == null ? "" : "+" + j.crash().mode());
    }

    private static String timingKey(BootRecord r) {
        return r.kernel() + " " + r.job() + (r.crash() == null ? "" : "+" + r.crash());
    }

    private static Map<String, Double> loadTimings(Path f) throws IOException {
        Map<String, Double> m = new java.util.TreeMap<>();
        if (Files.exists(f)) {
            // the scheduler's expectations only: a value that is not a number is no expectation
            ConfigNode doc = YamlDoc.readAny(f);
            if (doc.isMap()) {
                for (var e : doc.asMap().values().entrySet()) {
                    if (e.getValue().plain() instanceof Number n) {
                        m.put(e.getKey(), n.doubleValue());
                    }
                }
            }
        }
        return m;
    }

    private static void saveTimings(Path f, Map<String, Double> m) throws IOException {
        Files.createDirectories(f.getParent());
        Map<String, Object> rounded = new java.util.TreeMap<>();
        m.forEach((k, v) -> rounded.put(k, Math.round(v * 10) / 10.0));
        dev.idtgen.io.YamlFiles.write(f, rounded);
    }

    /** A stock and a generated kernel of one arch, profile and delivery. */
    record Pair(Arch arch, BootKernel stock, BootKernel generated) {
    }

    static List<Pair> pairs(List<BootKernel> kernels) {
        List<Pair> pairs = new ArrayList<>();
        for (BootKernel s : kernels) {
            if (s.variant() != Variant.STOCK) {
                continue;
            }
            for (BootKernel g : kernels) {
                if (g.variant() == Variant.GENERATED && g.arch() == s.arch() && g.profile() == s.profile()
                        && g.delivery() == s.delivery()) {
                    pairs.add(new Pair(s.arch(), s, g));
                }
            }
        }
        return pairs;
    }

    private static List<BootRecord> records(BootKernel k) throws IOException {
        return BootStore.records(k);
    }

    /**
     * The final outcomes from the saved boot records: each kernel's main boots, and, where its pair disagreed
     * and re-runs were made, the protocol's judgement from them.
     */
    public static StageResult assemble(BootPipeline suite, List<BootKernel> kernels) throws IOException {
        Map<BootKernel, KernelOutcome> outcomes = new LinkedHashMap<>();
        List<SharedImage> shared = new ArrayList<>();
        double bootSeconds = 0;
        int boots = 0;
        for (BootKernel k : kernels) {
            List<BootRecord> rs = records(k);
            outcomes.put(k, suite.outcome(k, rs));
            Optional<SharedImage> s = BootStore.shared(k);
            if (s.isPresent()) {
                shared.add(s.get());
                continue; // its boots are counted with the kernel that ran them
            }
            for (BootRecord r : rs) {
                bootSeconds += r.seconds();
                boots++;
            }
        }
        List<DisagreementProtocol.Note> notes = new ArrayList<>();
        Map<Arch, Identity> ids = new LinkedHashMap<>();
        for (Pair p : pairs(kernels)) {
            KernelOutcome s = outcomes.get(p.stock());
            KernelOutcome g = outcomes.get(p.generated());
            List<TestKey> keys = DisagreementProtocol.disagreeing(s.results(), g.results());
            Identity id = loadIdentity(p.stock().dir().getParent().resolve(compareFile(p)));
            if (id != null) {
                ids.put(p.arch(), id);
                keys = notEdited(keys, id);
            }
            if (keys.isEmpty() || id == null || !id.identical()) {
                continue;
            }
            Map<TestKey, List<TestResult>> sSamples = samples(suite, p.stock(), s.results(), keys);
            Map<TestKey, List<TestResult>> gSamples = samples(suite, p.generated(), g.results(), keys);
            Map<TestKey, DisagreementProtocol.Note> judged = new LinkedHashMap<>();
            for (TestKey key : keys) {
                List<String> ss = sSamples.get(key).stream().map(DisagreementProtocol::sample).toList();
                List<String> gs = gSamples.get(key).stream().map(DisagreementProtocol::sample).toList();
                if (ss.size() < 2 && gs.size() < 2) {
                    continue; // nothing was re-run for it
                }
                DisagreementProtocol.Note n = DisagreementProtocol.judge(p.arch().yamlName(), key, ss, gs);
                judged.put(key, n);
                notes.add(n);
            }
            outcomes.put(p.stock(), new KernelOutcome(p.stock(), DisagreementProtocol.apply(s.results(),
                    sSamples, judged, true), s.records()));
            outcomes.put(p.generated(), new KernelOutcome(p.generated(), DisagreementProtocol.apply(
                    g.results(), gSamples, judged, false), g.records()));
        }
        return new StageResult(new ArrayList<>(outcomes.values()), notes, ids, 0, bootSeconds, boots, 0, shared);
    }

    /** For each key: the main run's result, then each re-run's (null when a re-run of its unit lacked it). */
    private static Map<TestKey, List<TestResult>> samples(BootPipeline suite, BootKernel k,
                                                           List<TestResult> main, List<TestKey> keys)
            throws IOException {
        Map<TestKey, TestResult> mainKeyed = DisagreementProtocol.keyed(main);
        Map<TestKey, List<TestResult>> samples = new LinkedHashMap<>();
        for (TestKey key : keys) {
            List<TestResult> l = new ArrayList<>();
            l.add(mainKeyed.get(key));
            samples.put(key, l);
        }
        List<BootRecord> reruns = records(k).stream().filter(r -> r.attempt() > 0).toList();
        for (List<BootLog> chain : BootStore.chains(BootStore.logs(reruns)).values()) {
            Map<Unit, List<TestResult>> byUnit = suite.judge().byUnit(k, chain);
            for (TestKey key : keys) {
                List<TestResult> unitResults = byUnit.get(key.unit());
                if (unitResults != null) {
                    samples.get(key).add(DisagreementProtocol.keyed(unitResults).get(key));
                }
            }
        }
        return samples;
    }

    /** Where a pair's identity is kept, beside its kernels' directories (one file per delivery). */
    /** The disagreeing tests that are not about a vector the table's edit changes. */
    private static List<TestKey> notEdited(List<TestKey> keys, Identity id) {
        return keys.stream().filter(k -> !id.edited().covers(k.name())).toList();
    }

    private static String compareFile(Pair p) {
        return p.stock().delivery() == Delivery.IDT ? "compare.yaml"
                : "compare-" + p.stock().delivery().cliName() + ".yaml";
    }

    private static void saveIdentity(Path f, Identity id) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identical", id.identical());
        m.put("detail", id.detail());
        m.put("edited", id.edited().names());
        Files.writeString(f, new Dump(DumpSettings.builder().build()).dumpToString(m),
                StandardCharsets.UTF_8);
    }

    private static Identity loadIdentity(Path f) throws IOException {
        if (!Files.exists(f)) {
            return null;
        }
        MapNode m = YamlDoc.read(f);
        return new Identity(m.bool("identical"), m.string("detail"), m.has("edited")
                ? EditedTests.fromNames(m.list("edited").strings()) : EditedTests.NONE);
    }
}
