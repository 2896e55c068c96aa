package dev.idtgen.boot;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.change.Baseline;
import dev.idtgen.change.RaisedMap;
import dev.idtgen.change.RetestRule;
import dev.idtgen.cli.Main;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.report.Verdicts;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.ChangeAware;
import dev.idtgen.run.MainJob;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change-aware run is sound (issue 13): on CustomVectorIT's 6.12 x86_64
 * tiny tree, a kernel booted with five programs and its crash boots becomes
 * the baseline, then four real changes are built and compared with it.
 * <ul>
 * <li>One instruction added to one stub (asm_exc_bounds): exactly vector
 * 0x05 changed; the boots re-run the units that test 0x05 and the gate
 * sweep, every other result is carried and marked with the baseline, in the
 * outcome, the verdict cells, report.md and junit.xml. The two selftests,
 * which the declared rules re-ran for every exception, are carried: the
 * baseline's measured map says neither entered 0x05.</li>
 * <li>One instruction added to the #DB stub (asm_exc_debug): the selftest
 * the map measured entering 0x01 (single_step_syscall) re-runs, the one that
 * never entered it (sigreturn) is carried.</li>
 * <li>A template change that touches every stub: every unit re-runs, nothing
 * is carried.</li>
 * <li>A changed C handler (an instruction added to exc_bounds in traps.c, no line moved): exactly 0x05.</li>
 * <li>A changed .config: everything re-runs.</li>
 * </ul>
 */
@Tag("slow")
class ChangeAwareIT {

    static final Path WORK = CustomVectorIT.WORK;
    static final String KERNEL = CustomVectorIT.KERNEL;
    static final Path OVERLAY = CustomVectorIT.FIXTURE.resolve("overlay.yaml");
    static final String SINGLE_STEP = "ksft_single_step_syscall-64";
    static final String SIGRETURN = "ksft_sigreturn-64";
    static final List<String> PROGRAMS = List.of("audit-64", "sweep-32", "sweep-64", "traps-32", "traps-64",
            SIGRETURN, SINGLE_STEP);
    static final String STUB = "arch/x86/entry/idtentry_64.S";
    static final String STUB_CALL = "\tcall\texc_bounds\n";
    static final String DEBUG_CALL = "\tcall\texc_debug\n";
    static final String HANDLER = "DEFINE_IDTENTRY(exc_bounds)\n{\n";
    static final String PLAIN = "{handler: exc_bounds, vector: X86_TRAP_BR, number: 5, kind: plain,";
    static final String IDTENTRY_LIST = "arch/x86/include/asm/idtentry_list.h";

    /** The kernel booted with {@link #PROGRAMS} only (and its crash boots): the test's budget. */
    static BootKernel restricted(BootKernel k) {
        return new BootKernel(k.tag(), k.arch(), k.variant(), k.profile(), k.bzImage(), k.buildDir(),
                k.compiledIn(), PROGRAMS, k.dir(), k.delivery());
    }

    @Test
    void aChangeReTestsWhatItsBytesReachAndCarriesTheRestMarked() throws Exception {
        Setup s = Setup.make();
        KernelOutcome o0 = baseline(s);
        Baseline base = Baseline.read(s.changeAware().dir(o0.kernel())).orElseThrow();
        theMapHoldsWhatTheEditsRelyOn(base, s.out());
        nothingChangedBootsNothing(s, o0.results().size());
        oneStubInstruction(s, o0, base.id());
        // 1b. one instruction in the #DB stub: the selftest that entered #DB re-runs, the other is carried
        debugStubEdit(s.b(), s.suite(), base, o0.results().size());
        aTemplateChangeRerunsEverything(s);
        aHandlerChangeRetestsItsVector(s);
        aConfigChangeRerunsEverything(s);
    }

    /** The kernel, its pipeline and the baselines' directory (emptied) the steps share. */
    record Setup(CustomVectorIT.Built b, Workspace ws, VectorTable table, PrintWriter out, Path baselines,
                 BootPlan plan, BootPipeline suite, Path guests, KernelBuilder kb, Path generated) {

        static Setup make() throws Exception {
            CustomVectorIT.Built b = CustomVectorIT.build();
            Path baselines = WORK.resolve("change-baselines");
            deleteTree(baselines);
            BootPlan plan = BootPlan.load(Path.of(MainJob.PLAN));
            BootPipeline suite = BootPipelines.create(b.ws(), b.table().table(), plan, System.getenv(), b.out())
                    .pipeline();
            return new Setup(b, b.ws(), b.table().table(), b.out(), baselines, plan, suite, suite.guests(),
                    new KernelBuilder(b.ws(), b.out()), WORK.resolve("generated").resolve(KERNEL));
        }

        ChangeAware changeAware() {
            return new ChangeAware(ws, table, plan, java.util.Optional.empty(), out, baselines);
        }

        /** The generated kernel built from {@code generatedDir}, ready to boot with {@link #PROGRAMS}. */
        BootKernel build(Path generatedDir) throws Exception {
            return restricted(suite.kernels().kernel(kb.build(Variant.GENERATED, Arch.X86_64, Profile.TINY,
                    generatedDir), guests));
        }

        /** The unedited kernel made ready to boot again (its boot directory emptied, as every run does). */
        BootKernel unedited() throws Exception {
            return restricted(suite.kernels().kernel(b.kernel(), guests));
        }

        BootStage.StageResult boot(BootKernel k, ChangeAware ca, List<ChangeAware.Decision> d) throws Exception {
            return new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(List.of(k),
                    a -> new BootStage.Identity(false, "one kernel, no pair"), ca.selection(suite, d));
        }
    }

    /** The baseline: every boot of the unedited kernel, which passes, kept. */
    private static KernelOutcome baseline(Setup s) throws Exception {
        BootKernel k0 = s.unedited();
        ChangeAware first = s.changeAware();
        List<ChangeAware.Decision> d0 = first.compare(List.of(k0));
        assertTrue(d0.get(0).baseline().isEmpty());
        BootStage.StageResult st0 = s.boot(k0, first, d0);
        KernelOutcome o0 = st0.outcomes().get(0);
        assertEquals(List.of(), o0.results().stream().filter(r -> r.status() == Ktap.Status.FAIL
                || r.status() == Ktap.Status.TIMEOUT).toList());
        assertTrue(o0.results().stream().noneMatch(TestResult::isCarried), "a first run carries nothing");
        assertEquals(Set.of("crash-bug", "crash-df", "crash-mce"), units(o0.results()).stream()
                .filter(u -> u.startsWith("crash-")).collect(Collectors.toSet()));
        first.keep(st0.outcomes());
        return o0;
    }

    /**
     * 0. Nothing changed, and the kernel is the very image the baseline booted: nothing boots. A table edit that
     * changes no byte (exc_bounds plain to raw: other macros, the same code): nothing boots either.
     */
    private static void nothingChangedBootsNothing(Setup s, int results) throws Exception {
        nothingBoots(s.suite(), s.changeAware(), s.unedited(), results);
        Path tableEdit = WORK.resolve("change-table");
        Path editedTable = Files.createDirectories(WORK).resolve("change-table.yaml");
        String vectors = Files.readString(Path.of("vectors.yaml"), StandardCharsets.UTF_8);
        assertTrue(vectors.contains(PLAIN), "the edit's anchor is gone from vectors.yaml: " + PLAIN);
        Files.writeString(editedTable, vectors.replace(PLAIN, PLAIN.replace("kind: plain", "kind: raw")));
        assertEquals(0, Main.run("generate", "-q", "--vectors", editedTable.toString(), "--overlay",
                OVERLAY.toString(), "--out", tableEdit.toString()));
        assertFalse(Arrays.equals(Files.readAllBytes(s.generated().resolve(IDTENTRY_LIST)),
                Files.readAllBytes(tableEdit.resolve(KERNEL).resolve(IDTENTRY_LIST))), "the edit changes the source");
        nothingBoots(s.suite(), s.changeAware(), s.build(tableEdit.resolve(KERNEL)), results);
    }

    /** 1. One instruction in one stub: exactly 0x05, its units re-run, the rest carried and shown so. */
    private static void oneStubInstruction(Setup s, KernelOutcome o0, String id) throws Exception {
        Path stubEdit = WORK.resolve("change-stub");
        copyTree(s.generated(), stubEdit);
        String stub = Files.readString(stubEdit.resolve(STUB), StandardCharsets.UTF_8);
        assertEquals(stub.indexOf(STUB_CALL), stub.lastIndexOf(STUB_CALL), "one call of exc_bounds in " + STUB);
        Files.writeString(stubEdit.resolve(STUB), stub.replace(STUB_CALL, "\tnop\n" + STUB_CALL));
        BootKernel k1 = s.build(stubEdit);
        ChangeAware second = s.changeAware();
        List<ChangeAware.Decision> d1 = second.compare(List.of(k1));
        assertEquals(List.of(), d1.get(0).everything());
        assertEquals(Set.of(0x05), d1.get(0).change().vectors().keySet(), d1.get(0).describe());
        BootStage.StageResult st1 = s.boot(k1, second, d1);
        KernelOutcome o1 = st1.outcomes().get(0);
        Set<String> fresh = units(o1.results().stream().filter(r -> !r.isCarried()).toList());
        Set<String> carried = units(o1.results().stream().filter(TestResult::isCarried).toList());
        fresh.removeIf(u -> u.startsWith("@"));
        // the sweep always; audit-64 names vector_0x05; traps-32 raises #BR (bound); traps-64 reports its #BR case
        assertEquals(new TreeSet<>(List.of("audit-64", "sweep-32", "sweep-64", "traps-32", "traps-64")), fresh,
                o1.results().stream().filter(r -> !r.isCarried()).map(r -> r.unit().id()).distinct().toList()
                        .toString());
        assertEquals(new TreeSet<>(List.of("crash-bug", "crash-df", "crash-mce", SIGRETURN, SINGLE_STEP)), carried);
        for (TestResult r : o1.results()) {
            if (r.isCarried()) {
                assertEquals(id, r.carried(), r.toString());
            }
        }
        assertEquals(o0.results().size(), o1.results().size(), "every baseline result is either re-run or carried");
        assertEquals(List.of(), o1.results().stream().filter(r -> r.status() == Ktap.Status.FAIL
                || r.status() == Ktap.Status.TIMEOUT).toList());
        carriedIsShownAsCarried(s, st1, id);
    }

    /** Carried verdicts are shown as carried, fresh ones are not: cells, junit.xml, report.md. */
    private static void carriedIsShownAsCarried(Setup s, BootStage.StageResult st1, String id) throws Exception {
        MainJob.RunReport report = MainJob.report(s.ws(), s.table(), st1, List.of(Arch.X86_64), System.getenv());
        Verdicts.Cell bounds = cell(report, "exc_bounds");
        assertEquals(Verdicts.Verdict.PASS, bounds.verdict());
        assertFalse(bounds.detail().contains("carried"), bounds.detail());
        Verdicts.Cell df = cell(report, "exc_double_fault");
        assertTrue(df.detail().endsWith("carried from " + id), df.detail());
        String junit = Files.readString(report.reports().resolve("junit.xml"), StandardCharsets.UTF_8);
        String dfCase = junit.lines().filter(l -> l.contains("name=\"exc_double_fault\"")).findFirst().orElseThrow();
        assertTrue(dfCase.contains("<system-out>carried from " + id), dfCase);
        String boundsCase = junit.lines().filter(l -> l.contains("name=\"exc_bounds\"")).findFirst().orElseThrow();
        assertFalse(boundsCase.contains("carried"), boundsCase);
        assertTrue(Files.readString(report.reports().resolve("report.md"), StandardCharsets.UTF_8)
                .contains("carried from " + id));
    }

    /** 2. A template change that touches every stub: everything re-runs. */
    private static void aTemplateChangeRerunsEverything(Setup s) throws Exception {
        Path templates = WORK.resolve("change-templates");
        copyTree(Path.of("templates"), templates);
        String t = Files.readString(templates.resolve("idtentry_64.S.j2"), StandardCharsets.UTF_8);
        assertTrue(t.contains("{{ ASM_CLAC() }}\n"));
        Files.writeString(templates.resolve("idtentry_64.S.j2"), t.replace("{{ ASM_CLAC() }}\n",
                "{{ ASM_CLAC() }}\n\tnop\n"));
        Path templateEdit = WORK.resolve("change-template");
        assertEquals(0, Main.run("generate", "-q", "--vectors", "vectors.yaml", "--overlay", OVERLAY.toString(),
                "--templates", templates.toString(), "--out", templateEdit.toString()));
        everythingRuns(s.suite(), s.changeAware(), s.build(templateEdit.resolve(KERNEL)), null);
    }

    /** 3. A changed C handler: its vector. */
    private static void aHandlerChangeRetestsItsVector(Setup s) throws Exception {
        Path traps = s.ws().source(Variant.GENERATED).resolve("arch/x86/kernel/traps.c");
        byte[] original = Files.readAllBytes(traps);
        try {
            String c = new String(original, StandardCharsets.UTF_8);
            assertEquals(c.indexOf(HANDLER), c.lastIndexOf(HANDLER), "one exc_bounds handler in traps.c");
            assertTrue(c.contains(HANDLER));
            // on the handler's first line: a line more would move every later WARN/BUG site of traps.c, whose
            // __bug_table line numbers are data no symbol holds (everything re-runs then; README)
            Files.writeString(traps, c.replace(HANDLER, HANDLER.substring(0, HANDLER.length() - 1)
                    + "\tasm volatile(\"nop\");\n"));
            ChangeAware.Decision d3 = s.changeAware().compare(List.of(s.build(s.generated()))).get(0);
            assertEquals(List.of(), d3.everything());
            // exactly 0x05: the functions after it moved, and the calls gas resolved without a relocation count
            // by their targets (without that, 12 vectors on 6.12)
            assertEquals(Set.of(0x05), d3.change().vectors().keySet(), d3.describe());
        } finally {
            Files.write(traps, original);
            Files.setLastModifiedTime(traps, FileTime.fromMillis(System.currentTimeMillis()));
        }
    }

    /** 4. A changed .config: everything re-runs (the kernel is not rebuilt: the comparison reads the file). */
    private static void aConfigChangeRerunsEverything(Setup s) throws Exception {
        BootKernel k4 = s.build(s.generated());
        Path config = k4.buildDir().resolve(".config");
        byte[] cfg = Files.readAllBytes(config);
        FileTime cfgTime = Files.getLastModifiedTime(config);
        try {
            String text = new String(cfg, StandardCharsets.UTF_8);
            assertTrue(text.contains("\nCONFIG_LOCALVERSION=\"\"\n"));
            Files.writeString(config, text.replace("\nCONFIG_LOCALVERSION=\"\"\n", "\nCONFIG_LOCALVERSION=\"-x\"\n"));
            everythingRuns(s.suite(), s.changeAware(), k4, "the .config changed");
        } finally {
            Files.write(config, cfg);
            Files.setLastModifiedTime(config, cfgTime);
        }
    }

    /** The baseline has a measured map, and it says what the edits below rely on. */
    private static void theMapHoldsWhatTheEditsRelyOn(Baseline base, PrintWriter out) {
        RaisedMap map = base.measured().orElseThrow(() -> new AssertionError("the baseline has no measured map"));
        map.describe().forEach(l -> out.println("measured: " + l));
        // the map the #DB edit below relies on: single_step_syscall enters #DB, sigreturn never does, and no boot
        // enters #DB or #BR outside its programs
        assertTrue(vectors(map, SINGLE_STEP).contains(0x01), map.describe().toString());
        assertFalse(vectors(map, SIGRETURN).contains(0x01), map.describe().toString());
        for (String u : List.of(SIGRETURN, SINGLE_STEP)) {
            assertFalse(vectors(map, u).contains(0x05), u + " " + vectors(map, u));
        }
        map.boots().forEach((name, e) -> {
            Set<Integer> init = ((RaisedMap.Measured) e.init()).vectors();
            assertFalse(init.contains(0x01) || init.contains(0x05), name + " " + init);
        });
    }

    /** One instruction in the #DB stub: the selftest the map saw entering #DB re-runs, the other is carried. */
    private static void debugStubEdit(CustomVectorIT.Built b, BootPipeline suite, Baseline base, int baselineResults)
            throws Exception {
        Workspace ws = b.ws();
        VectorTable table = b.table().table();
        PrintWriter out = b.out();
        BootPlan plan = suite.plan();
        Path guests = suite.guests();
        Path generated = WORK.resolve("generated").resolve(KERNEL);
        BootStage.IdentityCheck single = a -> new BootStage.Identity(false, "one kernel, no pair");
        KernelBuilder kb = new KernelBuilder(ws, out);
        Path baselines = WORK.resolve("change-baselines");
        Path debugEdit = WORK.resolve("change-stub-debug");
        copyTree(generated, debugEdit);
        String db = Files.readString(debugEdit.resolve(STUB), StandardCharsets.UTF_8);
        assertEquals(db.indexOf(DEBUG_CALL), db.lastIndexOf(DEBUG_CALL), "one call of exc_debug in " + STUB);
        Files.writeString(debugEdit.resolve(STUB), db.replace(DEBUG_CALL, "\tnop\n" + DEBUG_CALL));
        BootKernel k1b = restricted(suite.kernels().kernel(kb.build(Variant.GENERATED, Arch.X86_64, Profile.TINY,
                debugEdit), guests));
        ChangeAware third = new ChangeAware(ws, table, plan, java.util.Optional.empty(), out, baselines);
        List<ChangeAware.Decision> d1b = third.compare(List.of(k1b));
        assertEquals(Set.of(0x01), d1b.get(0).change().vectors().keySet(), d1b.get(0).describe());
        RetestRule.Plan p1b = RetestRule.load(Path.of(RetestRule.FILE), table).plan(Set.of(0x01),
                suite.planner().programs(k1b), suite.planner().crashModes(k1b), p -> suite.planner().group(k1b, p),
                base.results(), table, base.measured());
        assertEquals("entered 0x01 (measured)", p1b.programs().get(SINGLE_STEP), p1b.toString());
        assertFalse(p1b.programs().containsKey(SIGRETURN), p1b.toString());
        KernelOutcome o1b = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(List.of(k1b), single,
                third.selection(suite, d1b)).outcomes().get(0);
        Set<String> fresh1b = units(o1b.results().stream().filter(r -> !r.isCarried()).toList());
        Set<String> carried1b = units(o1b.results().stream().filter(TestResult::isCarried).toList());
        assertTrue(fresh1b.contains(SINGLE_STEP) && !fresh1b.contains(SIGRETURN), fresh1b.toString());
        assertTrue(carried1b.contains(SIGRETURN) && !carried1b.contains(SINGLE_STEP), carried1b.toString());
        assertEquals(baselineResults, o1b.results().size(), "every baseline result is either re-run or carried");
        assertEquals(List.of(), o1b.results().stream().filter(r -> r.status() == Ktap.Status.FAIL
                || r.status() == Ktap.Status.TIMEOUT).toList());

    }

    /** The change re-runs every unit: the selection is every boot, nothing is carried. */
    /**
     * {@code k} compared with the baseline: no vector changed and its bzImage is the one the baseline booted, so
     * no boot runs and every one of the baseline's {@code results} results is carried.
     */
    private static void nothingBoots(BootPipeline suite, ChangeAware ca, BootKernel k, int results) throws Exception {
        ChangeAware.Decision d = ca.compare(List.of(k)).get(0);
        assertEquals(List.of(), d.everything(), d.describe());
        assertTrue(d.change().unchanged(), d.describe());
        assertTrue(d.sameImage(), d.describe());
        BootStage.StageResult st = new BootStage(suite, Scheduler.forHost(System.getenv()), new PrintWriter(
                System.out, true)).run(List.of(k), a -> new BootStage.Identity(false, "one kernel"),
                ca.selection(suite, List.of(d)));
        assertEquals(0, st.boots(), "nothing boots");
        KernelOutcome o = st.outcomes().get(0);
        assertEquals(results, o.results().size(), "every result of the baseline, carried");
        assertTrue(o.results().stream().allMatch(TestResult::isCarried), "all carried");
    }

    private static void everythingRuns(BootPipeline suite, ChangeAware ca, BootKernel k, String why)
            throws Exception {
        ChangeAware.Decision d = ca.compare(List.of(k)).get(0);
        if (why != null) {
            assertTrue(d.everything().contains(why), d.describe());
        }
        List<BootJob> jobs = ca.selection(suite, List.of(d)).jobs(k);
        assertEquals(suite.planner().allJobs(k), jobs, d.describe());
        assertEquals(List.of(), BootStore.carried(k), d.describe());
    }

    /** The vectors the map measured {@code unit} entering (it must be measured). */
    private static Set<Integer> vectors(RaisedMap map, String unit) {
        RaisedMap.UnitEntry e = map.units().get(unit);
        assertTrue(e != null && e.measure() instanceof RaisedMap.Measured, unit + ": " + e);
        return ((RaisedMap.Measured) e.measure()).vectors();
    }

    private static Verdicts.Cell cell(MainJob.RunReport r, String handler) {
        return r.rows().stream().filter(x -> x.entry().handler().equals(handler)).findFirst().orElseThrow()
                .cell(Arch.X86_64, Variant.GENERATED);
    }

    private static Set<String> units(List<TestResult> rs) {
        return rs.stream().map(r -> r.unit().id()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        deleteTree(to);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
