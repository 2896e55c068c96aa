package dev.idtgen.lava;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** qemu-tests/lava.yaml as LavaJobs reads it. */
class LavaPlanTest {

    @Test
    void theProjectsPlanSaysWhoAsksForInjectionsAndWhatIsLeftOut() throws IOException {
        LavaPlan p = LavaPlan.load(Path.of(LavaPlan.FILE));
        assertEquals(List.of("nmi"), p.requests("nmi-64"));
        assertEquals(List.of("mce"), p.requests("mce-32"));
        assertEquals(List.of(), p.requests("traps-64"));
        assertEquals(List.of("mce-fatal"), p.requests("crash-mce"));
        assertEquals(Set.of("exc_double_fault", "sysvec_reboot", "exc_nmi", "exc_machine_check"),
                p.untestedOnBoard().keySet());
        assertTrue(p.untestedOnBoard().get("exc_double_fault").startsWith("no board job tests it: a crash boot"));
        assertTrue(p.qemuOptions().stream().anyMatch(o -> o.contains("{ttyS0}")), "the console has a socket");
        assertTrue(p.console().connect().contains("{socket}"));
        assertTrue(p.end().contains("{program}"));
        assertTrue(p.maxread() < 4000, "LAVA searches the last 4000 bytes per read");
    }

    @Test
    void anUntestedHandlerMustSayWhyWithAKeyOfCannot(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("lava.yaml");
        Files.writeString(f, Files.readString(Path.of(LavaPlan.FILE)).replace("sysvec_reboot: shutdown",
                "sysvec_reboot: shutdwon"));
        IOException e = assertThrows(IOException.class, () -> LavaPlan.load(f));
        assertTrue(e.getMessage().contains("untested_on_board.sysvec_reboot: 'shutdwon' is not a key of cannot"),
                e.getMessage());
    }
}
