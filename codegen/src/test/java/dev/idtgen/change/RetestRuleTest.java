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

    @Test
    void aNameThatIsNeitherHandlerNorRangeIsAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("change.yaml");
        Files.writeString(f, "always: [sweep-*]\nambient: [exc_page_fualt]\n");
        IOException e = assertThrows(IOException.class, () -> RetestRule.load(f, table));
        assertTrue(e.getMessage().contains("exc_page_fualt") && e.getMessage().contains(f.toString()),
                e.getMessage());
    }
}
