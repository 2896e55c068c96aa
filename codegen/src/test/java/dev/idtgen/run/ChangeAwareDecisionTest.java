package dev.idtgen.run;

import dev.idtgen.boot.BootKernel;
import dev.idtgen.change.Baseline;
import dev.idtgen.change.ChangeSet;
import dev.idtgen.change.Fingerprints;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel needs no boot only when nothing changed and it is the very image its baseline booted. */
class ChangeAwareDecisionTest {

    private static final String IMAGE = "89b6ca0146eba940aa";
    private static final BootKernel K = new BootKernel("x86_64-tiny generated", Arch.X86_64, Variant.GENERATED,
            Profile.TINY, Path.of("bz"), Path.of("build"), Set.of(), List.of("traps-64"), Path.of("dir"));
    private static final Baseline B = new Baseline("b1", "c", Map.of("p", "i"), new Fingerprints(Map.of()), IMAGE, List.of());
    private static final ChangeSet NONE = new ChangeSet(List.of(), Map.of());

    @Test
    void theBaselinesImageWithNothingChangedBootsNothing() {
        ChangeAware.Decision d = new ChangeAware.Decision(K, Optional.of(B), List.of(), NONE, IMAGE);
        assertTrue(d.sameImage());
        assertEquals("change x86_64/tiny generated against baseline b1: no vector changed, and the bzImage is the one "
                + "it booted (sha256 89b6ca0146eba940): nothing to boot", d.describe());
    }

    @Test
    void anyDifferenceBoots() {
        assertFalse(new ChangeAware.Decision(K, Optional.of(B), List.of(), NONE, "other").sameImage(),
                "another image (a byte outside vmlinux.o: the setup, the compression)");
        assertFalse(new ChangeAware.Decision(K, Optional.of(B), List.of("the .config changed"), NONE, IMAGE)
                .sameImage());
        assertFalse(new ChangeAware.Decision(K, Optional.of(B), List.of(), new ChangeSet(List.of(),
                Map.of(5, List.of("asm_exc_bounds changed"))), IMAGE).sameImage());
        assertFalse(new ChangeAware.Decision(K, Optional.empty(), List.of(), NONE, IMAGE).sameImage());
        Baseline old = new Baseline("b0", "c", Map.of("p", "i"), new Fingerprints(Map.of()), "", List.of());
        assertFalse(new ChangeAware.Decision(K, Optional.of(old), List.of(), NONE, "").sameImage(),
                "a baseline that did not record its image");
    }
}
