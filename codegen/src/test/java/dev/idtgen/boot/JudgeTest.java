package dev.idtgen.boot;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The judge of the project's own boot plans (qemu-tests/boots.yaml, bochs.yaml), fed boots made of strings: crash
 * boots, hang detection (the guest's backstop and the host's kill), programs that never ran, the clean shutdown,
 * the selftests' exit codes and carried results. No workspace, no files of a boot.
 */
class JudgeTest {

    private static final Path DIR = Path.of("boots");

    private final Judge judge;
    private final BootKernel kernel = new BootKernel("x86_64-tiny stock", Arch.X86_64, Variant.STOCK, Profile.TINY,
            DIR.resolve("bzImage"), DIR, Set.of("exc_invalid_op"), List.of("traps-64", "ksft_sigreturn-64"), DIR);

    JudgeTest() throws Exception {
        Backend fred = BochsPlan.load(Path.of(BochsPlan.FILE)).backend(null);
        BootPlan idt = BootPlan.load(Path.of("qemu-tests/boots.yaml"));
        judge = new Judge(new JobPlanner(Map.of(Delivery.IDT, idt, Delivery.FRED, fred.plan())),
                Map.of(Delivery.FRED, fred.evidence()));
    }

    private static BootRecord record(String job, int seq, String crash, List<String> programs, int cpus,
                                     Emulator.Kill kill) {
        return new BootRecord("x86_64-tiny stock", Arch.X86_64, Variant.STOCK, job, seq, 0, crash, programs, cpus,
                "max", kill == null ? 0 : -1, kill, 10, 10, List.of(), Map.of(), DIR.resolve(job + "." + seq));
    }

    private static BootLog log(BootRecord r, String console, String... lines) {
        return new BootLog(r, console, List.of(lines));
    }

    private static TestResult named(List<TestResult> rs, String name) {
        return rs.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + rs));
    }

    private static final String[] TRAPS_OK = {"# idtgen: begin traps-64", "KTAP version 1", "1..1",
        "ok 1 exc_invalid_op ud2", "# idtgen: end traps-64 exit=0"};

    @Test
    void aCrashBootPassesWithEveryExpectedLine() {
        BootRecord r = record("crash-bug", 0, "crash-bug", List.of(), 1, null);
        List<TestResult> rs = judge.chain(kernel, List.of(log(r, "kernel BUG at mm/x.c:1\ninvalid opcode: 0000\n")));
        TestResult c = named(rs, "exc_invalid_op bug_oops");
        assertEquals(Ktap.Status.PASS, c.status());
        assertEquals(Unit.named("crash-bug"), c.unit());
    }

    @Test
    void aCrashBootLackingALineFailsAndSaysWhich() {
        BootRecord r = record("crash-bug", 0, "crash-bug", List.of(), 1, null);
        TestResult c = named(judge.chain(kernel, List.of(log(r, "kernel BUG at mm/x.c:1\n"))),
                "exc_invalid_op bug_oops");
        assertEquals(Ktap.Status.FAIL, c.status());
        assertTrue(c.diagnostics().get(0).contains("invalid opcode"), c.toString());
    }

    @Test
    void aCrashBootTheHostKilledBeforeItsLinesIsATimeoutNotAFailure() {
        Emulator.Kill kill = new Emulator.Kill(null, "timeout: the guest was idle", 60, 61, 90);
        BootRecord r = record("crash-bug", 0, "crash-bug", List.of(), 1, kill);
        TestResult c = named(judge.chain(kernel, List.of(log(r, ""))), "exc_invalid_op bug_oops");
        assertEquals(Ktap.Status.TIMEOUT, c.status());
        assertTrue(c.reason().contains("idle"), c.toString());
    }

    @Test
    void aCrashTheEmulatorCannotRaiseIsSkippedWithItsReason() {
        BootKernel i386 = new BootKernel("i386-tiny stock", Arch.I386, Variant.STOCK, Profile.TINY,
                DIR.resolve("bzImage"), DIR, Set.of(), List.of(), DIR);
        BootRecord r = new BootRecord(i386.tag(), Arch.I386, Variant.STOCK, "crash-df", 0, 0, "crash-df", List.of(),
                1, "max", 0, null, 1, 1, List.of(), Map.of(), DIR);
        TestResult c = named(judge.chain(i386, List.of(log(r, "lkdtm: tried to double fault but didn't die\n"))),
                "exc_double_fault task_gate");
        assertEquals(Ktap.Status.SKIP, c.status());
        assertTrue(c.reason().contains("TCG"), c.reason());
    }

    @Test
    void theGuestsBackstopIsATimeoutWithHowFarTheProgramGot() {
        BootRecord r = record("guest", 0, null, List.of("traps-64"), 1, null);
        List<TestResult> rs = judge.chain(kernel, List.of(log(r, "", "# idtgen: begin traps-64", "1..3",
                "ok 1 exc_invalid_op ud2", "# idtgen: timeout traps-64 after 120s",
                "# idtgen: end traps-64 exit=-9")));
        TestResult h = named(rs, "traps-64 harness");
        assertEquals(Ktap.Status.TIMEOUT, h.status());
        assertTrue(h.reason().contains("after 120s") && h.reason().contains("1 of 3 test points"), h.reason());
        assertEquals(Ktap.Status.PASS, named(rs, "exc_invalid_op ud2").status());
    }

    @Test
    void theHostsKillTimesOutTheProgramItStoppedAndThoseAfterItNeverRan() {
        Emulator.Kill kill = new Emulator.Kill("traps-64", "timeout: over its limit", 30, 31, 40);
        BootRecord r = record("guest", 0, null, List.of("traps-64", "ksft_sigreturn-64"), 1, kill);
        List<TestResult> rs = judge.chain(kernel, List.of(log(r, "", "# idtgen: begin traps-64", "1..2",
                "ok 1 exc_invalid_op ud2")));
        assertEquals(Ktap.Status.TIMEOUT, named(rs, "traps-64 harness").status());
        TestResult never = named(rs, "ksft_sigreturn-64 harness");
        assertEquals(Ktap.Status.TIMEOUT, never.status());
        assertTrue(never.reason().startsWith("never ran: the boot before it was killed"), never.reason());
    }

    @Test
    void aProgramMissingFromABootThatEndedEarlyFails() {
        BootRecord r = record("guest", 0, null, List.of("traps-64", "ksft_sigreturn-64"), 1, null);
        TestResult never = named(judge.chain(kernel, List.of(log(r, "", TRAPS_OK))), "ksft_sigreturn-64 harness");
        assertEquals(Ktap.Status.FAIL, never.status());
    }

    @Test
    void aSelftestIsJudgedByItsExitCode() {
        BootRecord r = record("selftests", 0, null, List.of("ksft_sigreturn-64"), 1, null);
        List<TestResult> rs = judge.chain(kernel, List.of(log(r, "", "# idtgen: begin ksft_sigreturn-64",
                "# idtgen: end ksft_sigreturn-64 exit=4")));
        TestResult s = named(rs, "selftest sigreturn-64");
        assertEquals(Ktap.Status.SKIP, s.status());
        assertEquals("KSFT_SKIP", s.reason());
    }

    @Test
    void aTwoCpuBootThatRanToItsEndShutDownCleanly() {
        BootRecord r = record("smp", 0, null, List.of("traps-64"), 2, null);
        List<String> lines = new java.util.ArrayList<>(List.of(TRAPS_OK));
        lines.add("# idtgen: done");
        KernelOutcome o = judge.outcome(kernel, List.of(new BootLog(r, "reboot: Power down\n", lines)), List.of());
        TestResult s = named(o.results(), Judge.CLEAN_SHUTDOWN);
        assertEquals(Ktap.Status.PASS, s.status());
        assertEquals(Unit.group("smp"), s.unit());
        TestResult panicked = named(judge.outcome(kernel, List.of(new BootLog(r, "Kernel panic - not syncing\n",
                lines)), List.of()).results(), Judge.CLEAN_SHUTDOWN);
        assertEquals(Ktap.Status.FAIL, panicked.status());
    }

    @Test
    void carriedResultsJoinTheOutcomeAndKeepTheirBaseline() {
        BootRecord r = record("guest", 0, null, List.of("traps-64"), 1, null);
        TestResult carriedShutdown = new TestResult(Unit.group("smp"), 0, Judge.CLEAN_SHUTDOWN, Ktap.Status.PASS,
                "", List.of(), "base-1");
        KernelOutcome o = judge.outcome(kernel, List.of(log(r, "", TRAPS_OK)), List.of(carriedShutdown));
        List<TestResult> shutdowns = o.results().stream().filter(x -> x.name().equals(Judge.CLEAN_SHUTDOWN))
                .toList();
        assertEquals(List.of(carriedShutdown), shutdowns, "no two-vCPU boot ran: the carried shutdown stands alone");
        assertEquals(" (carried from base-1)", shutdowns.get(0).carriedNote());
        assertEquals(Ktap.Status.PASS, named(o.results(), "exc_invalid_op ud2").status());
    }

    @Test
    void reRunsAreLeftToTheDisagreementProtocol() {
        BootRecord main = record("guest", 0, null, List.of("traps-64"), 1, null);
        BootRecord rerun = new BootRecord(main.kernel(), Arch.X86_64, Variant.STOCK, "guest", 0, 1, null,
                List.of("traps-64"), 1, "max", 0, null, 1, 1, List.of(), Map.of(), DIR);
        KernelOutcome o = judge.outcome(kernel, List.of(log(main, "", TRAPS_OK), log(rerun, "")), List.of());
        assertEquals(1, o.results().stream().filter(x -> x.name().equals("exc_invalid_op ud2")).count());
        assertEquals(2, o.records().size());
    }
}
