package dev.idtgen.kernel;

import dev.idtgen.elf.ElfFile;
import dev.idtgen.elf.SymbolIndex;
import dev.idtgen.model.Entry;
import dev.idtgen.model.VectorTable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Compares the entry code of two builds (vmlinux.o of stock and generated):
 * the set of symbols in .entry.text and .noinstr.text, and for every entry
 * symbol (each asm_* stub, each C function the DEFINE_IDTENTRY*() macros
 * emit, the stub arrays, the gate tables) its bytes and its relocations,
 * with relocation targets normalised to symbol+offset so that a different
 * layout elsewhere does not count, and, inside the entry sections, its
 * offset (the order and alignment of the stubs are part of the contract). A difference names the symbol and the
 * first differing instruction (from objdump). The idt_data gate tables compare slot by slot
 * ({@link GateSlots}): a difference names the table and the vector.
 */
public final class EntryComparator {

    /**
     * One difference: of a symbol, or, with a {@code vector}, of the gate
     * slot of that vector in the gate table {@code symbol} (see
     * {@link GateSlots}), so that a difference at an edited vector can be
     * told from one anywhere else. {@code moved}: the symbol is the same code
     * at another place (its address, branch displacements or alignment
     * padding differ, its instructions and branch targets do not), which an
     * edit that adds or resizes stubs before it explains.
     */
    public record Difference(String symbol, Integer vector, String what, boolean moved) {

        /** A difference of the whole symbol (no gate slot). */
        public Difference(String symbol, String what) {
            this(symbol, null, what, false);
        }

        /** A difference of the gate slot of {@code vector} in the gate table {@code symbol}. */
        public Difference(String symbol, Integer vector, String what) {
            this(symbol, vector, what, false);
        }

        /** "symbol: what", or for a slot "def_idts[0x81]: what". */
        @Override
        public String toString() {
            return symbol + (vector == null ? "" : "[0x" + Integer.toHexString(vector) + "]") + ": " + what;
        }
    }

    /** The result: what was compared and what differed. */
    /** The comparison: how many symbol definitions, the differences, the names found in either object. */
    public record Report(int symbolsCompared, List<Difference> differences, List<String> names) {
    }

    static final List<String> SECTIONS = List.of(".entry.text", ".noinstr.text");
    static final List<String> EXTRA = List.of("irq_entries_start", "spurious_entries_start", "early_idts", "def_idts",
            "apic_idts", "early_pf_idts", "ia32_idt", "idt_table", "__irqentry_text_start", "__irqentry_text_end");
    /**
     * FRED's dispatch (6.12, CONFIG_X86_FRED): the functions and the table the
     * generated entry_fred_*.h and fred_stklvls.h make, and their callers.
     */
    public static final List<String> FRED = List.of("fred_hwexc", "fred_swexc", "fred_intx", "fred_other",
            "sysvec_table", "fred_extint", "fred_entry_from_user", "fred_entry_from_kernel", "__fred_entry_from_kvm",
            "fred_install_sysvec", "fred_complete_exception_setup", "cpu_init_fred_exceptions",
            "cpu_init_fred_rsps");
    private static final List<String> PREFIXES = List.of("", "asm_", "xen_asm_", "noist_", "user_", "kernel_",
            "fred_", "__", "instr_");

    private EntryComparator() {
    }

    public static Report compare(Path stockObj, Path generatedObj, VectorTable table) throws IOException,
            InterruptedException {
        ElfFile a = ElfFile.read(stockObj);
        ElfFile b = ElfFile.read(generatedObj);
        List<Difference> diffs = new ArrayList<>();
        SymbolIndex ia = new SymbolIndex(a);
        SymbolIndex ib = new SymbolIndex(b);
        // 1. the symbol sets of the entry sections
        for (String sec : SECTIONS) {
            Set<String> sa = ia.namesIn(sec);
            Set<String> sb = ib.namesIn(sec);
            for (String n : new TreeSet<>(sa)) {
                if (!sb.contains(n)) {
                    diffs.add(new Difference(n, "in " + sec + " of stock only"));
                }
            }
            for (String n : new TreeSet<>(sb)) {
                if (!sa.contains(n)) {
                    diffs.add(new Difference(n, "in " + sec + " of generated only"));
                }
            }
        }
        // 2. every entry symbol
        Set<String> names = new LinkedHashSet<>();
        for (String sec : SECTIONS) {
            names.addAll(new TreeSet<>(ia.namesIn(sec)));
            names.addAll(new TreeSet<>(ib.namesIn(sec)));
        }
        for (Entry e : table.entries()) {
            for (String p : PREFIXES) {
                names.add(p + e.handler());
            }
        }
        names.addAll(EXTRA);
        names.addAll(FRED);
        int compared = 0;
        Set<String> seen = new LinkedHashSet<>();
        for (String n : names) {
            List<ElfFile.Symbol> la = ia.named(n);
            List<ElfFile.Symbol> lb = ib.named(n);
            if (la.isEmpty() && lb.isEmpty()) {
                continue;
            }
            if (la.size() != lb.size()) {
                if (diffs.stream().noneMatch(d -> d.symbol().equals(n))) {
                    diffs.add(new Difference(n, la.size() + " definition(s) in stock, " + lb.size() + " in generated"));
                }
                continue;
            }
            seen.add(n);
            for (int i = 0; i < la.size(); i++) {
                compared++;
                diffs.addAll(definitionDifferences(n, a, ia, la.get(i), b, ib, lb.get(i)));
            }
        }
        return new Report(compared, diffs, List.copyOf(seen));
    }

    /**
     * The allocated sections of two linked images that differ byte for byte
     * (an empty list: the two kernels are the same kernel).
     */
    public static List<String> differingSections(Path stockImage, Path generatedImage) throws IOException {
        ElfFile a = ElfFile.read(stockImage);
        ElfFile b = ElfFile.read(generatedImage);
        List<String> out = new ArrayList<>();
        Map<String, ElfFile.Section> bs = new HashMap<>();
        b.sections().forEach(s -> bs.put(s.name(), s));
        for (ElfFile.Section s : a.sections()) {
            if ((s.flags() & 2) == 0 || s.type() == 8) { // SHF_ALLOC, not NOBITS
                continue;
            }
            ElfFile.Section t = bs.get(s.name());
            if (t == null || t.size() != s.size() || t.addr() != s.addr()
                    || !Arrays.equals(a.sectionBytes(s), b.sectionBytes(t))) {
                out.add(s.name());
            }
        }
        return out;
    }

    /**
     * The differences of two definitions of {@code name}: a gate table's per
     * slot when its slots differ, else the whole symbol's (none when equal).
     */
    private static List<Difference> definitionDifferences(String name, ElfFile fa, SymbolIndex ia, ElfFile.Symbol sa,
                                                          ElfFile fb, SymbolIndex ib, ElfFile.Symbol sb)
            throws IOException, InterruptedException {
        if (GateSlots.TABLES.contains(name)) {
            List<Difference> slots = GateSlots.differences(name, ia, sa, ib, sb);
            if (!slots.isEmpty()) {
                return slots;
            }
        }
        String place = place(fa, sa, fb, sb);
        String why = differs(fa, ia, sa, fb, ib, sb);
        if (why == null && place == null) {
            return List.of();
        }
        if (why == null) {
            return List.of(new Difference(name, null, place + "; its bytes identical", true));
        }
        boolean moved = why.equals(MOVED);
        return List.of(new Difference(name, null, place == null ? why : place + "; " + why, moved));
    }

    /**
     * What {@link #differs} says of code whose bytes differ only in where it is: the same instructions, the same
     * branch targets (symbol+offset), only their displacements or the alignment padding between them differ.
     */
    static final String MOVED = "the same instructions and branch targets, only displacements or alignment "
            + "padding differ (moved code)";

    /** Why two definitions differ, or null when they do not. */
    private static String differs(ElfFile fa, SymbolIndex ia, ElfFile.Symbol sa, ElfFile fb, SymbolIndex ib,
                                  ElfFile.Symbol sb)
            throws IOException, InterruptedException {
        String secA = fa.section(sa.section()).name();
        String secB = fb.section(sb.section()).name();
        if (!secA.equals(secB)) {
            return "in section " + secA + " in stock, " + secB + " in generated";
        }
        boolean code = (fa.section(sa.section()).flags() & 4) != 0; // SHF_EXECINSTR
        if (sa.size() != sb.size()) {
            return code ? codeDifference(fa, sa, fb, sb) : "size " + sa.size() + " in stock, " + sb.size()
                    + " in generated; " + firstInstruction(disassemble(fa, sa), disassemble(fb, sb));
        }
        List<String> ra = ia.relocs(sa);
        List<String> rb = ib.relocs(sb);
        byte[] ba = ia.masked(sa);
        byte[] bb = ib.masked(sb);
        if (!ra.equals(rb) || !Arrays.equals(ba, bb)) {
            if (code) {
                return codeDifference(fa, sa, fb, sb);
            }
            for (int i = 0; i < ba.length; i++) {
                if (ba[i] != bb[i]) {
                    return String.format("first differing byte at +0x%x: stock %02x, generated %02x", i, ba[i], bb[i]);
                }
            }
            for (int i = 0; i < Math.max(ra.size(), rb.size()); i++) {
                String x = i < ra.size() ? ra.get(i) : "(none)";
                String y = i < rb.size() ? rb.get(i) : "(none)";
                if (!x.equals(y)) {
                    return "first differing relocation: stock '" + x + "', generated '" + y + "'";
                }
            }
        }
        return null;
    }

    /**
     * Where an entry symbol is when its place in its entry section differs ("at .entry.text+0x.. in stock, +0x.. in
     * generated"), else null: the order and alignment of the stubs are part of what is compared.
     */
    private static String place(ElfFile fa, ElfFile.Symbol sa, ElfFile fb, ElfFile.Symbol sb) {
        String sec = fa.section(sa.section()).name();
        if (!sec.equals(fb.section(sb.section()).name()) || !SECTIONS.contains(sec)
                || fa.sectionOffset(sa) == fb.sectionOffset(sb)) {
            return null;
        }
        return "at " + sec + "+0x" + Long.toHexString(fa.sectionOffset(sa)) + " in stock, +0x"
                + Long.toHexString(fb.sectionOffset(sb)) + " in generated (the entry code is laid out differently)";
    }

    /**
     * Whether {@code symbol} is one of the symbols of the entry of {@code handler}: the handler itself or one of
     * the prefixed names the stubs and the DEFINE_IDTENTRY*() macros give it (asm_, xen_asm_, noist_, ...).
     */
    public static boolean owns(String handler, String symbol) {
        for (String p : PREFIXES) {
            if (symbol.equals(p + handler)) {
                return true;
            }
        }
        return false;
    }

    /** "first difference at +off: stock 'insn', generated 'insn'" from the disassembly of both. */
    private static String firstInstruction(List<String> da, List<String> db) {
        for (int i = 0; i < Math.max(da.size(), db.size()); i++) {
            String x = i < da.size() ? da.get(i) : "(end)";
            String y = i < db.size() ? db.get(i) : "(end)";
            if (!x.equals(y)) {
                return "first difference: stock '" + x + "', generated '" + y + "'";
            }
        }
        return "the bytes differ (same instructions: data or padding)";
    }

    /**
     * How two differing code symbols differ, from one disassembly of each: {@link #MOVED} when they are the same
     * code at another place (their disassembly, branch targets as symbol+offset, without offsets and without the
     * nops of alignment padding, is the same), else their sizes and first differing instruction.
     */
    private static String codeDifference(ElfFile fa, ElfFile.Symbol sa, ElfFile fb, ElfFile.Symbol sb)
            throws IOException, InterruptedException {
        List<String> da = disassemble(fa, sa);
        List<String> db = disassemble(fb, sb);
        if (placeless(sa.name(), da).equals(placeless(sb.name(), db))) {
            return MOVED;
        }
        return (sa.size() == sb.size() ? "" : "size " + sa.size() + " in stock, " + sb.size() + " in generated; ")
                + firstInstruction(da, db);
    }

    private static final java.util.regex.Pattern OFFSET = java.util.regex.Pattern.compile("^\\+0x([0-9a-f]+) (.*)$");

    /**
     * A disassembly of symbol {@code name} without its offsets and nop lines: a branch into the symbol itself
     * ({@code <name+0x5b>}) becomes the index of the instruction it lands on, the addresses objdump prints
     * before relocations go, a run of int3 padding counts as one int3, and an i386 addend into a section (a
     * string's place in .rodata.str1.1) is not compared: only what the code does and where it branches remain.
     */
    static List<String> placeless(String name, List<String> insns) {
        java.util.TreeMap<Long, Integer> index = new java.util.TreeMap<>();
        List<String> texts = new ArrayList<>();
        for (String l : insns) {
            java.util.regex.Matcher m = OFFSET.matcher(l);
            long at = m.matches() ? Long.parseLong(m.group(1), 16) : -1;
            String t = (m.matches() ? m.group(2) : l).replaceAll("\\b[0-9a-f]+: (R_)", "$1");
            if (t.matches(".* R_386_\\w+ \\.\\S+$")) {
                t = t.replaceAll("0x[0-9a-f]+", "0x?"); // i386 REL: the addend into a section is in the bytes
            }
            boolean padding = t.equals("int3") && !texts.isEmpty() && texts.get(texts.size() - 1).equals("int3");
            if (!padding && !t.matches("(cs )*(data16 )*(nop[wl]?|xchg %ax,%ax)\\b.*")) {
                index.putIfAbsent(at, texts.size());
                texts.add(t);
            }
        }
        java.util.regex.Pattern self = java.util.regex.Pattern.compile("<" + java.util.regex.Pattern.quote(name)
                + "(?:\\+0x([0-9a-f]+))?>");
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            java.util.regex.Matcher m = self.matcher(t);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                long off = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
                var landing = index.ceilingEntry(off);
                m.appendReplacement(b, "<self#" + (landing == null ? "end" : landing.getValue()) + ">");
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    private static final java.util.regex.Pattern OBJDUMP_LINE =
            java.util.regex.Pattern.compile("^\\s*([0-9a-f]+):\\s+(.*)$");

    /** objdump -dr of one symbol, addresses replaced by offsets into the symbol. */
    static List<String> disassemble(ElfFile f, ElfFile.Symbol s) throws IOException, InterruptedException {
        long start = s.value();
        String sec = f.section(s.section()).name();
        Process p = new ProcessBuilder("objdump", "-dr", "-w", "--no-show-raw-insn", "-j", sec,
                "--start-address=0x" + Long.toHexString(start),
                "--stop-address=0x" + Long.toHexString(start + Math.max(s.size(), 1)), f.path().toString())
                .redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                java.util.regex.Matcher m = OBJDUMP_LINE.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                long at = Long.parseUnsignedLong(m.group(1), 16) - start;
                String text = m.group(2).replaceAll("\\b[0-9a-f]+ <", "<").replaceAll("\\s+", " ").strip();
                out.add("+0x" + Long.toHexString(at) + " " + text);
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

}
