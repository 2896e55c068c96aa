package dev.idtgen.boot;

import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** qemu-tests/boots.yaml as the suite reads it. */
class BootPlanTest {

    private static final BootPlan PLAN = load();

    private static BootPlan load() {
        try {
            return BootPlan.load(Path.of("qemu-tests/boots.yaml"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String group(Arch a, String program) {
        return PLAN.group(a, program).orElseThrow().name();
    }

    @Test
    void everyProgramHasABootAndOnlyWhatNeedsTwoCpusGetsThem() {
        List<String> programs = List.of("irqs-64", "irqs-32", "kernel-64", "traps-64", "sweep-32", "nmi-64",
                "mce-64", "mce-32", "ksft_syscall_numbering-64", "ksft_sigreturn-32", "ksft_ldt_gdt-64",
                "ksft_test_vsyscall-64", "ksft_fsgsbase-64", "ksft_anything_new-32");
        for (String p : programs) {
            for (Arch a : Arch.values()) {
                BootPlan.Group g = PLAN.group(a, p).orElseThrow(() -> new AssertionError(p + " has no boot"));
                boolean needsTwo = p.startsWith("irqs-") || p.startsWith("kernel-") || p.startsWith("ksft_ldt_gdt")
                        || p.startsWith("ksft_test_vsyscall");
                assertEquals(needsTwo ? 2 : 1, g.cpus(), p + " on " + a.yamlName());
            }
        }
        BootPlan.Group smp = PLAN.group("smp").orElseThrow();
        assertTrue(smp.accel().contains("thread=single"), "one host thread runs both vCPUs: " + smp.accel());
        assertEquals("tcg", PLAN.group("guest").orElseThrow().accel());
        assertEquals("mce", group(Arch.X86_64, "mce-32"));
        assertEquals("guest", group(Arch.I386, "mce-32"), "no Intel vCPU needed on i386: qemu32,+mca");
        assertEquals("syscall-numbering", group(Arch.X86_64, "ksft_syscall_numbering-64"));
        assertEquals("selftests", group(Arch.X86_64, "ksft_fsgsbase-64"));
        assertEquals("guest", group(Arch.X86_64, "traps-64"));
        assertEquals("qemu64,vendor=GenuineIntel", PLAN.cpu(Arch.X86_64, PLAN.group("mce").orElseThrow().cpu()));
        assertEquals("qemu32,+mca", PLAN.cpu(Arch.I386, PLAN.group("guest").orElseThrow().cpu()));
    }

    @Test
    void theFullProfileGetsItsProgramsAndNoCrashBootTheTinyOneEverything() {
        List<String> all = List.of("audit-32", "audit-64", "irqs-32", "irqs-64", "kernel-64", "mce-64", "sweep-32",
                "sweep-64", "traps-32", "traps-64", "ksft_sigreturn-64");
        assertEquals(List.of("audit-64", "irqs-64", "sweep-32", "sweep-64", "traps-32", "traps-64"),
                PLAN.programs("full", all));
        assertFalse(PLAN.crashes("full"));
        assertEquals(all, PLAN.programs("tiny", all));
        assertTrue(PLAN.crashes("tiny"));
    }

    @Test
    void limitsAreBudgetsTimesTheMargin() {
        double m = PLAN.limits().margin();
        assertTrue(m >= 3, "a wide margin");
        assertEquals(PLAN.budgets().get("ksft_syscall_numbering-64") * m, PLAN.limit("ksft_syscall_numbering-64"));
        assertEquals(PLAN.limits().budget() * m, PLAN.limit("traps-64"));
        assertEquals(PLAN.limits().boot() * m, PLAN.bootLimit());
        assertTrue(PLAN.limits().reruns() >= 2);
    }

    @Test
    void crashBootsPerArch() {
        List<String> x86 = PLAN.crashes().stream().filter(c -> c.arches().contains(Arch.X86_64))
                .map(BootPlan.Crash::test).toList();
        List<String> i386 = PLAN.crashes().stream().filter(c -> c.arches().contains(Arch.I386))
                .map(BootPlan.Crash::test).toList();
        assertEquals(List.of("exc_invalid_op bug_oops", "exc_double_fault stack_overflow",
                "exc_machine_check fatal_mce"), x86);
        assertEquals(List.of("exc_invalid_op bug_oops", "exc_double_fault task_gate", "exc_machine_check fatal_mce"),
                i386);
        assertEquals("qemu64,vendor=GenuineIntel", PLAN.cpu(Arch.X86_64, PLAN.crashes().get(3).cpu()));
        // the fatal #MC follows the mce boot (an Intel vCPU) on x86_64 and has a boot of its own on i386
        assertEquals("mce", PLAN.crashes().get(3).after().get(Arch.X86_64));
        assertEquals(null, PLAN.crashes().get(3).after().get(Arch.I386));
        assertEquals("guest", PLAN.crashes().get(0).after().get(Arch.I386));
    }

    @Test
    void aPlanWithoutAnArchIsRefused() {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("qemu", java.util.Map.of("x86_64", java.util.Map.of("binary", "q", "cpu", "c")));
        assertThrows(IllegalArgumentException.class, () -> BootPlan.parse(m));
    }
}
