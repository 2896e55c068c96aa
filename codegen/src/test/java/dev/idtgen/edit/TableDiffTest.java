package dev.idtgen.edit;

import dev.idtgen.edit.TableDiff.How;
import dev.idtgen.edit.TableDiff.Subject;
import dev.idtgen.edit.TableDiff.VectorChange;
import dev.idtgen.load.TableLoader;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import dev.idtgen.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The diff of the real vectors.yaml, projected onto 6.1 and 6.12, against edits of its text: the edits a kernel
 * engineer makes (a kind, a number, a gate's DPL or IST, a FRED route, a vector added by the custom-vector
 * overlay) each give exactly their change; prose and positions give none.
 */
class TableDiffTest {

    private static final Path TABLE = Path.of("vectors.yaml");
    private static final Path OVERLAY = Path.of("qemu-tests", "fixtures", "custom-vector", "overlay.yaml");
    private static final Set<Arch> BOTH = Set.of(Arch.X86_64, Arch.I386);

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table's text projected onto {@code kernel}, loaded and validated clean. */
    private static VectorTable valid(String text, String kernel) {
        Tables.Checked c = Tables.check(TABLE.toString(), text, kernel);
        assertTrue(c.ok(), () -> kernel + ": " + c.problems());
        return c.table();
    }

    /**
     * The table's text loaded for its shape only: for edits the validator would refuse (a DPL 0 system gate);
     * the diff reads facts, not whether they make a good table.
     */
    private static VectorTable loaded(String text, String kernel) {
        TableLoader.Loaded r = TableLoader.load(TABLE.toString(), text, kernel);
        assertTrue(r.ok(), () -> kernel + ": " + r.problems());
        return r.table();
    }

    /** {@code text} with its one occurrence of {@code from} replaced by {@code to}. */
    private static String edit(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, () -> "not exactly once in the table: " + from);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** {@code base} with the custom-vector overlay's text {@code overlay} added, validated clean. */
    private static VectorTable withOverlay(VectorTable base, String overlay) {
        TableLoader.Loaded o = TableLoader.loadOverlay(OVERLAY.toString(), overlay, base);
        assertTrue(o.ok(), () -> o.problems().toString());
        TableLoader.Loaded m = TableLoader.merge(base, o.table());
        assertTrue(m.ok(), () -> m.problems().toString());
        assertEquals(List.of(), Validator.validate(m.table()));
        return m.table();
    }

    /** The one change of the diff between the stock table and {@code edited}. */
    private static VectorChange only(String kernel, VectorTable edited) {
        TableDiff d = TableDiff.between(valid(read(TABLE), kernel), edited);
        assertEquals(1, d.changes().size(), () -> String.join("\n", d.lines()));
        return d.changes().get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void theTableAgainstItselfIsEmpty(String kernel) {
        String text = read(TABLE);
        TableDiff d = TableDiff.between(valid(text, kernel), valid(text, kernel));
        assertTrue(d.isEmpty(), () -> String.join("\n", d.lines()));
        assertEquals(List.of(), d.lines());
        assertEquals(Set.of(), d.numbers());
        assertEquals(Set.of(), d.handlers());
    }

    /** Every position moves (two lines on top, a key reordered): no change. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void positionsAreNoChange(String kernel) {
        String text = read(TABLE);
        String moved = "# moved\n\n" + edit(text, "{handler: exc_bounds, vector: X86_TRAP_BR, number: 5,",
                "{vector: X86_TRAP_BR, number: 5, handler: exc_bounds,");
        assertTrue(TableDiff.between(valid(text, kernel), valid(moved, kernel)).isEmpty());
    }

    /** Waiver reasons (an entry's, a gate's) and a FRED exemption's reason are prose: no change. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void proseIsNoChange(String kernel) {
        String text = read(TABLE);
        String prose = edit(edit(text, "IRQ_MOVE_CLEANUP_VECTOR is FIRST_EXTERNAL_VECTOR on purpose",
                        "The cleanup vector is the lowest one on purpose"),
                "vector 9 is reserved since the 486", "vector 9 has been reserved for a long time");
        String overlay = read(OVERLAY);
        TableDiff d = TableDiff.between(withOverlay(valid(text, kernel), overlay),
                withOverlay(valid(prose, kernel), edit(overlay, "that user space is meant to call", "for users")));
        assertTrue(d.isEmpty(), () -> String.join("\n", d.lines()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void aKindChangeIsThatVectorsChange(String kernel) {
        VectorChange c = only(kernel, valid(edit(read(TABLE), "number: 5, kind: plain", "number: 5, kind: raw"),
                kernel));
        assertEquals(new VectorChange(Subject.VECTOR, "exc_bounds", 5, 5, How.CHANGED, BOTH,
                List.of("kind plain -> raw"), Set.of(5)), c);
        assertEquals("0x05 exc_bounds: kind plain -> raw", c.line());
    }

    /** One row of a handler with a row per arch: the change is that arch's. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void aChangeOfOneArchsRowIsThatArchs(String kernel) {
        VectorChange c = only(kernel, valid(edit(read(TABLE), "number: 1, kind: raw, error_code: none, arches: [i386]",
                "number: 1, kind: plain, error_code: none, arches: [i386]"), kernel));
        assertEquals(Set.of(Arch.I386), c.arches());
        assertEquals("0x01 exc_debug (i386): kind raw -> plain", c.line());
    }

    /** {@code otherwise} is a fact; a condition compares as its #if line, however the table spells it. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void otherwiseIsAFactAConditionsSpellingIsNot(String kernel) {
        String text = read(TABLE);
        assertEquals("0xf8 sysvec_reboot: otherwise {fred_sysvec_reboot: NULL} -> none", only(kernel, loaded(edit(text,
                "condition: CONFIG_SMP, otherwise: {fred_sysvec_reboot: NULL}, ", "condition: CONFIG_SMP, "), kernel))
                .line());
        String spelt = edit(text, "condition: CONFIG_X86_LOCAL_APIC && CONFIG_IRQ_WORK, otherwise",
                "condition: defined(CONFIG_X86_LOCAL_APIC) && (CONFIG_IRQ_WORK), otherwise");
        assertTrue(TableDiff.between(valid(text, kernel), valid(spelt, kernel)).isEmpty());
        assertEquals("0xf6 sysvec_irq_work: condition CONFIG_X86_LOCAL_APIC && CONFIG_IRQ_WORK -> CONFIG_IRQ_WORK",
                only(kernel, loaded(edit(text, "condition: CONFIG_X86_LOCAL_APIC && CONFIG_IRQ_WORK, otherwise",
                        "condition: CONFIG_IRQ_WORK, otherwise"), kernel)).line());
    }

    /** An entry on a further arch: that arch's whole row. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void anEntryOnAFurtherArchIsThatArchsRow(String kernel) {
        VectorChange c = only(kernel, loaded(edit(read(TABLE), "number: 20, kind: plain, error_code: none, arches: "
                + "[x86_64]", "number: 20, kind: plain, error_code: none, arches: [x86_64, i386]"), kernel));
        assertEquals("0x14 exc_virtualization_exception (i386): entry none -> {vector X86_TRAP_VE, number 0x14, "
                + "kind plain, error_code none, condition CONFIG_INTEL_TDX_GUEST}", c.line());
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void theCustomVectorOverlayAddsOneVector(String kernel) {
        VectorTable stock = valid(read(TABLE), kernel);
        VectorTable added = withOverlay(stock, read(OVERLAY));
        VectorChange c = only(kernel, added);
        assertEquals(Subject.VECTOR, c.subject());
        assertEquals("exc_idtgen_demo", c.handler());
        assertEquals(How.ADDED, c.how());
        assertNull(c.before());
        assertEquals(0x81, c.after());
        assertEquals(BOTH, c.arches());
        assertTrue(c.what().contains("def_idts gate {type system, DPL 3, waive [dpl3]}"), c.what()::toString);
        assertTrue(c.what().contains("kind plain"), c.what()::toString);
        assertEquals(kernel.equals("6.12"), c.what().contains("x86_64: FRED routes [intx]"), c.what()::toString);
        assertEquals("0x81 exc_idtgen_demo: added (vector IDTGEN_DEMO_VECTOR, number 0x81, kind plain, error_code "
                + "none, " + (kernel.equals("6.12") ? "x86_64: FRED routes [intx], " : "")
                + "def_idts gate {type system, DPL 3, waive [dpl3]})", c.line());
        TableDiff back = TableDiff.between(added, stock);
        assertEquals(How.REMOVED, back.of("exc_idtgen_demo").orElseThrow().how());
        assertEquals(0x81, back.of("exc_idtgen_demo").orElseThrow().before());
        assertEquals(Set.of(0x81), back.numbers());
    }

    /** A gate's waived rule ids are facts (unlike their reasons). */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void aGateWaiverRemovedIsAChange(String kernel) {
        VectorTable stock = valid(read(TABLE), kernel);
        String overlay = read(OVERLAY);
        String unwaived = overlay.substring(0, overlay.indexOf("      waive:"));
        TableDiff d = TableDiff.between(withOverlay(stock, overlay),
                TableLoader.merge(stock, TableLoader.loadOverlay("o.yaml", unwaived, stock).table()).table());
        assertEquals(List.of("0x81 exc_idtgen_demo: def_idts gate waive [dpl3] -> none"), d.lines());
    }

    /** A system vector moved to a free number: its symbol and its entry's number. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void aMovedVectorHasItsNumbersBeforeAndAfter(String kernel) {
        String text = edit(edit(read(TABLE), "X86_PLATFORM_IPI_VECTOR: 0xf7", "X86_PLATFORM_IPI_VECTOR: 0xf5"),
                "vector: X86_PLATFORM_IPI_VECTOR, number: 0xf7", "vector: X86_PLATFORM_IPI_VECTOR, number: 0xf5");
        VectorChange c = only(kernel, valid(text, kernel));
        assertEquals(new VectorChange(Subject.VECTOR, "sysvec_x86_platform_ipi", 0xf7, 0xf5, How.CHANGED, BOTH,
                List.of("number 0xf7 -> 0xf5"), Set.of(0xf5, 0xf7)), c);
        assertEquals("0xf7 -> 0xf5 sysvec_x86_platform_ipi: number 0xf7 -> 0xf5", c.line());
    }

    /** FIRST_SYSTEM_VECTOR, named by no entry, moves its own line and both stub arrays' bounds. */
    @Test
    void aSymbolNoEntryNamesMovesTheStubArrays() {
        String text = edit(read(TABLE), "{6.1: 0xec, 6.12: 0xeb}", "{6.1: 0xeb, 6.12: 0xeb}");
        TableDiff d = TableDiff.between(valid(read(TABLE), "6.1"), valid(text, "6.1"));
        assertEquals(List.of(
                "0x20 irq_entries_start: end FIRST_SYSTEM_VECTOR 0xec -> FIRST_SYSTEM_VECTOR 0xeb",
                "0xec -> 0xeb FIRST_SYSTEM_VECTOR: number 0xec -> 0xeb",
                "0xec -> 0xeb spurious_entries_start: first FIRST_SYSTEM_VECTOR 0xec -> FIRST_SYSTEM_VECTOR 0xeb"),
                d.lines());
        assertEquals(Subject.SYMBOL, d.of("FIRST_SYSTEM_VECTOR").orElseThrow().subject());
        assertEquals(Set.of(), d.of("FIRST_SYSTEM_VECTOR").orElseThrow().vectors());
        assertEquals(IntStream.range(0x20, 0x100).boxed().collect(java.util.stream.Collectors.toSet()), d.numbers());
        assertTrue(TableDiff.between(valid(read(TABLE), "6.12"), valid(text, "6.12")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void aGateDplChangeIsItsVectorsChange(String kernel) {
        VectorChange c = only(kernel, loaded(edit(read(TABLE), "{handler: exc_overflow, type: system, dpl: 3}",
                "{handler: exc_overflow, type: system, dpl: 0}"), kernel));
        assertEquals("0x04 exc_overflow: def_idts gate DPL 3 -> 0", c.line());
    }

    /** IST is x86_64's: i386 builds an ISTG as INTG. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void aGateIstChangeIsX8664s(String kernel) {
        String text = read(TABLE);
        VectorChange c = only(kernel, loaded(edit(text, "{handler: exc_bounds, type: interrupt}",
                "{handler: exc_bounds, type: interrupt, ist: DB}"), kernel));
        assertEquals(new VectorChange(Subject.VECTOR, "exc_bounds", 5, 5, How.CHANGED, Set.of(Arch.X86_64),
                List.of("def_idts gate IST none -> DB"), Set.of(5)), c);
        assertEquals("0x05 exc_bounds (x86_64): def_idts gate IST none -> DB", c.line());
        assertEquals("0x01 exc_debug (x86_64): def_idts gate IST DB -> none", only(kernel, loaded(edit(text,
                "{handler: exc_debug, type: interrupt, ist: DB}", "{handler: exc_debug, type: interrupt}"), kernel))
                .line());
    }

    /** A FRED route is a change in 6.12 (x86_64 only); in 6.1, which has no FRED, the same edit is none. */
    @Test
    void aFredRouteChangeIsX8664sIn612() {
        String text = edit(read(TABLE), "number: 5, kind: plain, error_code: none, arches: [x86_64, i386], fred: "
                + "{routes: [hwexc]}", "number: 5, kind: plain, error_code: none, arches: [x86_64, i386], fred: "
                + "{routes: [hwexc, intx]}");
        VectorChange c = only("6.12", loaded(text, "6.12"));
        assertEquals(new VectorChange(Subject.VECTOR, "exc_bounds", 5, 5, How.CHANGED, Set.of(Arch.X86_64),
                List.of("FRED routes [hwexc] -> [hwexc, intx]"), Set.of(5)), c);
        assertEquals("0x05 exc_bounds (x86_64): FRED routes [hwexc] -> [hwexc, intx]", c.line());
        assertTrue(TableDiff.between(valid(read(TABLE), "6.1"), loaded(text, "6.1")).isEmpty());
    }

    /** Several edits: one change each, by number; handlers() and numbers() over all of them. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void severalEditsInNumberOrder(String kernel) {
        String text = edit(edit(edit(read(TABLE), "X86_PLATFORM_IPI_VECTOR: 0xf7", "X86_PLATFORM_IPI_VECTOR: 0xf5"),
                "vector: X86_PLATFORM_IPI_VECTOR, number: 0xf7", "vector: X86_PLATFORM_IPI_VECTOR, number: 0xf5"),
                "number: 5, kind: plain", "number: 5, kind: raw");
        VectorTable edited = withOverlay(valid(text, kernel), read(OVERLAY));
        TableDiff d = TableDiff.between(valid(read(TABLE), kernel), edited);
        assertEquals(List.of("exc_bounds", "exc_idtgen_demo", "sysvec_x86_platform_ipi"),
                d.changes().stream().map(VectorChange::handler).toList());
        assertEquals(new TreeSet<>(List.of("exc_bounds", "exc_idtgen_demo", "sysvec_x86_platform_ipi")),
                d.handlers());
        assertEquals(Set.of(5, 0x81, 0xf5, 0xf7), d.numbers());
        assertFalse(d.of("exc_divide_error").isPresent());
    }
}
