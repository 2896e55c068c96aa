package dev.idtgen.boot;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host's hang detector fed numbers: emulator CPU seconds decide, never the wall time alone. */
class HangDetectorTest {

    /** 10 s of emulator CPU per program, 5 s for the phases between, a 30 s idle window. */
    private final HangDetector d = new HangDetector(new GuestWatch.Limits(p -> 10, 5, 30));

    @Test
    void aProgramOverItsCpuLimitIsKilledInItsName() {
        d.begin("sweep-64", 1, 1);
        assertNull(d.sample(5, 8), "7 s of CPU: within the limit");
        Emulator.Kill k = d.sample(6, 11.5);
        assertNotNull(k);
        assertEquals("sweep-64", k.program());
        assertEquals("timeout: over its limit", k.reason());
        assertEquals(10.5, k.cpuSeconds(), 1e-9);
    }

    @Test
    void aLoadedHostStretchesWallTimeWithoutAKill() {
        d.begin("traps-64", 0, 0);
        for (int wall = 1; wall <= 300; wall++) {
            assertNull(d.sample(wall, wall * 0.03), "3 % of a CPU for 300 s of wall: slow, not idle nor over");
        }
    }

    @Test
    void aGuestIdleForTheWholeWindowIsKilled() {
        d.begin("nmi-64", 0, 0);
        assertNull(d.sample(1, 1));
        Emulator.Kill k = null;
        for (int wall = 2; wall <= 40 && k == null; wall++) {
            k = d.sample(wall, 1.01);
        }
        assertNotNull(k, "under 2 % of a CPU for 30 s");
        assertTrue(k.reason().startsWith("timeout: the guest was idle"), k.reason());
        assertEquals("nmi-64", k.program());
    }

    @Test
    void theUsageOfEachEndedProgramIsRecordedAndThePhasesBetweenHaveTheirOwnLimit() {
        d.begin("irqs-64", 2, 1);
        d.end("irqs-64", 6, 4);
        assertEquals(new Emulator.Usage(3, 4), d.usage().get("irqs-64"));
        Emulator.Kill k = d.sample(7, 9.5);
        assertNotNull(k, "5.5 s of CPU outside a program: over the 5 s of the other phases");
        assertNull(k.program());
    }
}
