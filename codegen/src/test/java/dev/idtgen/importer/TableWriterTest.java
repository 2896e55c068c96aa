package dev.idtgen.importer;

import dev.idtgen.load.TableLoader;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Kind;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TableWriter} writes text that {@link TableLoader} reads back into the same table. */
class TableWriterTest {

    private static VectorTable roundTrip(VectorTable t) {
        String text = TableWriter.write(t);
        TableLoader.Loaded r = TableLoader.load("written.yaml", text);
        assertTrue(r.ok(), () -> "the written table does not load: " + r.problems() + "\n" + text);
        return r.table();
    }

    @Test
    void handWrittenTableRoundTrips() throws Exception {
        Path file = Path.of("vectors.yaml");
        TableLoader.Loaded r = TableLoader.load(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        assertTrue(r.ok(), () -> "vectors.yaml does not load: " + r.problems());
        assertEquals(Models.strip(r.table()), Models.strip(roundTrip(r.table())));
    }

    @Test
    void handWrittenLayoutIsKept() throws Exception {
        Path file = Path.of("vectors.yaml");
        String text = TableWriter.write(TableLoader.load(file.toString(),
                Files.readString(file, StandardCharsets.UTF_8)).table());
        assertTrue(text.contains("\n  - {handler: exc_nmi_noist, vector: X86_TRAP_NMI, number: 2, kind: plain,"
                + " error_code: none, arches: [x86_64], condition: IS_ENABLED(CONFIG_KVM_INTEL),"
                + " otherwise: {asm_exc_nmi_noist: asm_exc_nmi}}\n"), text);
        assertTrue(text.contains("\n  POSTED_INTR_VECTOR: {number: 0xf2, condition: CONFIG_HAVE_KVM}\n"), text);
        assertTrue(text.contains("\n  X86_TRAP_IRET: 32\n  # irq_vectors.h\n  NMI_VECTOR: 0x02\n"), text);
        assertTrue(text.contains("\n  NR_VECTORS: 256\n"), text);
        assertTrue(text.contains("\n    - {handler: exc_double_fault, type: task, tss: GDT_ENTRY_DOUBLEFAULT_TSS,"
                + " arches: [i386]}\n"), text);
        assertTrue(text.contains("\n  - handler: sysvec_irq_move_cleanup\n    vector: IRQ_MOVE_CLEANUP_VECTOR\n"
                + "    number: 0x20\n"), text);
    }

    /** The 6.12 projection, the kernel with FRED: the top-level fred list and every entry's fred mapping. */
    @Test
    void fredRoutesRoundTrip() throws Exception {
        Path file = Path.of("vectors.yaml");
        TableLoader.Loaded r = TableLoader.load(file.toString(), Files.readString(file, StandardCharsets.UTF_8), "6.12");
        assertTrue(r.ok(), () -> "vectors.yaml does not load: " + r.problems());
        String text = TableWriter.write(r.table());
        assertTrue(text.contains("\nkernels: [6.1, 6.12]\n"), text);
        assertTrue(text.contains("\nfred: [6.12]\n"), text);
        assertTrue(text.contains(" arches: [x86_64], fred: {routes: [hwexc, priv_swexc], call: fred_exc_debug,"
                + " stack_level: 1}}\n"), text);
        assertTrue(text.contains(" fred: {routes: [intx], call: fred_int80_emulation, guard: ia32_enabled}}\n"), text);
        assertTrue(text.contains(" fred: {routes: [hwexc], fast_path: true}}\n"), text);
        assertTrue(text.contains(" fred: {none: vector 9 is reserved since the 486 and FRED raises no event for it}}\n"),
                text);
        TableLoader.Loaded back = TableLoader.load("written.yaml", text, "6.12");
        assertTrue(back.ok(), () -> "the written table does not load: " + back.problems() + "\n" + text);
        assertTrue(back.table().fred());
        assertEquals(Models.strip(r.table()), Models.strip(back.table()));
    }

    @Test
    void awkwardValuesAreQuoted() {
        Condition notX = new Condition.Not(new Condition.Defined("CONFIG_X"));
        Condition orY = new Condition.Or(new Condition.Defined("CONFIG_Y"), new Condition.Enabled("CONFIG_Z"));
        Map<String, Symbol> symbols = new LinkedHashMap<>();
        symbols.put("FIRST_EXTERNAL_VECTOR", new Symbol("FIRST_EXTERNAL_VECTOR", 0x20, Condition.ALWAYS, null));
        symbols.put("MY_VECTOR", new Symbol("MY_VECTOR", 0x21, notX, null));
        Entry e = new Entry("my_irq", "MY_VECTOR", 0x21, Kind.SYSVEC, ErrorCode.NONE, EnumSet.allOf(Arch.class),
                Condition.and(notX, orY), Map.of("fred_my_irq", "NULL"),
                Map.of("system-vector-range", "a reason: with \"quotes\", #hashes,\ttabs and\na newline"),
                null, Map.of());
        Entry f = new Entry("my_other", "X86_TRAP_OTHER", null, Kind.IRQ, ErrorCode.VECTOR, EnumSet.of(Arch.I386),
                Condition.ALWAYS, Map.of(), Map.of("dpl3", "a long reason that is folded over several lines because"
                + " it does not fit on the line of its key, with : colons and # hashes in it"), null, Map.of());
        Gate g = new Gate(GateTable.APIC, "my_irq", GateType.SYSTEM, 3, null, null, EnumSet.of(Arch.X86_64), orY,
                Map.of("dpl3", "short"), null, Map.of());
        StubArray a = new StubArray("my_stubs", "FIRST_EXTERNAL_VECTOR", "MY_VECTOR", "my_other",
                EnumSet.of(Arch.I386), notX, null, Map.of());
        VectorTable t = new VectorTable(1, null, List.of(), Map.of("CONFIG_Y", orY), symbols, List.of(e, f), List.of(a),
                Map.of(GateTable.APIC, List.of(g), GateTable.EARLY, List.of()), null);
        assertEquals(Models.strip(t), Models.strip(roundTrip(t)));
    }

    /** FRED exemption reasons that are no plain scalar in a flow mapping are quoted. */
    @Test
    void awkwardFredReasonsAreQuoted() {
        Map<String, Symbol> symbols = new LinkedHashMap<>();
        symbols.put("X86_TRAP_DE", new Symbol("X86_TRAP_DE", 0, Condition.ALWAYS, null));
        List<Entry> entries = new java.util.ArrayList<>();
        for (String why : List.of("imported: entry_fred.c has no route for it", "a, b", "[x]", "true", "# no",
                "plain prose; with (parentheses) and it's fine")) {
            entries.add(new Entry("exc_" + entries.size(), "X86_TRAP_DE", 0, Kind.PLAIN, ErrorCode.NONE,
                    EnumSet.of(Arch.X86_64), Condition.ALWAYS, Map.of(), Map.of(), null, Map.of(),
                    new Fred(List.of(), null, null, false, null, why, null)));
        }
        VectorTable t = new VectorTable(1, "6.12", List.of("6.12"), Map.of(), symbols, entries, List.of(), Map.of(),
                null, true);
        String text = TableWriter.write(t);
        assertTrue(text.contains("fred: {none: \"imported: entry_fred.c has no route for it\"}}"), text);
        assertTrue(text.contains("fred: {none: plain prose; with (parentheses) and it's fine}}"), text);
        TableLoader.Loaded r = TableLoader.load("written.yaml", text, "6.12");
        assertTrue(r.ok(), () -> r.problems() + "\n" + text);
        assertEquals(Models.strip(t), Models.strip(r.table()));
    }
}
