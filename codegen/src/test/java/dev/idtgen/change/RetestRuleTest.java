package dev.idtgen.change;

import dev.idtgen.boot.TestResult;
import dev.idtgen.model.VectorTable;
import dev.idtgen.boot.Ktap;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project's re-test rule (qemu-tests/change.yaml) on a baseline shaped like a real 6.1 x86_64 run's. */
class RetestRuleTest {

    private static VectorTable table;
    private static RetestRule rule;

    private static final List<String> PROGRAMS = List.of("audit-64", "irqs-64", "kernel-64", "mce-64", "nmi-64",
            "sweep-32", "sweep-64", "traps-32", "traps-64", "ksft_sigreturn-64", "ksft_syscall_numbering-64");
    private static final List<String> CRASHES = List.of("crash-bug", "crash-df", "crash-mce");
    private static final Function<String, String> GROUP = p -> p.startsWith("audit") || p.startsWith("irqs")
            || p.startsWith("kernel") ? "smp" : p.startsWith("mce") ? "mce" : p.startsWith("ksft_syscall_numbering")
            ? "syscall-numbering" : p.startsWith("ksft") ? "selftests" : "guest";

    @BeforeAll
    static void load() throws Exception {
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(), "6.1");
        assertTrue(t.ok(), t.problems().toString());
        table = t.table();
        rule = RetestRule.load(Path.of(RetestRule.FILE), table);
    }

    private static TestResult pass(String program, String name) {
        return new TestResult(dev.idtgen.boot.Unit.parse(program), 1, name, Ktap.Status.PASS, "", List.of());
    }

    private static List<TestResult> baseline() {
        List<TestResult> b = new ArrayList<>();
        b.add(pass("audit-64", "idt_audit idt_loaded"));
        for (int v = 0; v < 256; v++) {
            b.add(pass("audit-64", String.format("idt_audit vector_0x%02x", v)));
        }
        b.add(pass("audit-64", "idt_entry raise_0x05"));
        b.add(pass("irqs-64", "cpus_online"));
        b.add(pass("irqs-64", "sysvec_apic_timer_interrupt LOC"));
        b.add(pass("kernel-64", "exc_invalid_op warn"));
        b.add(pass("kernel-64", "exc_int3 text_poke"));
        b.add(pass("mce-64", "exc_machine_check host_mce"));
        b.add(pass("nmi-64", "exc_nmi host_nmi"));
        for (String s : List.of("sweep-32", "sweep-64")) {
            b.add(pass(s, "sweep int_5"));
        }
        for (String t : List.of("traps-32", "traps-64")) {
            b.add(pass(t, "exc_divide_error idiv"));
            b.add(pass(t, "exc_invalid_op ud2"));
            b.add(pass(t, "exc_general_protection gp"));
            b.add(new TestResult(dev.idtgen.boot.Unit.parse(t), 9, t + " harness", Ktap.Status.PASS, "", List.of()));
        }
        b.add(pass("traps-32", "exc_bounds bound"));
        b.add(pass("ksft_sigreturn-64", "selftest sigreturn-64"));
        b.add(pass("ksft_syscall_numbering-64", "selftest syscall_numbering-64"));
        b.add(pass("crash-bug", "exc_invalid_op bug_oops"));
        b.add(pass("crash-df", "exc_double_fault stack_overflow"));
        b.add(pass("crash-mce", "exc_machine_check fatal_mce"));
        b.add(pass("@smp", "sysvec_reboot clean_shutdown"));
        return b;
    }

    private static RetestRule.Plan plan(Integer... changed) {
        return rule.plan(Set.of(changed), PROGRAMS, CRASHES, GROUP, baseline(), table);
    }

    @Test
    void nothingChangedRunsOnlyTheGateSweep() {
        RetestRule.Plan p = plan();
        assertEquals(List.of("sweep-32", "sweep-64"), List.copyOf(p.programs().keySet()));
        assertEquals(Map.of(), p.crashes());
    }

    @Test
    void oneExceptionRerunsWhatTestsItAndWhatCannotSay() {
        RetestRule.Plan p = plan(0x05);
        // audit-64 names 0x05 (vector_0x05, raise_0x05); irqs-64's cpus_online names no vector; traps-32 raises
        // #BR; the selftests raise every exception (change.yaml); sweep always
        assertEquals(List.of("audit-64", "irqs-64", "sweep-32", "sweep-64", "traps-32", "ksft_sigreturn-64",
                "ksft_syscall_numbering-64"), List.copyOf(p.programs().keySet()), p.programs().toString());
        assertTrue(p.programs().get("traps-32").contains("0x05"), p.programs().get("traps-32"));
        assertTrue(p.programs().get("ksft_sigreturn-64").contains(RetestRule.FILE));
        // kernel-64 (0x03, 0x06), traps-64 (no #BR test), mce, nmi and every crash boot are carried
        assertEquals(Map.of(), p.crashes());
    }

    @Test
    void aCrashBootRerunsWithItsVector() {
        RetestRule.Plan p = plan(0x08);
        assertEquals(Set.of("crash-df"), p.crashes().keySet());
        assertTrue(p.crashes().get("crash-df").contains("0x08"));
    }

    @Test
    void anExternalVectorLeavesTheSelftestsAlone() {
        RetestRule.Plan p = plan(0xf7); // the platform IPI: no selftest raises it
        assertTrue(p.programs().keySet().stream().noneMatch(x -> x.startsWith("ksft_")), p.programs().toString());
        assertTrue(p.programs().containsKey("audit-64"));
        assertTrue(!p.programs().containsKey("traps-64"));
    }

    @Test
    void anAmbientVectorRerunsEverything() {
        RetestRule.Plan p = plan(0xec); // the local timer: every program takes it
        assertEquals(PROGRAMS.stream().sorted().toList(), p.programs().keySet().stream().sorted().toList());
        assertEquals(Set.copyOf(CRASHES), p.crashes().keySet());
        assertTrue(p.programs().get("nmi-64").contains("0xec"));
    }

    @Test
    void theRebootVectorRerunsTheTwoCpuBootAsAWhole() {
        RetestRule.Plan p = plan(0xf8);
        assertTrue(p.programs().keySet().containsAll(List.of("audit-64", "irqs-64", "kernel-64")), p.toString());
        assertTrue(p.programs().get("kernel-64").contains("@smp"), p.programs().get("kernel-64"));
    }

    @Test
    void aProgramWithoutBaselineResultsRuns() {
        List<String> programs = new ArrayList<>(PROGRAMS);
        programs.add("traps-new");
        RetestRule.Plan p = rule.plan(Set.of(), programs, CRASHES, GROUP, baseline(), table);
        assertEquals("no result in the baseline", p.programs().get("traps-new"));
    }

    /** A measured map shaped like a real 6.1 x86_64 run's: each boot's /init phases take #PF, the timer, ttyS1. */
    static RaisedMap measured(String unmeasured) {
        Map<String, Map<String, Set<Integer>>> groups = new java.util.LinkedHashMap<>();
        groups.put("smp", Map.of("audit-64", Set.of(0x0e, 0x80), "irqs-64", Set.of(0x0e, 0xec, 0xfd, 0x23),
                "kernel-64", Set.of(0x03, 0x06, 0x0e)));
        groups.put("mce", Map.of("mce-64", Set.of(0x0e, 0x12)));
        groups.put("syscall-numbering", Map.of("ksft_syscall_numbering-64", Set.of(0x0e, 0xec)));
        groups.put("selftests", Map.of("ksft_sigreturn-64", Set.of(0x0d, 0x0e, 0x80)));
        groups.put("guest", Map.of("nmi-64", Set.of(0x02, 0x0e), "sweep-32", Set.of(0x03, 0x04, 0x0d, 0x80),
                "sweep-64", Set.of(0x03, 0x04, 0x0d, 0x80), "traps-32", Set.of(0x00, 0x05, 0x06, 0x0d, 0x0e),
                "traps-64", Set.of(0x00, 0x06, 0x0d, 0x0e)));
        Map<String, String> crashAfter = Map.of("guest", "crash-bug", "selftests", "crash-df", "mce", "crash-mce");
        Map<String, Set<Integer>> crashes = Map.of("crash-bug", Set.of(0x06, 0x0e), "crash-df", Set.of(0x08, 0x0e),
                "crash-mce", Set.of(0x12));
        List<RaisedMap.Boot> boots = new ArrayList<>();
        groups.forEach((g, units) -> {
            List<String> names = units.keySet().stream().sorted().toList();
            Map<Integer, InterruptLog.Window> windows = new java.util.HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                windows.put(i, new InterruptLog.Window(units.get(names.get(i)), !names.get(i).equals(unmeasured)));
            }
            String crash = crashAfter.get(g);
            Set<Integer> init = g.equals("smp") ? Set.of(0x0e, 0x23, 0xec, 0xf8) : Set.of(0x0e, 0x23, 0xec);
            boots.add(new RaisedMap.Boot(g, names, crash, "", java.util.Optional.of(new InterruptLog.Phases(
                    Set.of(0x00, 0x03, 0x06, 0xec), init, windows, crash == null ? java.util.Optional.empty()
                    : java.util.Optional.of(new InterruptLog.Window(crashes.get(crash), false)), "", 1))));
        });
        return RaisedMap.of(boots);
    }

    private static RetestRule.Plan measuredPlan(String unmeasured, Integer... changed) {
        return rule.plan(Set.of(changed), PROGRAMS, CRASHES, GROUP, baseline(), table,
                java.util.Optional.of(measured(unmeasured)));
    }

    @Test
    void withAMapAProgramRerunsOnlyForWhatItOrItsBootEntered() {
        RetestRule.Plan p = measuredPlan(null, 0x0d);
        // sweep always; audit-64 names vector_0x0d; traps test #GP by name; sigreturn entered it; nothing else did
        assertEquals(List.of("audit-64", "sweep-32", "sweep-64", "traps-32", "traps-64", "ksft_sigreturn-64"),
                List.copyOf(p.programs().keySet()), p.programs().toString());
        assertEquals("entered 0x0d (measured)", p.programs().get("ksft_sigreturn-64"));
        assertEquals("tests 0x0d", p.programs().get("traps-64"));
        assertEquals(Map.of(), p.crashes());
    }

    @Test
    void withAMapTheSelftestsAndTheUnnamedPointsNoLongerRerunForEveryException() {
        RetestRule.Plan p = measuredPlan(null, 0x05);
        // by the declared rules irqs-64 (cpus_online) and both selftests re-ran too
        assertEquals(List.of("audit-64", "sweep-32", "sweep-64", "traps-32"), List.copyOf(p.programs().keySet()),
                p.programs().toString());
    }

    @Test
    void withAMapACrashRerunsWithWhatItsWindowEntered() {
        RetestRule.Plan p = measuredPlan(null, 0x06);
        assertEquals(Map.of("crash-bug", "tests 0x06"), p.crashes());
        assertEquals("tests 0x06", p.programs().get("kernel-64"));
        assertEquals(Set.of("crash-df"), measuredPlan(null, 0x08).crashes().keySet());
    }

    @Test
    void aVectorABootEntersOutsideItsProgramsRerunsTheWholeBoot() {
        RetestRule.Plan p = measuredPlan(null, 0xec);
        assertEquals(PROGRAMS.stream().sorted().toList(), p.programs().keySet().stream().sorted().toList());
        assertEquals("its boot (guest) entered 0xec outside the programs (measured)", p.programs().get("nmi-64"));
        assertEquals(Set.copyOf(CRASHES), p.crashes().keySet());
        // the reboot vector: only the two-vCPU boot enters it, at its shutdown
        RetestRule.Plan reboot = measuredPlan(null, 0xf8);
        assertEquals(List.of("audit-64", "irqs-64", "kernel-64", "sweep-32", "sweep-64"),
                List.copyOf(reboot.programs().keySet()), reboot.programs().toString());
    }

    @Test
    void aUnitTheMapDidNotMeasureFallsBackToTheDeclaredRulesSayingWhy() {
        RetestRule.Plan p = measuredPlan("ksft_syscall_numbering-64", 0x05);
        assertEquals("raises 0x05 (" + RetestRule.FILE + ") (not measured: it did not end: it took the kernel down)",
                p.programs().get("ksft_syscall_numbering-64"));
        assertTrue(!p.programs().containsKey("ksft_sigreturn-64"), p.programs().toString());
        List<String> programs = new ArrayList<>(PROGRAMS);
        programs.add("traps-new");
        List<TestResult> b = baseline();
        b.add(pass("traps-new", "newthing"));
        RetestRule.Plan n = rule.plan(Set.of(0x05), programs, CRASHES, GROUP, b, table,
                java.util.Optional.of(measured(null)));
        assertEquals("'newthing' name no vector, and vectors changed (not measured: the map has no measurement "
                + "of it)", n.programs().get("traps-new"));
    }

    @Test
    void aNameThatIsNeitherHandlerNorRangeIsAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("change.yaml");
        Files.writeString(f, "always: [sweep-*]\nambient: [exc_page_fualt]\n");
        IOException e = assertThrows(IOException.class, () -> RetestRule.load(f, table));
        assertTrue(e.getMessage().contains("exc_page_fualt") && e.getMessage().contains(f.toString()),
                e.getMessage());
    }
}
