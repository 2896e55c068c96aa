package dev.idtgen.run;

import dev.idtgen.edit.Comparison;
import dev.idtgen.edit.EditedTests;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the disagreement protocol may rely on: identical entry code, or entry code that differs only where the
 * table's edit says; never a difference the edit does not explain, never an empty comparison.
 */
class EditIdentityTest {

    private static final EditedTests EDITED = new EditedTests(Set.of("sysvec_idtgen_demo"), Set.of(0xf5));

    @Test
    void theProtocolLeavesOutTheTestsOfTheEditsVectors() {
        BootStage.Identity id = MainJob.identity(new Comparison(Arch.X86_64, 229,
                List.of("apic_idts[0xf5]: only in generated"), List.of(), List.of()), EDITED);
        for (String t : List.of("sysvec_idtgen_demo", "sysvec_idtgen_demo count", "idt_audit vector_0xf5",
                "idt_delivery deliver_0xf5", "sweep int_245")) {
            assertTrue(id.edited().covers(t), t);
        }
        for (String t : List.of("sysvec_idtgen_demox", "idt_delivery deliver_0xf6", "sweep int_24",
                "selftest ksft_fsgsbase-64", "exc_bounds bound")) {
            assertFalse(id.edited().covers(t), t);
        }
        assertEquals(EDITED, EditedTests.fromNames(EDITED.names()), "what compare.yaml keeps reads back the same");
    }

    @Test
    void noDifferenceIsIdentity() {
        BootStage.Identity id = MainJob.identity(new Comparison(Arch.X86_64, 229, List.of(), List.of(), List.of()),
                EditedTests.NONE);
        assertTrue(id.identical());
        assertEquals("kernel compare: 229 symbols, 0 differences, the same .config", id.detail());
    }

    @Test
    void differencesTheEditExplainsAreIdentityOutsideTheEdit() {
        BootStage.Identity id = MainJob.identity(new Comparison(Arch.X86_64, 229,
                List.of("apic_idts[0xf5]: only in generated"), List.of("asm_exc_bounds"), List.of()), EDITED);
        assertTrue(id.identical(), "a flaky test must not fail an edit: the protocol re-runs it");
        assertEquals("outside the table's edit: kernel compare: 229 symbols, 2 difference(s), each changed or moved "
                + "by the edit, the same .config", id.detail());
    }

    @Test
    void aDifferenceTheEditDoesNotExplainIsNoIdentity() {
        BootStage.Identity id = MainJob.identity(new Comparison(Arch.I386, 158, List.of("apic_idts[0xf5]"), List.of(),
                List.of("exc_page_fault: size 10 in stock, 12 in generated")), EDITED);
        assertFalse(id.identical());
        assertTrue(id.detail().contains("first: exc_page_fault: size 10"), id.detail());
        assertFalse(MainJob.identity(new Comparison(Arch.I386, 0, List.of(), List.of(), List.of("no vmlinux.o")),
                EditedTests.NONE).identical(), "nothing compared proves nothing");
    }
}
