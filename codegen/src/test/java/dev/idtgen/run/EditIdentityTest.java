package dev.idtgen.run;

import dev.idtgen.edit.Comparison;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the disagreement protocol may rely on: identical entry code, or entry code that differs only where the
 * table's edit says; never a difference the edit does not explain, never an empty comparison.
 */
class EditIdentityTest {

    @Test
    void noDifferenceIsIdentity() {
        BootStage.Identity id = MainJob.identity(new Comparison(Arch.X86_64, 229, List.of(), List.of(), List.of()));
        assertTrue(id.identical());
        assertEquals("kernel compare: 229 symbols, 0 differences, the same .config", id.detail());
    }

    @Test
    void differencesTheEditExplainsAreIdentityOutsideTheEdit() {
        BootStage.Identity id = MainJob.identity(new Comparison(Arch.X86_64, 229,
                List.of("apic_idts[0xf5]: only in generated"), List.of("asm_exc_bounds"), List.of()));
        assertTrue(id.identical(), "a flaky test must not fail an edit: the protocol re-runs it");
        assertEquals("outside the table's edit: kernel compare: 229 symbols, 2 difference(s), each changed or moved "
                + "by the edit, the same .config", id.detail());
    }

    @Test
    void aDifferenceTheEditDoesNotExplainIsNoIdentity() {
        BootStage.Identity id = MainJob.identity(new Comparison(Arch.I386, 158, List.of("apic_idts[0xf5]"), List.of(),
                List.of("exc_page_fault: size 10 in stock, 12 in generated")));
        assertFalse(id.identical());
        assertTrue(id.detail().contains("first: exc_page_fault: size 10"), id.detail());
        assertFalse(MainJob.identity(new Comparison(Arch.I386, 0, List.of(), List.of(), List.of("no vmlinux.o")))
                .identical(), "nothing compared proves nothing");
    }
}
