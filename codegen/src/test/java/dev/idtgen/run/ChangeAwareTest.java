package dev.idtgen.run;

import dev.idtgen.boot.BootRecord;
import dev.idtgen.boot.KernelOutcome;
import dev.idtgen.boot.Ktap;
import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.Unit;
import dev.idtgen.change.InterruptLog;
import dev.idtgen.change.RaisedMap;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The map a baseline keeps: measured from the outcome's boots, the carried units' entries from the one before. */
class ChangeAwareTest {

    private static BootRecord record(Path dir, String job, List<String> programs) throws Exception {
        Files.createDirectories(dir);
        return new BootRecord("6.1 x86_64/tiny generated", Arch.X86_64, Variant.GENERATED, job, 0, 0, null, programs,
                1, "qemu64", 0, null, 1.0, 1.0, List.of(), Map.of(), dir);
    }

    private static TestResult result(String unit, String carried) {
        return new TestResult(Unit.parse(unit), 1, "selftest " + unit, Ktap.Status.PASS, "", List.of(), carried);
    }

    /** An interrupts.yaml as QemuRunner leaves it, from a log of /init's marks around one program. */
    private static void reduced(Path dir, int vector) throws Exception {
        long magic = 0x1d700000L;
        String mark = "     %d: v=80 e=0000 i=1 cpl=3 IP=0033:0000000000401c1f pc=0000000000401c1f "
                + "SP=002b:00007fffe1adea40 env->regs[R_EAX]=%016x";
        List<String> log = List.of(String.format(mark, 1, magic | 0x7ffe << 1),
                "     2: v=0e e=0007 i=0 cpl=3 IP=0033:0000000000401594 pc=0000000000401594 SP=002b:00007fffe1adea40"
                        + " CR2=00000000004ab3a0", String.format(mark, 3, magic),
                String.format("     4: v=%02x e=0000 i=1 cpl=3 IP=0033:0000000000401c1f pc=0000000000401c1f "
                        + "SP=002b:00007fffe1adea40 env->regs[R_EAX]=0000000000000000", vector),
                String.format(mark, 5, magic | 1));
        Files.write(dir.resolve(InterruptLog.FILE), log);
        InterruptLog.reduce(dir.resolve(InterruptLog.FILE), dir);
    }

    @Test
    void aChangeAwareRunMeasuresWhatItRanAndKeepsWhatItCarried(@TempDir Path dir) throws Exception {
        Path guest = dir.resolve("guest");
        BootRecord r = record(guest, "guest", List.of("sweep-64"));
        reduced(guest, 0x80);
        RaisedMap before = RaisedMap.of(List.of(new RaisedMap.Boot("selftests", List.of("ksft_a-64", "ksft_b-64"),
                null, "", Optional.of(new InterruptLog.Phases(Set.of(), Set.of(0x0e), Map.of(
                0, new InterruptLog.Window(Set.of(0x0d), true), 1, new InterruptLog.Window(Set.of(0x01), true)),
                Optional.empty(), "", 5)))));
        KernelOutcome o = new KernelOutcome(null, List.of(result("sweep-64", ""), result("ksft_a-64", "B")),
                List.of(r));
        RaisedMap kept = ChangeAware.measured(o, Optional.of(before)).orElseThrow();
        assertEquals(new RaisedMap.Measured(Set.of(0x80)), kept.units().get("sweep-64").measure());
        assertEquals(before.units().get("ksft_a-64"), kept.units().get("ksft_a-64"), "carried with its result");
        assertEquals(Set.of("sweep-64", "ksft_a-64"), kept.units().keySet(), "ksft_b-64 is no result of this run");
        assertEquals(Set.of("guest", "selftests"), kept.boots().keySet());
    }

    @Test
    void bootsWithoutAnInterruptLogKeepNoMap(@TempDir Path dir) throws Exception {
        KernelOutcome o = new KernelOutcome(null, List.of(result("sweep-64", "")),
                List.of(record(dir.resolve("guest"), "guest", List.of("sweep-64"))));
        assertEquals(Optional.empty(), ChangeAware.measured(o, Optional.empty()));
    }

    @Test
    void theReducedLogReplacesQemusLog(@TempDir Path dir) throws Exception {
        reduced(dir, 0x06);
        assertEquals(List.of(InterruptLog.REDUCED), Files.list(dir).map(p -> p.getFileName().toString()).toList());
        assertEquals(Map.of(0, new InterruptLog.Window(Set.of(0x06), true)),
                InterruptLog.read(dir).orElseThrow().programs());
    }
}
