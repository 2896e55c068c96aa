package dev.idtgen.change;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.YamlDoc;
import dev.idtgen.io.YamlFiles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QEMU's interrupt log reduced to phases, from strings shaped as QEMU 7.2 TCG writes them. */
class InterruptLogTest {

    /** An event's first line, as x86_64 QEMU writes it, and a line of the register dump after it. */
    static List<String> event(int n, int vector, int soft, int cpl, long eax) {
        String tail = vector == 0x0e ? " CR2=0000000000401000"
                : String.format(" env->regs[R_EAX]=%016x", eax);
        return List.of(String.format("%6d: v=%02x e=0000 i=%d cpl=%d IP=0033:00000000004011a3 pc=00000000004011a3"
                + " SP=002b:00007ffd12345678%s", n, vector, soft, cpl, tail),
                "RAX=0000000000000000 RBX=0000000000000000 RCX=0000000000000000 RDX=0000000000000000");
    }

    /** /init's mark: int $0x80 from user space with the magic number. */
    static List<String> mark(int index, boolean end) {
        return event(0, 0x80, 1, 3, InterruptLog.MAGIC | (long) index << 1 | (end ? 1 : 0));
    }

    static List<String> log(List<List<String>> events) {
        List<String> l = new ArrayList<>();
        l.add("Servicing hardware INT=0xec");
        events.forEach(l::addAll);
        return l;
    }

    /**
     * A real log, trimmed: 6.1 x86_64 tiny booted with traps-64 and traps-32 (QEMU 7.2 TCG), its SMM lines and
     * fifteen events with their register dumps: the kernel's boot (#PF, the KUnit int3, the timer), /init's probe,
     * each program's marks and events (traps-64's #UD, #GP and a system call through int $0x80; traps-32's #BR)
     * and the keyboard controller's interrupt of the reboot.
     */
    @Test
    void aRealLogExcerpt() throws java.io.IOException {
        InterruptLog.Phases p = InterruptLog.parse(java.nio.file.Path.of("codegen", "src", "test", "resources",
                "interrupt-log", "x86_64-traps.log"));
        assertTrue(p.measured(), p.problem());
        assertEquals(15, p.events());
        assertEquals(Set.of(0x03, 0x0e, 0xec), p.kernel());
        assertEquals(Set.of(0x0e, 0x21), p.init());
        assertEquals(Map.of(0, new InterruptLog.Window(Set.of(0x06, 0x0d, 0x80), true),
                1, new InterruptLog.Window(Set.of(0x05), true)), p.programs());
        assertEquals(Optional.empty(), p.crash());
    }

    @Test
    void eventsGoToTheWindowTheMarksOpen() {
        InterruptLog.Phases p = InterruptLog.parse(log(List.of(
                event(1, 0xec, 0, 0, 0), event(2, 0x03, 1, 0, 0), // the kernel's boot
                mark(InterruptLog.INIT, false),
                event(3, 0x0e, 0, 3, 0),                           // /init
                mark(0, false), event(4, 0x06, 0, 3, 0), event(5, 0x80, 1, 3, 4), mark(0, true),
                event(6, 0x24, 0, 0, 0),                           // between the programs
                mark(1, false), event(7, 0x0d, 0, 3, 0), mark(1, true),
                mark(InterruptLog.CRASH, false), event(8, 0x08, 0, 0, 0)))); // the crash ends the VM
        assertTrue(p.measured(), p.problem());
        assertEquals(Set.of(0xec, 0x03), p.kernel());
        assertEquals(Set.of(0x0e, 0x24), p.init(), "the marks are no event");
        assertEquals(Map.of(0, new InterruptLog.Window(Set.of(0x06, 0x80), true),
                1, new InterruptLog.Window(Set.of(0x0d), true)), p.programs());
        assertEquals(Optional.of(new InterruptLog.Window(Set.of(0x08), false)), p.crash());
        assertEquals(14, p.events(), "every event QEMU logged, the marks too");
    }

    @Test
    void anI386LogHasAnEightDigitEax() {
        InterruptLog.Phases p = InterruptLog.parse(List.of(
                "     5: v=80 e=0000 i=1 cpl=3 IP=0073:080497b5 pc=080497b5 SP=007b:bf8d0e8c env->regs[R_EAX]=1d70fffc",
                "     6: v=80 e=0000 i=1 cpl=3 IP=0073:080497b5 pc=080497b5 SP=007b:bf8d0e8c env->regs[R_EAX]=1d700000",
                "     7: v=0e e=0007 i=0 cpl=3 IP=0073:0804a000 pc=0804a000 SP=007b:bf8d0e8c CR2=0804a000",
                "     8: v=80 e=0000 i=1 cpl=3 IP=0073:080497b5 pc=080497b5 SP=007b:bf8d0e8c env->regs[R_EAX]=1d700001"));
        assertTrue(p.measured(), p.problem());
        assertEquals(Map.of(0, new InterruptLog.Window(Set.of(0x0e), true)), p.programs());
    }

    @Test
    void aMagicNumberFromTheKernelOrInAHigherHalfIsNoMark() {
        InterruptLog.Phases p = InterruptLog.parse(log(List.of(mark(InterruptLog.INIT, false),
                event(1, 0x80, 1, 0, InterruptLog.MAGIC), event(2, 0x80, 1, 3, 0x100000000L | InterruptLog.MAGIC))));
        assertTrue(p.measured(), p.problem());
        assertEquals(Set.of(0x80), p.init());
        assertEquals(Map.of(), p.programs());
    }

    @Test
    void withoutMarksNothingIsMeasured() {
        InterruptLog.Phases p = InterruptLog.parse(log(List.of(event(1, 0x0e, 0, 3, 0))));
        assertFalse(p.measured());
        assertTrue(p.problem().contains("no marks"), p.problem());
    }

    @Test
    void marksOutOfOrderMeasureNothing() {
        assertTrue(InterruptLog.parse(log(List.of(mark(0, false)))).problem().contains("before the probe"));
        assertTrue(InterruptLog.parse(log(List.of(mark(InterruptLog.INIT, false), mark(0, false), mark(1, false))))
                .problem().contains("program 1 begins while program 0 runs"));
        assertTrue(InterruptLog.parse(log(List.of(mark(InterruptLog.INIT, false), mark(0, true))))
                .problem().contains("program 0 ends"));
        assertTrue(InterruptLog.parse(log(List.of(mark(InterruptLog.INIT, false), mark(0, false), mark(0, true),
                mark(0, false)))).problem().contains("program 0 begins"), "a window opens once");
    }

    @Test
    void aLineCutShortStillCountsItsVector() {
        // the end of a killed boot's log: the event happened, and over-attribution is safe
        InterruptLog.Phases p = InterruptLog.parse(log(List.of(mark(InterruptLog.INIT, false), mark(0, false),
                List.of("    12: v=0d e=0000 i=0 cpl=3 IP=0033:00000000004011a3 pc=0000", "    13: v=06 e=00"))));
        assertEquals(Map.of(0, new InterruptLog.Window(Set.of(0x0d), false)), p.programs());
    }

    @Test
    void phasesReadBackAsWritten() throws ConfigException {
        InterruptLog.Phases p = InterruptLog.parse(log(List.of(event(1, 0xec, 0, 0, 0),
                mark(InterruptLog.INIT, false), mark(0, false), event(2, 0x06, 0, 3, 0), mark(0, true),
                mark(1, false), mark(1, true), mark(InterruptLog.CRASH, false))));
        String yaml = YamlFiles.dump(InterruptLog.toData(p));
        assertEquals(p, InterruptLog.fromNode(YamlDoc.parse("interrupts.yaml", yaml).asMap()), yaml);
        InterruptLog.Phases bad = InterruptLog.parse(List.of());
        assertEquals(bad, InterruptLog.fromNode(YamlDoc.parse("i.yaml", YamlFiles.dump(InterruptLog.toData(bad)))
                .asMap()));
    }

    @Test
    void aMalformedReductionIsAPositionedError() {
        ConfigException e = assertThrows(ConfigException.class, () -> InterruptLog.fromNode(YamlDoc.parse(
                "interrupts.yaml", "events: 3\nkernel: 0x0e 0x1ff\ninit: ''\nprograms: {}\n").asMap()));
        assertTrue(e.getMessage().startsWith("interrupts.yaml:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("'0x1ff' is not a vector"), e.getMessage());
    }
}
