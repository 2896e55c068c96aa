package dev.idtgen.boot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KtapTest {

    @Test
    void parsesProgramsResultsDirectivesAndMarkers() {
        Ktap.Stream s = Ktap.parse(List.of(
                "[    0.1] some noise before",
                "# idtgen: begin exceptions_64",
                "TAP version 13",
                "1..4",
                "# child got signal 8",
                "ok 1 exc_divide_error idiv",
                "not ok 2 exc_int3 int3",
                "ok 3 exc_overflow into # SKIP into is invalid in 64-bit mode",
                "# idtgen: inject nmi",
                "ok 4 exc_nmi host_nmi",
                "# Totals: pass:2 fail:1 xfail:0 xpass:0 skip:1 error:0",
                "# idtgen: end exceptions_64 exit=1",
                "# idtgen: begin sweep_64",
                "KTAP version 1",
                "1..2",
                "ok 1 sweep int_0",
                "# idtgen: done"));
        assertEquals(2, s.programs().size());
        Ktap.Program p = s.programs().get(0);
        assertEquals("exceptions_64", p.name());
        assertEquals(1, p.exitCode());
        assertEquals(4, p.planned());
        assertEquals(List.of(), p.problems());
        assertEquals(Ktap.Status.PASS, p.results().get(0).status());
        assertEquals("exc_divide_error idiv", p.results().get(0).name());
        assertEquals(List.of("child got signal 8"), p.results().get(0).diagnostics());
        assertEquals(Ktap.Status.FAIL, p.results().get(1).status());
        assertEquals(Ktap.Status.SKIP, p.results().get(2).status());
        assertEquals("exc_overflow into", p.results().get(2).name());
        assertEquals("into is invalid in 64-bit mode", p.results().get(2).reason());
        assertEquals(List.of("nmi"), s.injections());
        Ktap.Program q = s.programs().get(1);
        assertNull(q.exitCode());
        assertTrue(q.problems().get(0).contains("never ended"), q.problems().toString());
        assertTrue(s.done());
        assertEquals(5, s.results().size());
    }

    @Test
    void reportsAPlanMismatchAndAMissingDone() {
        Ktap.Stream s = Ktap.parse(List.of("# idtgen: begin a", "1..3", "ok 1 x", "# idtgen: end a exit=0"));
        assertEquals(List.of("planned 3 tests, reported 1"), s.programs().get(0).problems());
        assertFalse(s.done());
    }

    @Test
    void toleratesCarriageReturnsAndDashes() {
        Ktap.Stream s = Ktap.parse(List.of("# idtgen: begin a\r", "ok 1 - exc_bounds bound\r",
                "# idtgen: end a exit=0\r"));
        assertEquals("exc_bounds bound", s.results().get(0).name());
        assertEquals(0, s.programs().get(0).exitCode());
    }

    @Test
    void aGuestTimeoutIsRecordedWithHowFarTheProgramGot() {
        Ktap.Stream s = Ktap.parse(List.of(
                "# idtgen: begin ksft_syscall_numbering-64",
                "[RUN]\tChecking for x32... no",
                "[RUN]\tChecking system calls 0-399",
                "# idtgen: timeout ksft_syscall_numbering-64 after 120s",
                "# idtgen: end ksft_syscall_numbering-64 exit=137",
                "# idtgen: begin traps-64",
                "1..3",
                "ok 1 exc_divide_error idiv",
                "# idtgen: timeout traps-64 after 40s",
                "# idtgen: end traps-64 exit=137"));
        Ktap.Program p = s.programs().get(0);
        assertEquals("after 120s", p.timeout());
        assertEquals(137, p.exitCode());
        assertEquals(2, p.lines());
        assertEquals("[RUN]\tChecking system calls 0-399", p.last());
        Ktap.Program t = s.programs().get(1);
        assertEquals("after 40s", t.timeout());
        assertEquals(List.of(), t.problems(), "a timed-out program's missing points are the timeout, not a problem");
        assertEquals("1 of 3 test points reported, 2 lines, last: 'ok 1 exc_divide_error idiv'", t.progress());
    }

    @Test
    void aProgramKilledByTheHostNeverEnds() {
        Ktap.Stream s = Ktap.parse(List.of("# idtgen: begin sweep-64", "1..256", "ok 1 sweep int_0"));
        Ktap.Program p = s.programs().get(0);
        assertNull(p.exitCode());
        assertNull(p.timeout());
        assertFalse(s.done());
    }
}
