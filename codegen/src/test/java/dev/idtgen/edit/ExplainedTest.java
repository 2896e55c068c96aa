package dev.idtgen.edit;

import dev.idtgen.kernel.EntryComparator;
import dev.idtgen.kernel.EntryComparator.Difference;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which differences of kernel compare an edit explains: the custom-vector overlay's new DPL 3 vector 0x81 on 6.12
 * explains its own symbols, its gate slot, FRED's dispatch and stubs moved by it, and nothing else; with no edit,
 * every difference is a failure.
 */
class ExplainedTest {

    private static VectorTable table(List<Path> overlays) {
        Tables.Checked c = Tables.read(Path.of("vectors.yaml"), overlays, "6.12");
        assertTrue(c.ok(), () -> c.problems().toString());
        return c.table();
    }

    private static final Edit ADDED = Edit.between(table(List.of()), Path.of("stock"),
            table(List.of(Path.of("qemu-tests/fixtures/custom-vector/overlay.yaml"))));

    private static Comparison classify(Edit e, Difference... d) {
        return Explained.classify(Arch.X86_64, e, new EntryComparator.Report(100, List.of(d), List.of()));
    }

    @Test
    void theNewVectorsSymbolsGateFredDispatchAndMovedStubsAreTheEdits() {
        Comparison c = classify(ADDED,
                new Difference("asm_exc_idtgen_demo", "in .entry.text of generated only"),
                new Difference("exc_idtgen_demo", "in .noinstr.text of generated only"),
                new Difference("def_idts", 0x81, "only in generated (system gate DPL 3, asm_exc_idtgen_demo)"),
                new Difference("fred_intx", "size 80 in stock, 96 in generated"),
                new Difference("asm_exc_page_fault", null, "at .entry.text+0x10 in stock, +0x30 in generated; "
                        + "its bytes identical", true));
        assertEquals(4, c.changed().size(), c.toString());
        assertEquals(List.of("asm_exc_page_fault"), c.moved());
        assertEquals(List.of(), c.unexplained());
        assertEquals(List.of(), c.failures());
        assertTrue(c.line().endsWith("4 changed by the table, 1 moved by it, nothing else differs"), c.line());
    }

    @Test
    void anyOtherDifferenceIsAFailureNamingItsSymbol() {
        Comparison c = classify(ADDED,
                new Difference("def_idts", 0x05, "differs (stock -> generated): dpl 0 -> 3"),
                new Difference("asm_exc_bounds", "first difference at +0x4: stock 'nop', generated 'int3'"),
                new Difference("asm_exc_page_fault", null, "size 40 in stock, 41 in generated; at .entry.text+0x10 "
                        + "in stock, +0x30 in generated", false));
        assertEquals(List.of(), c.changed());
        assertEquals(3, c.failures().size(), c.failures().toString());
        assertTrue(c.failures().get(0).startsWith("x86_64: kernel compare: def_idts[0x5]: "), c.failures().get(0));
        assertTrue(c.failures().get(1).contains("asm_exc_bounds"), c.failures().get(1));
    }

    @Test
    void withNoEditEveryDifferenceFailsEvenAMovedStub() {
        VectorTable t = table(List.of());
        Edit none = Edit.none(t, Path.of("generated"));
        Comparison c = classify(none, new Difference("asm_exc_page_fault", null,
                "at .entry.text+0x10 in stock, +0x30 in generated; its bytes identical", true));
        assertEquals(1, c.failures().size());
        Comparison same = classify(none);
        assertEquals(List.of(), same.failures());
        assertTrue(same.line().endsWith("entry code byte-identical to stock"), same.line());
    }
}
