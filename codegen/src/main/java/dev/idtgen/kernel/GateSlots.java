package dev.idtgen.kernel;

import dev.idtgen.elf.ElfFile;
import dev.idtgen.elf.SymbolIndex;
import dev.idtgen.kernel.EntryComparator.Difference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gate tables of arch/x86/kernel/idt.c compared slot by slot: each is
 * an array of {@code struct idt_data} (asm/desc_defs.h), decoded from the
 * symbol's bytes and relocations in vmlinux.o, so that an edited table
 * shows which vector's gate changed and how (an added gate at 0x81, an IST
 * stack for #BR) instead of "def_idts differs", and a difference at a
 * vector nobody edited names that vector.
 *
 * <p>The layout, as GCC lays out the kernel's declarations (checked by
 * GateSlotsTest against a compiled copy): {@code vector} u32 at 0,
 * {@code segment} u32 at 4, {@code bits} u16 at 8 (ist:3, zero:5, type:5,
 * dpl:2, p:1 from the low bit), {@code addr} at 16 of a 24-byte element on
 * x86_64 (ELFCLASS64) and at 12 of a 16-byte element on i386 (ELFCLASS32).
 * {@code idt_table} is a gate_desc array and is not one of these.
 */
public final class GateSlots {

    /** The idt_data tables (ia32_idt: 6.12's own table for int 0x80). */
    public static final Set<String> TABLES = Set.of("early_idts", "def_idts", "ia32_idt", "apic_idts",
            "early_pf_idts");

    /** Where the fields of one struct idt_data lie, for one ELF class. */
    record Layout(int size, int bitsAt, int addrAt, int addrWidth) {
        static Layout of(boolean is64) {
            return is64 ? new Layout(24, 8, 16, 8) : new Layout(16, 8, 12, 4);
        }
    }

    /**
     * One slot. {@code target} is the relocation target of {@code addr},
     * normalised to symbol+addend as {@link SymbolIndex#target} does it;
     * without a relocation it is the stored value ("NULL" for a task gate).
     */
    public record Slot(int vector, int segment, int ist, int type, int dpl, boolean present, String target) {

        /** "system gate DPL 3, asm_exc_int3", "interrupt gate DPL 0 IST 2, asm_exc_nmi", "task gate ...". */
        public String describe() {
            String kind = switch (type) {
                case 0xE -> dpl == 3 ? "system gate" : "interrupt gate";
                case 0xF -> "trap gate";
                case 0xC -> "call gate";
                case 0x5 -> "task gate";
                default -> "type 0x" + Integer.toHexString(type) + " gate";
            };
            String where = type == 0x5 ? "TSS selector 0x" + Integer.toHexString(segment) : shown(target);
            return kind + " DPL " + dpl + (ist != 0 ? " IST " + ist : "") + (present ? "" : " not present")
                    + ", " + where;
        }

        /** What differs from {@code g}, field by field: "dpl 0 -> 3", "target a -> b" (empty: nothing). */
        List<String> changesTo(Slot g) {
            List<String> out = new ArrayList<>();
            if (segment != g.segment) {
                out.add("segment 0x" + Integer.toHexString(segment) + " -> 0x" + Integer.toHexString(g.segment));
            }
            if (ist != g.ist) {
                out.add("ist " + ist + " -> " + g.ist);
            }
            if (type != g.type) {
                out.add("type 0x" + Integer.toHexString(type) + " -> 0x" + Integer.toHexString(g.type));
            }
            if (dpl != g.dpl) {
                out.add("dpl " + dpl + " -> " + g.dpl);
            }
            if (present != g.present) {
                out.add("p " + (present ? 1 : 0) + " -> " + (g.present ? 1 : 0));
            }
            if (!target.equals(g.target)) {
                out.add("target " + shown(target) + " -> " + shown(g.target));
            }
            return out;
        }

        private static String shown(String target) {
            return target.endsWith("+0") ? target.substring(0, target.length() - 2) : target;
        }
    }

    private GateSlots() {
    }

    /**
     * The slot differences of two definitions of {@code table} (empty when
     * the slots are equal or either cannot be read as idt_data; the caller
     * then compares the whole symbol, so nothing is hidden, padding included).
     */
    public static List<Difference> differences(String table, SymbolIndex stock, ElfFile.Symbol a,
                                               SymbolIndex generated, ElfFile.Symbol b) {
        Optional<List<Slot>> ga = read(stock, a);
        Optional<List<Slot>> gb = read(generated, b);
        if (ga.isEmpty() || gb.isEmpty()) {
            return List.of();
        }
        List<Difference> out = new ArrayList<>(compare(table, ga.get(), gb.get()));
        String secA = stock.file().section(a.section()).name();
        String secB = generated.file().section(b.section()).name();
        if (!out.isEmpty() && !secA.equals(secB)) {
            out.add(0, new Difference(table, "in section " + secA + " in stock, " + secB + " in generated"));
        }
        return out;
    }

    /**
     * The slots of one table as stored in the file, or empty when the symbol
     * is not an idt_data array of this ELF class: a size that is not a
     * multiple of the element, or a relocation other than an absolute word
     * at {@code addr}.
     */
    public static Optional<List<Slot>> read(SymbolIndex index, ElfFile.Symbol table) {
        ElfFile f = index.file();
        Layout l = Layout.of(f.is64());
        ElfFile.Section sec = f.section(table.section());
        long start = f.sectionOffset(table);
        Map<Long, String> targets = new HashMap<>();
        for (ElfFile.Reloc r : f.relocations(table.section())) {
            long at = r.offset() - start;
            if (at < 0 || at >= table.size()) {
                continue;
            }
            if (at % l.size() != l.addrAt() || r.type() != 1) { // R_X86_64_64, R_386_32
                return Optional.empty();
            }
            long addend = f.is64() ? r.addend() : f.implicitAddend(sec, r);
            targets.put(at / l.size(), index.target(r.symbol(), addend, r.type()));
        }
        return decode(index.masked(table), targets, f.is64());
    }

    /**
     * Pure: the slots in {@code bytes} (relocated fields zeroed), with the
     * {@code addr} of slot i taken from {@code targets.get(i)} when it has
     * one; empty when the bytes are no whole number of elements.
     */
    static Optional<List<Slot>> decode(byte[] bytes, Map<Long, String> targets, boolean is64) {
        Layout l = Layout.of(is64);
        if (bytes.length % l.size() != 0) {
            return Optional.empty();
        }
        List<Slot> out = new ArrayList<>();
        for (int o = 0; o < bytes.length; o += l.size()) {
            int bits = (int) le(bytes, o + l.bitsAt(), 2);
            String target = targets.get((long) o / l.size());
            if (target == null) {
                long v = le(bytes, o + l.addrAt(), l.addrWidth());
                target = v == 0 ? "NULL" : "0x" + Long.toHexString(v);
            }
            out.add(new Slot((int) le(bytes, o, 4), (int) le(bytes, o + 4, 4), bits & 7, (bits >> 8) & 0x1f,
                    (bits >> 13) & 3, (bits >> 15) != 0, target));
        }
        return Optional.of(out);
    }

    /**
     * Pure: the differences of two decodings of {@code table}, slot by slot
     * (a slot is its vector; the n-th slot of a vector pairs with the n-th),
     * sorted by vector, then one difference (vector null) when the vectors
     * both tables hold are installed in another order.
     */
    public static List<Difference> compare(String table, List<Slot> stock, List<Slot> generated) {
        Map<Long, Slot> a = keyed(stock);
        Map<Long, Slot> b = keyed(generated);
        List<Difference> out = new ArrayList<>();
        a.forEach((k, g) -> {
            Slot h = b.get(k);
            if (h == null) {
                out.add(new Difference(table, g.vector(), "only in stock (" + g.describe() + ")"));
            } else if (!g.changesTo(h).isEmpty()) {
                out.add(new Difference(table, g.vector(), "differs (stock -> generated): "
                        + String.join(", ", g.changesTo(h))));
            }
        });
        b.forEach((k, h) -> {
            if (!a.containsKey(k)) {
                out.add(new Difference(table, h.vector(), "only in generated (" + h.describe() + ")"));
            }
        });
        out.sort(Comparator.comparingLong(d -> Integer.toUnsignedLong(d.vector())));
        List<Long> orderA = a.keySet().stream().filter(b::containsKey).toList();
        List<Long> orderB = b.keySet().stream().filter(a::containsKey).toList();
        if (!orderA.equals(orderB)) {
            out.add(new Difference(table, "another install order of the same vectors: stock "
                    + span(orderA, orderB) + ", generated " + span(orderB, orderA)));
        }
        return out;
    }

    /** Slot keys in table order: the occurrence of the vector in the high half, the vector in the low. */
    private static Map<Long, Slot> keyed(List<Slot> gates) {
        Map<Long, Slot> out = new LinkedHashMap<>();
        Map<Integer, Integer> seen = new HashMap<>();
        for (Slot g : gates) {
            int n = seen.merge(g.vector(), 1, Integer::sum) - 1;
            out.put(((long) n << 32) | Integer.toUnsignedLong(g.vector()), g);
        }
        return out;
    }

    /** The vectors of {@code order} from its first to its last position that differs from {@code other}. */
    private static String span(List<Long> order, List<Long> other) {
        int first = 0;
        while (order.get(first).equals(other.get(first))) {
            first++;
        }
        int last = order.size() - 1;
        while (order.get(last).equals(other.get(last))) {
            last--;
        }
        StringBuilder s = new StringBuilder(first > 0 ? "... " : "");
        for (int i = first; i <= last; i++) {
            s.append(i > first ? " " : "").append("0x").append(Long.toHexString(order.get(i) & 0xffffffffL));
        }
        return s.append(last < order.size() - 1 ? " ..." : "").toString();
    }

    /** A little-endian unsigned field of {@code width} bytes. */
    private static long le(byte[] b, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
