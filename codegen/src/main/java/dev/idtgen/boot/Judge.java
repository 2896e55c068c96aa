package dev.idtgen.boot;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns boots into test results named after the table's handlers, the same way whether the boots just ran or
 * {@code idtgen report} reads them back: the guest's KTAP, the programs that never ran or were killed, the crash
 * boots' consoles, the clean shutdown of a two-vCPU boot, and the delivery's evidence on the console (a FRED boot
 * that ran through the IDT proves nothing). Pure: it reads {@link BootLog}s, never files.
 */
public final class Judge {

    /** The test point of the reboot vector: a boot with two or more vCPUs that shut down cleanly. */
    public static final String CLEAN_SHUTDOWN = "sysvec_reboot clean_shutdown";

    /** What in a console says a shutdown was not clean: a panic, or a CPU that did not stop. */
    public static final List<String> UNCLEAN_SHUTDOWN = List.of("Kernel panic", "failed to stop");

    private final JobPlanner planner;
    private final Map<Delivery, List<Pattern>> evidence;

    /** {@code evidence}: what every console of a delivery's boots must show (none for a delivery left out). */
    public Judge(JobPlanner planner, Map<Delivery, List<Pattern>> evidence) {
        this.planner = planner;
        this.evidence = evidence.isEmpty() ? Map.of() : new EnumMap<>(evidence);
    }

    /**
     * A kernel's results: those of its main attempt's chains of boots (re-runs are the disagreement protocol's),
     * the clean shutdown, and the results a change-aware run carried from the baseline.
     */
    public KernelOutcome outcome(BootKernel k, List<BootLog> logs, List<TestResult> carried) {
        List<BootLog> main = logs.stream().filter(l -> l.record().attempt() == 0).toList();
        List<TestResult> results = new ArrayList<>();
        for (List<BootLog> chain : BootStore.chains(main).values()) {
            results.addAll(chain(k, chain));
        }
        TestResult shutdown = cleanShutdown(main);
        // no two-vCPU boot ran this time: the last one's clean shutdown is among the carried results
        if (!(shutdown.unit() instanceof Unit.NoBoot
                && carried.stream().anyMatch(c -> c.name().equals(shutdown.name())))) {
            results.add(shutdown);
        }
        results.addAll(carried);
        return new KernelOutcome(k, results, logs.stream().map(BootLog::record).toList());
    }

    /**
     * The results of one chain of boots (a job, or one of its re-runs). Where the kernel's delivery asks for
     * evidence on the console (FRED: that FRED was initialised), a boot without it fails all it reported.
     */
    public List<TestResult> chain(BootKernel k, List<BootLog> chain) {
        List<TestResult> results = new ArrayList<>();
        BootRecord first = chain.get(0).record();
        BootLog last = chain.get(chain.size() - 1);
        if (first.crash() != null) {
            results.add(crash(k, last));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (BootLog log : chain) {
            for (Ktap.Program p : log.stream().programs()) {
                seen.add(p.name());
                results.addAll(ProgramJudge.results(p, log.record()));
            }
        }
        for (String n : first.programs()) {
            if (!seen.contains(n)) {
                results.add(neverRan(n, last.record()));
            }
        }
        return evidence(k, chain, results);
    }

    /**
     * The results of one chain of boots keyed by the units it ran (its programs, its crash mode, its group's boot
     * as a whole): what a re-run can answer for.
     */
    public Map<Unit, List<TestResult>> byUnit(BootKernel k, List<BootLog> chain) {
        Map<Unit, List<TestResult>> m = new LinkedHashMap<>();
        BootRecord first = chain.get(0).record();
        List<TestResult> rs = chain(k, chain);
        if (first.crash() != null) {
            m.put(Unit.named(first.crash()), new ArrayList<>());
        }
        for (String p : first.programs()) {
            m.put(Unit.named(p), new ArrayList<>());
        }
        if (!Unit.isSingleProgramJob(first.job())) {
            TestResult shutdown = cleanShutdown(chain);
            if (shutdown.unit().equals(Unit.group(first.job()))) {
                m.put(shutdown.unit(), new ArrayList<>(List.of(shutdown)));
            }
        }
        for (TestResult r : rs) {
            m.computeIfAbsent(r.unit(), x -> new ArrayList<>()).add(r);
        }
        return m;
    }

    private static TestResult neverRan(String program, BootRecord last) {
        return last.kill() != null
                ? result(Unit.named(program), program + " harness", Ktap.Status.TIMEOUT, "never ran: the boot before "
                + "it was killed, " + last.kill().describe() + " (" + last.dir() + ")")
                : result(Unit.named(program), program + " harness", Ktap.Status.FAIL, "never ran: the boot ended "
                + "early (" + last.console() + ")");
    }

    /**
     * The delivery's evidence: one "{@code DELIVERY active harness}" result per chain, and every PASS of a chain
     * whose boot lacks the evidence turned into a FAIL.
     */
    private List<TestResult> evidence(BootKernel k, List<BootLog> chain, List<TestResult> results) {
        List<Pattern> want = evidence.getOrDefault(k.delivery(), List.of());
        if (want.isEmpty()) {
            return results;
        }
        List<String> missing = new ArrayList<>();
        for (BootLog log : chain) {
            for (Pattern p : want) {
                if (!p.matcher(log.console()).find()) {
                    missing.add(log.record().console() + " lacks \"" + p.pattern() + "\"");
                }
            }
        }
        Unit unit = Unit.group(chain.get(0).record().job());
        String name = k.delivery().cliName() + "_active harness";
        List<TestResult> out = new ArrayList<>();
        if (missing.isEmpty()) {
            out.addAll(results);
            out.add(result(unit, name, Ktap.Status.PASS, ""));
            return out;
        }
        String why = k.delivery().name() + " was not active: " + String.join("; ", missing);
        for (TestResult r : results) {
            if (r.status() == Ktap.Status.PASS) {
                List<String> d = new ArrayList<>(r.diagnostics());
                d.add(why);
                out.add(r.judged(Ktap.Status.FAIL, "", d));
            } else {
                out.add(r);
            }
        }
        out.add(result(unit, name, Ktap.Status.FAIL, why));
        return out;
    }

    private TestResult crash(BootKernel k, BootLog log) {
        BootRecord r = log.record();
        BootPlan.Crash c = planner.plan(k).crashes().stream().filter(x -> x.mode().equals(r.crash())
                && x.arches().contains(r.arch())).findFirst().orElse(null);
        Unit unit = Unit.named(r.crash());
        if (c == null) {
            return result(unit, r.crash(), Ktap.Status.FAIL, r.dir() + ": crash mode " + r.crash()
                    + " is not in the boot plan for " + r.arch().yamlName());
        }
        String text = log.console();
        if (c.skipWhen() != null && c.skipWhen().matcher(text).find()) {
            return new TestResult(unit, 0, c.test(), Ktap.Status.SKIP, c.skipReason(), List.of());
        }
        List<String> missing = c.expect().stream().filter(p -> !p.matcher(text).find()).map(Pattern::pattern)
                .toList();
        if (!missing.isEmpty() && r.kill() != null) {
            return result(unit, c.test(), Ktap.Status.TIMEOUT, r.kill().describe() + " (" + r.console() + ")");
        }
        return result(unit, c.test(), missing.isEmpty() ? Ktap.Status.PASS : Ktap.Status.FAIL,
                missing.isEmpty() ? "" : "the console of the " + c.mode() + " boot lacks " + missing + " ("
                        + r.console() + ")");
    }

    /** The clean shutdown: a boot with two or more vCPUs that ran to its end and shut down cleanly. */
    static TestResult cleanShutdown(List<BootLog> logs) {
        List<BootLog> smp = logs.stream().filter(l -> l.record().crash() == null && l.record().cpus() >= 2)
                .toList();
        if (smp.isEmpty()) {
            return new TestResult(new Unit.NoBoot(), 0, CLEAN_SHUTDOWN, Ktap.Status.SKIP,
                    "no boot with two vCPUs ran", List.of());
        }
        Unit unit = Unit.group(smp.get(0).record().job());
        for (BootLog l : smp) {
            if (l.record().kill() == null && l.stream().done()
                    && UNCLEAN_SHUTDOWN.stream().noneMatch(l.console()::contains)) {
                return result(unit, CLEAN_SHUTDOWN, Ktap.Status.PASS, "");
            }
        }
        BootRecord last = smp.get(smp.size() - 1).record();
        return last.kill() != null ? result(unit, CLEAN_SHUTDOWN, Ktap.Status.TIMEOUT, last.kill().describe())
                : result(unit, CLEAN_SHUTDOWN, Ktap.Status.FAIL, "no two-vCPU boot ran to its end and shut down "
                + "cleanly (see " + last.console() + ")");
    }

    /** A host-side result: TIMEOUT keeps its reason, every other status its diagnostics. */
    static TestResult result(Unit unit, String name, Ktap.Status status, String why) {
        return new TestResult(unit, 0, name, status, status == Ktap.Status.TIMEOUT ? why : "",
                why.isEmpty() ? List.of() : List.of(why));
    }
}
