package dev.idtgen.lava;

import dev.idtgen.boot.TestResult;import dev.idtgen.boot.Unit;
import dev.idtgen.boot.Judge;

import dev.idtgen.boot.Ktap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LAVA's results, as lava-run 2023.01 logs them and as a server lists them, read back as test results. */
class LavaResultsTest {

    /** Lines of a real lava-run log (the guest boot of the 6.1 x86_64 generated kernel), and a constructed fail. */
    static final String LOG = """
            {"dt": "2026-12-03T04:45:51.131472", "lvl": "results", "msg": {"case": "validate", "definition": "lava", "result": "pass"}}
            {"dt": "2026-12-03T04:45:51.153733", "lvl": "results", "msg": {"case": "file-download", "definition": "lava", "duration": "0.02", "extra": {"label": "kernel", "size": ! "1274880"}, "level": "1.1.1", "namespace": "common", "result": "pass"}}
            {"dt": "2026-12-03T04:45:57.000000", "lvl": "target", "msg": "ok 1 exc_divide_error idiv"}
            {"dt": "2026-12-03T04:45:57.100000", "lvl": "results", "msg": {"case": "exc_divide_error_idiv", "definition": "traps-32", "extra": {"test_case_id": "exc_divide_error idiv"}, "level": "3.1", "result": "pass"}}
            {"dt": "2026-12-03T04:45:57.504759", "lvl": "results", "msg": {"case": "exc_general_protection_noncanonical", "definition": "traps-32", "extra": {"test_case_id": "exc_general_protection noncanonical"}, "level": "3.1", "result": "skip"}}
            {"dt": "2026-12-03T04:45:58.000000", "lvl": "results", "msg": {"case": "sweep_int_5", "definition": "sweep-32", "extra": {"test_case_id": "sweep int_5"}, "level": "3.1", "result": "fail"}}
            {"dt": "2026-12-03T04:45:59.000000", "lvl": "results", "msg": {"case": "lava-test-monitor", "definition": "lava", "duration": "10.37", "extra": {"status": "passed"}, "level": "3.1", "namespace": "common", "result": "pass"}}
            {"dt": "2026-12-03T04:45:59.100000", "lvl": "results", "msg": {"case": "job", "definition": "lava", "result": "pass"}}
            """;

    @Test
    void aLavaRunLogGivesOneResultPerCaseWithTheGuestsNamesAndSkipsKept(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("job.log");
        Files.writeString(f, LOG);
        List<TestResult> rs = LavaResults.read(f, List.of("sweep-32", "traps-32"));
        assertEquals(3, rs.size(), rs.toString());
        assertEquals("exc_divide_error idiv", rs.get(0).name());
        assertEquals("traps-32", rs.get(0).unit().id());
        assertEquals(Ktap.Status.PASS, rs.get(0).status());
        assertEquals(Ktap.Status.SKIP, rs.get(1).status());
        assertEquals("sweep int_5", rs.get(2).name());
        assertEquals(Ktap.Status.FAIL, rs.get(2).status());
    }

    @Test
    void aProgramWithoutCasesFailsAndATimedOutMonitorIsATimeout(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("job.log");
        Files.writeString(f, LOG);
        List<TestResult> rs = LavaResults.read(f, List.of("sweep-32", "traps-32", "traps-64"));
        TestResult missing = rs.get(rs.size() - 1);
        assertEquals("traps-64 harness", missing.name());
        assertEquals(Ktap.Status.FAIL, missing.status(), "LAVA passes a job whatever its cases: a missing program "
                + "must not be silently dropped");
        Files.writeString(f, LOG.replace("\"extra\": {\"status\": \"passed\"}, \"level\": \"3.1\", \"namespace\": "
                + "\"common\", \"result\": \"pass\"", "\"extra\": {\"status\": \"failed\"}, \"level\": \"3.1\", "
                + "\"namespace\": \"common\", \"result\": \"fail\""));
        List<TestResult> timedOut = LavaResults.read(f, List.of("sweep-32", "traps-32", "traps-64"));
        assertEquals(Ktap.Status.TIMEOUT, timedOut.get(timedOut.size() - 1).status(), timedOut.toString());
    }

    @Test
    void aFailedJobIsAFailure(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("job.log");
        Files.writeString(f, LOG.replace("{\"case\": \"job\", \"definition\": \"lava\", \"result\": \"pass\"}",
                "{\"case\": \"job\", \"definition\": \"lava\", \"error_msg\": \"Connection closed\", "
                        + "\"error_type\": \"Infrastructure\", \"result\": \"fail\"}"));
        List<TestResult> rs = LavaResults.read(f, List.of("sweep-32", "traps-32"));
        assertTrue(rs.stream().anyMatch(r -> r.status() == Ktap.Status.FAIL && r.diagnostics().toString()
                .contains("Infrastructure Connection closed")), rs.toString());
    }

    @Test
    void aServersResultsYamlReadsTheSame(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, """
                - {suite: 1_traps-32, name: exc_divide_error_idiv, result: pass,
                   metadata: {extra: {test_case_id: exc_divide_error idiv}}}
                - {suite: 1_traps-32, name: exc_general_protection_noncanonical, result: skip}
                - {suite: lava, name: job, result: pass}
                """);
        List<TestResult> rs = LavaResults.read(f, List.of("traps-32"));
        assertEquals(2, rs.size(), rs.toString());
        assertEquals("traps-32", rs.get(0).unit().id());
        assertEquals("exc_divide_error idiv", rs.get(0).name());
        assertEquals("exc_general_protection_noncanonical", rs.get(1).name(), "no extra: the slugged case");
        assertEquals(Ktap.Status.SKIP, rs.get(1).status());
    }

    @Test
    void aSluggedNameCountsForTheHandlerThatBeginsIt() {
        List<String> handlers = List.of("sysvec_call_function_single", "sysvec_call_function", "exc_int3");
        TestResult r = new TestResult(dev.idtgen.boot.Unit.parse("irqs-64"), 1, "sysvec_call_function_single_cal", Ktap.Status.PASS, "",
                List.of());
        assertEquals("sysvec_call_function_single cal", LavaReport.unslug(r, handlers).name());
        TestResult kept = new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 1, "exc_int3 int3", Ktap.Status.PASS, "", List.of());
        assertEquals(kept, LavaReport.unslug(kept, handlers));
    }

    @Test
    void theExitCaseIsASelftestsResultAndAFailedGuestProgramsHarness(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("job.log");
        Files.writeString(f, """
                {"dt": "x", "lvl": "results", "msg": {"case": "exit", "definition": "ksft_test_fcmov-32", "extra": {"test_case_id": "exit"}, "result": "skip"}}
                {"dt": "x", "lvl": "results", "msg": {"case": "exit", "definition": "ksft_amx-64", "extra": {"test_case_id": "exit"}, "result": "fail"}}
                {"dt": "x", "lvl": "results", "msg": {"case": "exit", "definition": "traps-64", "extra": {"test_case_id": "exit"}, "result": "fail"}}
                {"dt": "x", "lvl": "results", "msg": {"case": "exit", "definition": "sweep-64", "extra": {"test_case_id": "exit"}, "result": "pass"}}
                """);
        List<TestResult> rs = LavaResults.read(f, List.of("ksft_test_FCMOV-32", "ksft_amx-64", "traps-64",
                "sweep-64"));
        assertEquals("selftest test_FCMOV-32", rs.get(0).name(), "LAVA lowercased the suite; the program keeps its case");
        assertEquals(Ktap.Status.SKIP, rs.get(0).status());
        assertEquals(Ktap.Status.FAIL, rs.get(1).status());
        assertEquals("traps-64 harness", rs.get(2).name());
        assertEquals(Ktap.Status.FAIL, rs.get(2).status());
        assertEquals(3, rs.size(), "a program that exited 0 adds no result of its own: " + rs);
    }

    /**
     * Lines of a real lava-run log (the two-vCPU boot of the 6.1 x86_64 stock kernel, shortened): the last
     * program's end, then the console's monitor, whose cases are console texts and QEMU's exit (KUnit's plan
     * among the console's lines is no program's).
     */
    static final String CONSOLE_LOG = """
            {"dt": "2026-12-03T07:54:03.847003", "lvl": "target", "msg": "# idtgen: begin ksft_test_vsyscall-64"}
            {"dt": "2026-12-03T07:54:03.900000", "lvl": "feedback", "msg": "1..5", "ns": "console"}
            {"dt": "2026-12-03T07:54:03.946781", "lvl": "target", "msg": "# idtgen: end ksft_test_vsyscall-64 exit=0"}
            {"dt": "2026-12-03T07:54:03.946900", "lvl": "results", "msg": {"case": "exit", "definition": "ksft_test_vsyscall-64", "extra": {"test_case_id": "exit"}, "level": "6.1", "result": "pass"}}
            {"dt": "2026-12-03T07:54:03.950000", "lvl": "results", "msg": {"case": "lava-test-monitor", "definition": "lava", "duration": "6.10", "extra": {"status": "passed"}, "level": "6.1", "namespace": "tests", "result": "pass"}}
            {"dt": "2026-12-03T07:54:04.000000", "lvl": "target", "msg": "1..3"}
            {"dt": "2026-12-03T07:54:04.221555", "lvl": "results", "msg": {"case": "_idtgen_qemu_exited", "definition": "shutdown-smp", "extra": {"test_case_id": "# idtgen: qemu exited"}, "level": "8.1", "result": "pass"}}
            {"dt": "2026-12-03T07:54:04.222037", "lvl": "results", "msg": {"case": "lava-test-monitor", "definition": "lava", "duration": "0.22", "extra": {"status": "passed"}, "level": "8.1", "namespace": "console", "result": "pass"}}
            {"dt": "2026-12-03T07:54:05.000000", "lvl": "results", "msg": {"case": "job", "definition": "lava", "result": "pass"}}
            """;

    @Test
    void theConsoleMonitorsCasesAreJudgedAsTheDirectRunnerJudgesTheConsole(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("job.log");
        ConsoleCheck shutdown = ConsoleCheck.shutdown("smp", "# idtgen: qemu exited");
        Files.writeString(f, CONSOLE_LOG);
        List<TestResult> rs = LavaResults.read(f, List.of("ksft_test_vsyscall-64"), shutdown);
        assertEquals(2, rs.size(), "the console's plan is no program's, its cases no test point of theirs: " + rs);
        assertEquals("selftest test_vsyscall-64", rs.get(0).name());
        assertEquals(dev.idtgen.boot.Judge.CLEAN_SHUTDOWN, rs.get(1).name());
        assertEquals("@smp", rs.get(1).unit().id());
        assertEquals(Ktap.Status.PASS, rs.get(1).status());

        // QEMU never exited: the console monitor timed out; a timeout of the shutdown, not of the program
        Files.writeString(f, CONSOLE_LOG.replaceAll(".*_idtgen_qemu_exited.*\n", "").replace(
                "\"extra\": {\"status\": \"passed\"}, \"level\": \"8.1\", \"namespace\": \"console\", \"result\": \"pass\"",
                "\"extra\": {\"status\": \"failed\"}, \"level\": \"8.1\", \"namespace\": \"console\", \"result\": \"fail\""));
        rs = LavaResults.read(f, List.of("ksft_test_vsyscall-64"), shutdown);
        assertEquals(2, rs.size(), rs.toString());
        assertEquals(Ktap.Status.PASS, rs.get(0).status());
        assertEquals(Ktap.Status.TIMEOUT, rs.get(1).status(), rs.toString());

        // a crash's lines: the cases name them; one missing when QEMU exited is a failure
        ConsoleCheck crash = new ConsoleCheck(dev.idtgen.boot.Unit.named("crash-df"), "exc_double_fault stack_overflow",
                List.of("stack guard page was hit", "Kernel panic"), List.of(), null, null, false,
                "# idtgen: qemu exited");
        Files.writeString(f, CONSOLE_LOG.replace("shutdown-smp", "crash-df"));
        rs = LavaResults.read(f, List.of("ksft_test_vsyscall-64"), crash);
        assertEquals(Ktap.Status.FAIL, rs.get(1).status());
        assertTrue(rs.get(1).diagnostics().get(0).contains("lacks [stack guard page was hit, Kernel panic]"),
                rs.toString());
        Files.writeString(f, CONSOLE_LOG.replace("shutdown-smp", "crash-df").replace(
                "{\"dt\": \"2026-12-03T07:54:04.221555\"", """
                {"dt": "x", "lvl": "results", "msg": {"case": "kernel_panic", "definition": "crash-df", "extra": {"test_case_id": "Kernel panic"}, "result": "pass"}}
                {"dt": "x", "lvl": "results", "msg": {"case": "stack_guard_page_was_hit", "definition": "crash-df", "extra": {"test_case_id": "stack guard page was hit"}, "result": "pass"}}
                {"dt": "2026-12-03T07:54:04.221555\""""));
        rs = LavaResults.read(f, List.of("ksft_test_vsyscall-64"), crash);
        assertEquals(Ktap.Status.PASS, rs.get(1).status(), rs.toString());
        assertEquals("exc_double_fault stack_overflow", rs.get(1).name());
    }

    @Test
    void somethingElseIsAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, "just: a mapping\n");
        assertTrue(assertThrows(IOException.class, () -> LavaResults.read(f, List.of())).getMessage()
                .contains("neither a lava-run log nor a list of LAVA results"));
    }
}
