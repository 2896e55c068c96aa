package dev.idtgen.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failure outranks a timeout, which outranks success, whichever comes first. */
class ExitCodesTest {

    @Test
    void theWorseOfTwoVerdicts() {
        assertEquals(0, ExitCodes.worse(0, 0));
        assertEquals(3, ExitCodes.worse(0, 3));
        assertEquals(3, ExitCodes.worse(3, 0));
        assertEquals(1, ExitCodes.worse(3, 1));
        assertEquals(1, ExitCodes.worse(1, 3));
        assertEquals(1, ExitCodes.worse(1, 0));
        assertEquals(1, ExitCodes.worse(0, 1));
    }
}
