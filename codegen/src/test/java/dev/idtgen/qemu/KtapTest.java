package dev.idtgen.qemu;

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
}
