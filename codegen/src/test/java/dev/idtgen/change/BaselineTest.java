package dev.idtgen.change;

import dev.idtgen.boot.TestResult;import dev.idtgen.boot.Unit;

import dev.idtgen.boot.Ktap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineTest {

    @Test
    void aBaselineReadsBackAsWritten(@TempDir Path dir) throws Exception {
        Baseline b = new Baseline("2026-12-03T01:30:00Z 6.1 x86_64/tiny generated", "c0ffee", Map.of("qemu-tests/", "beef"),
                new Fingerprints(Map.of("asm_exc_bounds", "0123456789ab", "def_idts[0x05]", "ba9876543210")), "d1ce",
                List.of(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 7, "exc_bounds bound", Ktap.Status.PASS, "", List.of("# x: 1")),
                        new TestResult(dev.idtgen.boot.Unit.parse("sweep-64"), 9, "sweep int_5", Ktap.Status.SKIP, "why", List.of()),
                        new TestResult(dev.idtgen.boot.Unit.parse("nmi-64"), 1, "exc_nmi host_nmi", Ktap.Status.PASS, "", List.of(),
                                "2026-12-03T01:00:00Z 6.1 x86_64/tiny generated")));
        b.write(dir);
        assertEquals(b, Baseline.read(dir).orElseThrow());
        assertEquals("2026-12-03T01:00:00Z 6.1 x86_64/tiny generated", Baseline.read(dir).orElseThrow().results()
                .get(2).carried(), "a result carried into the baseline keeps the baseline that produced it");
        assertTrue(Baseline.read(dir.resolve("none")).isEmpty());
        Files.writeString(dir.resolve(Baseline.FILE), Files.readString(dir.resolve(Baseline.FILE))
                .replaceAll("(?m)^image: .*\n", ""));
        assertEquals("", Baseline.read(dir).orElseThrow().image(), "a baseline that did not record its image");
        Files.writeString(dir.resolve(Baseline.FILE), "[1, 2]\n");
        assertTrue(assertThrows(java.io.IOException.class, () -> Baseline.read(dir)).getMessage()
                .contains("not a baseline"));
    }

    @Test
    void aBaselineKeepsItsMeasuredMap(@TempDir Path dir) throws Exception {
        RaisedMap map = RaisedMap.of(List.of(new RaisedMap.Boot("selftests", List.of("ksft_sigreturn-64",
                "ksft_single_step_syscall-64"), "crash-df", "", java.util.Optional.of(new InterruptLog.Phases(
                java.util.Set.of(0x03, 0xec), java.util.Set.of(0x0e, 0x23), Map.of(0, new InterruptLog.Window(
                java.util.Set.of(0x08, 0x0b, 0x0d), true), 1, new InterruptLog.Window(java.util.Set.of(0x01), true)),
                java.util.Optional.of(new InterruptLog.Window(java.util.Set.of(0x08, 0x0e), false)), "", 9)))));
        Baseline b = new Baseline("id", "c", Map.of("qemu-tests/", "i"), new Fingerprints(Map.of()), "ab12", List.of(new TestResult(
                Unit.parse("ksft_sigreturn-64"), 1, "selftest sigreturn-64", Ktap.Status.PASS, "", List.of())),
                java.util.Optional.of(map));
        b.write(dir);
        Baseline back = Baseline.read(dir).orElseThrow();
        assertEquals(b, back);
        assertEquals(new RaisedMap.Measured(java.util.Set.of(0x08, 0x0e)), back.measured().orElseThrow().units()
                .get("crash-df").measure());
        // a baseline of an older version of the map reads back without one: the declared rules decide then
        Files.writeString(dir.resolve(Baseline.FILE), Files.readString(dir.resolve(Baseline.FILE))
                .replace("version: " + RaisedMap.VERSION, "version: 0"));
        assertEquals(java.util.Optional.empty(), Baseline.read(dir).orElseThrow().measured());
        // a malformed map is an error naming the file, line and column
        Files.writeString(dir.resolve(Baseline.FILE), Files.readString(dir.resolve(Baseline.FILE))
                .replace("version: 0", "version: " + RaisedMap.VERSION).replace("0x08 0x0e", "0x08 DF"));
        String e = assertThrows(java.io.IOException.class, () -> Baseline.read(dir)).getMessage();
        assertTrue(e.matches("(?s).*baseline.yaml:\\d+:\\d+: .*'DF' is not a vector.*"), e);
    }

    @Test
    void aRealRunsManyResultsWithTheSameDiagnosticsReadBack(@TempDir Path dir) throws Exception {
        List<TestResult> many = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add(new TestResult(dev.idtgen.boot.Unit.parse("audit-64"), i, "idt_audit vector_" + i, Ktap.Status.PASS, "", List.of()));
        }
        Baseline b = new Baseline("id", "c", Map.of("qemu-tests/", "i"), new Fingerprints(Map.of()), "", many);
        b.write(dir);
        assertEquals(b, Baseline.read(dir).orElseThrow());
    }

    @Test
    void theInputsDigestFollowsEveryFileAndVersion(@TempDir Path dir) throws Exception {
        Path g = Files.createDirectories(dir.resolve("guest"));
        Files.writeString(g.resolve("traps-64"), "a");
        String d = Inputs.digest(List.of(g), List.of("QEMU 7.2"));
        assertEquals(d, Inputs.digest(List.of(g), List.of("QEMU 7.2")));
        assertNotEquals(d, Inputs.digest(List.of(g), List.of("QEMU 8.0")));
        Files.writeString(g.resolve("traps-64"), "b");
        assertNotEquals(d, Inputs.digest(List.of(g), List.of("QEMU 7.2")));
    }

    @Test
    void aChangedInputIsNamedByItsPart(@TempDir Path dir) throws Exception {
        Path g = Files.createDirectories(dir.resolve("guest"));
        Path q = Files.createDirectories(dir.resolve("qemu-tests"));
        Files.writeString(g.resolve("traps-64"), "a");
        Files.writeString(q.resolve("boots.yaml"), "boots: []\n");
        Map<String, Path> dirs = Map.of("the guest programs", g, "qemu-tests/", q);
        Map<String, String> base = Inputs.parts(dirs, Map.of("qemu-system-x86_64", "QEMU emulator version 7.2.22"));
        assertEquals(List.of(), Inputs.changed(base, Inputs.parts(dirs, Map.of("qemu-system-x86_64",
                "QEMU emulator version 7.2.22"))));
        Files.writeString(q.resolve("boots.yaml"), "boots: [x]\n");
        assertEquals(List.of("qemu-system-x86_64", "qemu-tests/"), Inputs.changed(base, Inputs.parts(dirs,
                Map.of("qemu-system-x86_64", "QEMU emulator version 8.0"))));
        Map<String, String> fred = new java.util.TreeMap<>(base);
        fred.put("bochs", "none");
        assertEquals(List.of("bochs"), Inputs.changed(base, fred), "a part on one side only");
    }

    @Test
    void aBaselineWithOneDigestForAllInputsReadsAsChanged(@TempDir Path dir) throws Exception {
        new Baseline("id", "c", Map.of("qemu-tests/", "i"), new Fingerprints(Map.of()), "", List.of()).write(dir);
        Path f = dir.resolve(Baseline.FILE);
        Files.writeString(f, Files.readString(f).replaceAll("(?s)inputs: \\{[^}]*}|inputs:\\n(  .*\\n)+",
                "inputs: 0123abcd\n"));
        Baseline old = Baseline.read(dir).orElseThrow();
        assertEquals(List.of(Inputs.LEGACY), Inputs.changed(old.inputs(), Map.of("qemu-tests/", "i")));
    }
}
