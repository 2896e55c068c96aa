package dev.idtgen.boot;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The marker lines of qemu-tests/guest/init.c, as the host reads them. */
class GuestProtocolTest {

    @Test
    void everyMarkerInitWritesIsRead() {
        assertEquals(Optional.of(new GuestProtocol.Begin("traps-64")), GuestProtocol.parse("# idtgen: begin traps-64"));
        assertEquals(Optional.of(new GuestProtocol.End("traps-64", 0)),
                GuestProtocol.parse("# idtgen: end traps-64 exit=0"));
        assertEquals(Optional.of(new GuestProtocol.End("sweep-32", -9)),
                GuestProtocol.parse("# idtgen: end sweep-32 exit=-9  "));
        assertEquals(Optional.of(new GuestProtocol.Timeout("nmi-64", "after 120s")),
                GuestProtocol.parse("# idtgen: timeout nmi-64 after 120s"));
        assertEquals(Optional.of(new GuestProtocol.Inject("mce")), GuestProtocol.parse("# idtgen: inject mce"));
        assertEquals(Optional.of(new GuestProtocol.Crash("crash-mce", "triggering host mce-fatal")),
                GuestProtocol.parse("# idtgen: crash crash-mce triggering host mce-fatal"));
        assertEquals(Optional.of(new GuestProtocol.Done()), GuestProtocol.parse("# idtgen: done"));
    }

    @Test
    void anEndWithoutItsExitCodeIsAnEndWithNoExit() {
        assertEquals(Optional.of(new GuestProtocol.End("traps-64", null)),
                GuestProtocol.parse("# idtgen: end traps-64 killed"));
    }

    @Test
    void otherLinesAreNoMarkers() {
        for (String l : new String[] {"ok 1 exc_int3 int3", "# idtgen: begin", "# idtgen: beginning x",
            "# idtgen: done now", "# idtgen: inject", "#idtgen: begin x", "  # idtgen: begin x"}) {
            assertTrue(GuestProtocol.parse(l).isEmpty(), l);
        }
        assertTrue(GuestProtocol.isProtocolLine("# idtgen: something new"));
        assertFalse(GuestProtocol.isProtocolLine("# Subtest: idt_audit"));
    }

    @Test
    void theLinesTheHostWritesReadBack() {
        assertEquals(Optional.of(new GuestProtocol.Begin("audit-64")),
                GuestProtocol.parse(GuestProtocol.begin("audit-64")));
        assertEquals(Optional.of(new GuestProtocol.Inject("nmi")), GuestProtocol.parse(GuestProtocol.inject("nmi")));
        assertTrue(GuestProtocol.parse(GuestProtocol.crash("crash-bug") + " triggering BUG").orElseThrow()
                instanceof GuestProtocol.Crash c && c.mode().equals("crash-bug"));
    }
}
