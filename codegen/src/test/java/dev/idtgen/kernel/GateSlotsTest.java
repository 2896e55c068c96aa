package dev.idtgen.kernel;

import dev.idtgen.elf.ElfFile;
import dev.idtgen.elf.SymbolIndex;
import dev.idtgen.kernel.EntryComparator.Difference;
import dev.idtgen.kernel.GateSlots.Slot;
import dev.idtgen.model.VectorTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate tables compared per slot, on real objects: def_idts arrays of
 * struct idt_data assembled by GNU as for x86_64 and i386 (and once
 * compiled by gcc from the kernel's own declarations, to hold the decoded
 * layout to the compiler's), through {@link EntryComparator#compare}.
 */
class GateSlotsTest {

    @TempDir
    Path dir;

    /** One gate as the test writes it: the struct idt_data fields; target null for no address. */
    record G(int vector, int segment, int ist, int type, int dpl, String target) {
        static G intg(int vector, String target) {
            return new G(vector, 0x10, 0, 0xE, 0, target);
        }
    }

    private static final G DE = G.intg(0x0, "asm_exc_divide_error");
    private static final G NMI = new G(0x2, 0x10, 2, 0xE, 0, "asm_exc_nmi");
    private static final G BR = G.intg(0x5, "asm_exc_bounds");

    /** A def_idts of {@code gates} in .init.data, each target defined in .text (local_*: not global). */
    private static String source(boolean is64, List<G> gates) {
        StringBuilder s = new StringBuilder("\t.text\n");
        Set<String> targets = new LinkedHashSet<>();
        gates.stream().filter(g -> g.target() != null).forEach(g -> targets.add(g.target()));
        for (String t : targets) {
            s.append(t.startsWith("local_") ? "" : "\t.globl " + t + "\n").append(t).append(":\n\tret\n");
        }
        s.append("\t.section .init.data,\"aw\"\n\t.balign 8\n\t.globl def_idts\n\t.type def_idts, @object\n")
                .append("def_idts:\n");
        for (G g : gates) {
            int bits = g.ist() | g.type() << 8 | g.dpl() << 13 | 1 << 15;
            String addr = g.target() == null ? "0" : g.target();
            s.append("\t.long ").append(g.vector()).append(", ").append(g.segment()).append("\n\t.short ")
                    .append(bits).append(is64 ? "\n\t.skip 6\n\t.quad " : "\n\t.skip 2\n\t.long ").append(addr)
                    .append('\n');
        }
        return s.append("\t.size def_idts, . - def_idts\n").toString();
    }

    private Path object(String name, boolean is64, G... gates) throws Exception {
        return Assemble.object(dir, name + (is64 ? "64" : "32"), source(is64, List.of(gates)), is64);
    }

    private static List<Difference> compare(Path stock, Path generated) throws Exception {
        VectorTable none = new VectorTable(1, "6.12", List.of("6.12"), Map.of(), Map.of(), List.of(), List.of(),
                Map.of(), null);
        EntryComparator.Report r = EntryComparator.compare(stock, generated, none);
        assertTrue(r.names().contains("def_idts"), r.names().toString());
        return r.differences();
    }

    private static List<Slot> slots(Path object) throws Exception {
        SymbolIndex index = new SymbolIndex(ElfFile.read(object));
        return GateSlots.read(index, index.named("def_idts").get(0)).orElseThrow();
    }

    @ParameterizedTest(name = "x86_64 {0}")
    @ValueSource(booleans = {true, false})
    void decodesEveryFieldOfEverySlot(boolean is64) throws Exception {
        Path o = object("decode", is64, DE, NMI, new G(0x8, 0xf8, 0, 0x5, 0, null),
                new G(0x80, 0x60, 0, 0xF, 3, "local_int80"));
        assertEquals(List.of(new Slot(0x0, 0x10, 0, 0xE, 0, true, "asm_exc_divide_error+0"),
                new Slot(0x2, 0x10, 2, 0xE, 0, true, "asm_exc_nmi+0"),
                new Slot(0x8, 0xf8, 0, 0x5, 0, true, "NULL"),
                new Slot(0x80, 0x60, 0, 0xF, 3, true, "local_int80+0")), slots(o));
    }

    /** The kernel's declarations (asm/desc_defs.h) and its G() initialiser, compiled: the layout is GCC's. */
    @ParameterizedTest(name = "x86_64 {0}")
    @ValueSource(booleans = {true, false})
    void decodesTheLayoutGccGivesTheKernelsStruct(boolean is64) throws Exception {
        String c = """
                typedef unsigned short u16;
                struct idt_bits { u16 ist : 3, zero : 5, type : 5, dpl : 2, p : 1; } __attribute__((packed));
                struct idt_data { unsigned int vector; unsigned int segment; struct idt_bits bits; const void *addr; };
                extern char asm_exc_nmi[], asm_sysvec_x[];
                #define G(_v, _a, _ist, _type, _dpl, _seg) \\
                    { .vector = _v, .bits.ist = _ist, .bits.type = _type, .bits.dpl = _dpl, .bits.p = 1, \\
                      .addr = _a, .segment = _seg }
                const struct idt_data def_idts[] = {
                    G(2, asm_exc_nmi, 2, 0xE, 0, 0x10),
                    G(8, 0, 0, 0x5, 0, 0xf8),
                    G(0xec, asm_sysvec_x + 4, 0, 0xF, 3, 0x60),
                };
                _Static_assert(sizeof(struct idt_data) == (sizeof(void *) == 8 ? 24 : 16), "element size");
                """;
        Path o = Assemble.compiled(dir, "kernel" + (is64 ? "64" : "32"), c, is64);
        ElfFile f = ElfFile.read(o);
        assertEquals(is64, f.is64());
        SymbolIndex index = new SymbolIndex(f);
        assertEquals(3 * (is64 ? 24 : 16), index.named("def_idts").get(0).size());
        assertEquals(List.of(new Slot(0x2, 0x10, 2, 0xE, 0, true, "asm_exc_nmi+0"),
                new Slot(0x8, 0xf8, 0, 0x5, 0, true, "NULL"),
                new Slot(0xec, 0x60, 0, 0xF, 3, true, "asm_sysvec_x+4")), slots(o));
    }

    @ParameterizedTest(name = "x86_64 {0}")
    @ValueSource(booleans = {true, false})
    void identicalTablesHaveNoDifference(boolean is64) throws Exception {
        assertEquals(List.of(), compare(object("a", is64, DE, NMI, BR), object("b", is64, DE, NMI, BR)));
    }

    @ParameterizedTest(name = "x86_64 {0}")
    @ValueSource(booleans = {true, false})
    void anAddedGateIsOneDifferenceAtItsVector(boolean is64) throws Exception {
        G demo = new G(0x81, 0x10, 0, 0xE, 3, "asm_exc_idtgen_demo");
        List<Difference> d = compare(object("a", is64, DE, NMI, BR), object("b", is64, DE, NMI, demo, BR));
        assertEquals(1, d.size(), d.toString());
        assertEquals(new Difference("def_idts", 0x81, "only in generated (system gate DPL 3, asm_exc_idtgen_demo)"),
                d.get(0));
        assertEquals("def_idts[0x81]: only in generated (system gate DPL 3, asm_exc_idtgen_demo)", d.get(0).toString());
    }

    @Test
    void aRemovedGateIsOnlyInStock() throws Exception {
        List<Difference> d = compare(object("a", true, DE, NMI, BR), object("b", true, DE, BR));
        assertEquals(List.of(new Difference("def_idts", 0x2,
                "only in stock (interrupt gate DPL 0 IST 2, asm_exc_nmi)")), d);
    }

    @ParameterizedTest(name = "x86_64 {0}")
    @ValueSource(booleans = {true, false})
    void aDplAndIstChangeNamesTheVectorAndTheFields(boolean is64) throws Exception {
        G br = new G(0x5, 0x10, 1, 0xE, 3, "asm_exc_bounds");
        List<Difference> d = compare(object("a", is64, DE, NMI, BR), object("b", is64, DE, NMI, br));
        assertEquals(List.of(new Difference("def_idts", 0x5, "differs (stock -> generated): ist 0 -> 1, dpl 0 -> 3")),
                d);
    }

    @Test
    void aSegmentAndTypeChangeNamesTheFields() throws Exception {
        G br = new G(0x5, 0x60, 0, 0xF, 0, "asm_exc_bounds");
        List<Difference> d = compare(object("a", true, DE, BR), object("b", true, DE, br));
        assertEquals(List.of(new Difference("def_idts", 0x5,
                "differs (stock -> generated): segment 0x10 -> 0x60, type 0xe -> 0xf")), d);
    }

    @ParameterizedTest(name = "x86_64 {0}")
    @ValueSource(booleans = {true, false})
    void anotherTargetNamesBothTargets(boolean is64) throws Exception {
        G de = G.intg(0x0, "asm_exc_other");
        List<Difference> d = compare(object("a", is64, DE, NMI, BR), object("b", is64, de, NMI, BR));
        assertEquals(List.of(new Difference("def_idts", 0x0,
                "differs (stock -> generated): target asm_exc_divide_error -> asm_exc_other")), d);
    }

    @ParameterizedTest(name = "x86_64 {0}")
    @ValueSource(booleans = {true, false})
    void reorderedSlotsAreOneOrderDifference(boolean is64) throws Exception {
        List<Difference> d = compare(object("a", is64, DE, NMI, BR), object("b", is64, NMI, DE, BR));
        assertEquals(1, d.size(), d.toString());
        assertNull(d.get(0).vector());
        assertEquals("def_idts: another install order of the same vectors: stock 0x0 0x2 ..., generated 0x2 0x0 ...",
                d.get(0).toString());
    }

    @Test
    void anAddedGateInTheMiddleIsNoOrderDifference() throws Exception {
        G demo = G.intg(0x81, "asm_exc_idtgen_demo");
        List<Difference> d = compare(object("a", true, DE, NMI, BR), object("b", true, DE, demo, NMI, BR));
        assertEquals(List.of(0x81), d.stream().map(Difference::vector).toList());
    }

    @Test
    void theSameVectorTwicePairsByOccurrence() {
        Slot a = new Slot(0x1, 0x10, 0, 0xE, 0, true, "asm_exc_debug+0");
        Slot b = new Slot(0x1, 0x10, 3, 0xE, 0, true, "asm_exc_debug+0");
        List<Difference> d = GateSlots.compare("def_idts", List.of(a, a), List.of(a, b, a));
        assertEquals(List.of(new Difference("def_idts", 0x1, "differs (stock -> generated): ist 0 -> 3"),
                new Difference("def_idts", 0x1, "only in generated (interrupt gate DPL 0, asm_exc_debug)")), d);
    }

    /** Slots equal, padding not: the whole symbol still differs, so no difference hides behind the slots. */
    @Test
    void aDifferenceOutsideTheFieldsIsStillCaught() throws Exception {
        Path a = object("a", true, DE, BR);
        String padded = source(true, List.of(DE, BR)).replaceFirst("\t\\.skip 6\n", "\t.byte 0, 0, 0, 0, 0, 7\n");
        Path b = Assemble.object(dir, "padded", padded, true);
        assertEquals(slots(a), slots(b));
        assertEquals(List.of(new Difference("def_idts", "first differing byte at +0xf: stock 00, generated 07")),
                compare(a, b));
    }

    /** A relocation where struct idt_data has none: not an idt_data array, compared as a whole symbol. */
    @Test
    void aSymbolThatIsNoIdtDataArrayIsNotDecoded() throws Exception {
        String odd = source(true, List.of(DE)).replace("\t.long 0, 16\n", "\t.long asm_exc_divide_error, 16\n");
        SymbolIndex index = new SymbolIndex(ElfFile.read(Assemble.object(dir, "odd", odd, true)));
        assertTrue(GateSlots.read(index, index.named("def_idts").get(0)).isEmpty());
        assertTrue(GateSlots.decode(new byte[20], Map.of(), true).isEmpty());
    }
}
