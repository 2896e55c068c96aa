package dev.idtgen.lava;

import dev.idtgen.boot.TestResult;
import dev.idtgen.model.Arch;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.Judge;
import dev.idtgen.boot.Ktap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A QEMU job's console check, judged as the direct runner judges the same console. */
class ConsoleCheckTest {

    static final String EXITED = "# idtgen: qemu exited";

    static BootPlan.Crash crash(String mode) throws IOException {
        return BootPlan.load(Path.of("qemu-tests/boots.yaml")).crashes().stream()
                .filter(c -> c.mode().equals(mode) && c.arches().contains(Arch.I386)).findFirst().orElseThrow();
    }

    @Test
    void aCrashPassesWithEveryExpectedLineAndIsATimeoutOrAFailWithoutThem() throws IOException {
        ConsoleCheck c = ConsoleCheck.crash(crash("crash-bug"), EXITED);
        assertEquals("crash-bug", c.suite());
        TestResult pass = c.judge(List.of("kernel BUG at", "invalid opcode", EXITED), true, "log");
        assertEquals(Ktap.Status.PASS, pass.status(), pass.toString());
        assertEquals("exc_invalid_op bug_oops", pass.name());
        assertEquals("crash-bug", pass.unit().id());
        // every line came: a pass even when QEMU did not exit (the direct runner's rule too)
        assertEquals(Ktap.Status.PASS, c.judge(List.of("Kernel BUG at", "invalid opcode"), true, "log").status());
        TestResult fail = c.judge(List.of("kernel BUG at", EXITED), true, "log");
        assertEquals(Ktap.Status.FAIL, fail.status());
        assertTrue(fail.diagnostics().get(0).contains("lacks [invalid opcode]"), fail.toString());
        TestResult hang = c.judge(List.of("kernel BUG at"), true, "log");
        assertEquals(Ktap.Status.TIMEOUT, hang.status(), "no exit and a line missing: a hang, not a FAIL");
    }

    @Test
    void theEmulatorsOwnLimitIsASkipWithItsReason() throws IOException {
        ConsoleCheck c = ConsoleCheck.crash(crash("crash-df"), EXITED);
        TestResult r = c.judge(List.of("tried to double fault but didn't die", EXITED), true, "log");
        assertEquals(Ktap.Status.SKIP, r.status());
        assertTrue(r.reason().contains("QEMU TCG"), r.reason());
    }

    @Test
    void aCleanShutdownNeedsQemusExitEveryProgramsEndAndNoPanic() {
        ConsoleCheck c = ConsoleCheck.shutdown("smp", EXITED);
        assertEquals("shutdown-smp", c.suite());
        assertEquals("@smp", c.unit().id());
        assertEquals(Judge.CLEAN_SHUTDOWN, c.judge(List.of(EXITED), true, "log").name());
        assertEquals(Ktap.Status.PASS, c.judge(List.of(EXITED), true, "log").status());
        assertEquals(Ktap.Status.PASS, c.judge(List.of("_idtgen_qemu_exited"), true, "log").status(),
                "a server's results without extra keep LAVA's slug");
        assertEquals(Ktap.Status.FAIL, c.judge(List.of("Kernel panic", EXITED), true, "log").status());
        assertEquals(Ktap.Status.FAIL, c.judge(List.of("failed to stop", EXITED), true, "log").status());
        assertEquals(Ktap.Status.FAIL, c.judge(List.of(EXITED), false, "log").status());
        assertEquals(Ktap.Status.TIMEOUT, c.judge(List.of(), true, "log").status());
    }

    @Test
    void thePatternIsPythonsAndFindsWhatTheJavaRegexesFind() throws IOException {
        ConsoleCheck c = ConsoleCheck.crash(crash("crash-bug"), EXITED);
        String p = c.pattern();
        // Python's re takes global flags only at the very start: boots.yaml's (?i) becomes a scoped group
        assertFalse(p.contains("(?i)"), p);
        assertTrue(p.contains("(?i:kernel BUG at)"), p);
        assertTrue(p.startsWith("(?P<test_case_id>") && p.endsWith(")(?P<result>)"), p);
        Pattern java = Pattern.compile(java(p));
        assertTrue(java.matcher("[  1.0] Kernel BUG at mm/x.c:1!").find());
        assertTrue(java.matcher(EXITED).find());
        assertFalse(java.matcher("BUG: kernel NULL pointer").find());
        ConsoleCheck s = ConsoleCheck.shutdown("smp", EXITED);
        assertTrue(Pattern.compile(java(s.pattern())).matcher("Kernel panic - not syncing")
                .find());
    }

    @Test
    void everyCrashsPatternCompilesInPythonAndFindsItsLines() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 here");
        List<ConsoleCheck> checks = new ArrayList<>();
        for (BootPlan.Crash c : BootPlan.load(Path.of("qemu-tests/boots.yaml")).crashes()) {
            checks.add(ConsoleCheck.crash(c, EXITED));
        }
        checks.add(ConsoleCheck.shutdown("smp", EXITED));
        String script = """
                import re, sys
                p = re.compile(sys.argv[1])
                for line in sys.argv[2:]:
                    m = p.search(line)
                    print(m.group("test_case_id") if m and m.group("result") == "" else "-")
                """;
        for (ConsoleCheck c : checks) {
            List<String> lines = new ArrayList<>(List.of("[ 1.0] " + EXITED, "nothing to see"));
            if (c.skipWhen() != null) {
                lines.add("lkdtm: FAIL: tried to double fault but didn't die");
            }
            List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c", script, c.pattern()));
            cmd.addAll(lines);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), c.unit() + ": " + c.pattern() + ": " + said);
            List<String> got = said.lines().toList();
            assertEquals(EXITED, got.get(0), said);
            assertEquals("-", got.get(1), said);
            if (c.skipWhen() != null) {
                assertEquals("tried to double fault but didn't die", got.get(2), c.pattern());
                assertEquals(Ktap.Status.SKIP, c.judge(List.of(got.get(2), EXITED), true, "log").status());
            }
        }
    }

    /** Python's named groups in Java's syntax (whose names take no underscore). */
    static String java(String python) {
        return python.replace("(?P<test_case_id>", "(?<id>").replace("(?P<result>", "(?<result>");
    }

    @Test
    void itReadsBackFromTheIndexAsWritten() throws IOException {
        for (ConsoleCheck c : List.of(ConsoleCheck.crash(crash("crash-df"), EXITED),
                ConsoleCheck.shutdown("smp", EXITED))) {
            String text = dev.idtgen.io.YamlFiles.dump(c.toYaml());
            assertEquals(c, ConsoleCheck.fromYaml(dev.idtgen.config.YamlDoc.parse("jobs.yaml", text).asMap()));
        }
    }
}
