package dev.idtgen.kernel;

import dev.idtgen.elf.ElfFile;
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
 * first differing instruction (from objdump).
 */
public final class EntryComparator {

    /** One difference. */
    public record Difference(String symbol, String what) {
        @Override
        public String toString() {
            return symbol + ": " + what;
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
        Index ia = new Index(a);
        Index ib = new Index(b);
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
            List<ElfFile.Symbol> la = ia.byName.getOrDefault(n, List.of());
            List<ElfFile.Symbol> lb = ib.byName.getOrDefault(n, List.of());
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
                String why = differs(a, ia, la.get(i), b, ib, lb.get(i));
                if (why != null) {
                    diffs.add(new Difference(n, why));
                }
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

    /** Why two definitions differ, or null when they do not. */
    private static String differs(ElfFile fa, Index ia, ElfFile.Symbol sa, ElfFile fb, Index ib, ElfFile.Symbol sb)
            throws IOException, InterruptedException {
        String secA = fa.section(sa.section()).name();
        String secB = fb.section(sb.section()).name();
        if (!secA.equals(secB)) {
            return "in section " + secA + " in stock, " + secB + " in generated";
        }
        if (SECTIONS.contains(secA) && fa.sectionOffset(sa) != fb.sectionOffset(sb)) {
            return "at " + secA + "+0x" + Long.toHexString(fa.sectionOffset(sa)) + " in stock, +0x"
                    + Long.toHexString(fb.sectionOffset(sb)) + " in generated (the entry code is laid out differently)";
        }
        if (sa.size() != sb.size()) {
            return "size " + sa.size() + " in stock, " + sb.size() + " in generated; " + firstInstruction(fa, sa, fb, sb);
        }
        List<String> ra = relocs(fa, ia, sa);
        List<String> rb = relocs(fb, ib, sb);
        byte[] ba = masked(fa, sa);
        byte[] bb = masked(fb, sb);
        if (!ra.equals(rb) || !Arrays.equals(ba, bb)) {
            boolean code = (fa.section(sa.section()).flags() & 4) != 0; // SHF_EXECINSTR
            if (code) {
                return firstInstruction(fa, sa, fb, sb);
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

    /** The symbol's relocations as "offset type target+addend", targets normalised. */
    private static List<String> relocs(ElfFile f, Index idx, ElfFile.Symbol s) {
        List<String> out = new ArrayList<>();
        ElfFile.Section sec = f.section(s.section());
        long start = f.sectionOffset(s);
        long end = start + Math.max(s.size(), 1);
        for (ElfFile.Reloc r : f.relocations(s.section())) {
            if (r.offset() < start || r.offset() >= end) {
                continue;
            }
            long addend = r.addend();
            if (!f.is64()) {
                addend = f.implicitAddend(sec, r);
            }
            out.add((r.offset() - start) + " " + r.type() + " " + idx.target(r.symbol(), addend, r.type()));
        }
        return out;
    }

    /** The symbol's bytes with every relocated field zeroed (the relocations are compared on their own). */
    private static byte[] masked(ElfFile f, ElfFile.Symbol s) {
        byte[] b = f.bytes(s);
        long start = f.sectionOffset(s);
        for (ElfFile.Reloc r : f.relocations(s.section())) {
            long o = r.offset() - start;
            if (o < 0 || o >= b.length) {
                continue;
            }
            int width = f.is64() && (r.type() == 1 || r.type() == 24) ? 8 : 4;
            for (int i = 0; i < width && o + i < b.length; i++) {
                b[(int) (o + i)] = 0;
            }
        }
        return b;
    }

    /** "first difference at +off: stock 'insn', generated 'insn'" from objdump of both. */
    private static String firstInstruction(ElfFile fa, ElfFile.Symbol sa, ElfFile fb, ElfFile.Symbol sb)
            throws IOException, InterruptedException {
        List<String> da = disassemble(fa, sa);
        List<String> db = disassemble(fb, sb);
        for (int i = 0; i < Math.max(da.size(), db.size()); i++) {
            String x = i < da.size() ? da.get(i) : "(end)";
            String y = i < db.size() ? db.get(i) : "(end)";
            if (!x.equals(y)) {
                return "first difference: stock '" + x + "', generated '" + y + "'";
            }
        }
        return "the bytes differ (same instructions: data or padding)";
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
                String text = m.group(2).replaceAll("\\b[0-9a-f]{4,16} <", "<").replaceAll("\\s+", " ").strip();
                out.add("+0x" + Long.toHexString(at) + " " + text);
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** Symbols by name and by section, for lookups and normalisation. */
    private static final class Index {
        final Map<String, List<ElfFile.Symbol>> byName = new HashMap<>();
        final Map<Integer, List<ElfFile.Symbol>> bySection = new HashMap<>();
        final ElfFile f;

        Index(ElfFile f) {
            this.f = f;
            for (ElfFile.Symbol s : f.symbols()) {
                if (s.section() == 0 || s.type() == ElfFile.Symbol.STT_SECTION || s.name().isEmpty()
                        || s.type() == 4 /* FILE */) {
                    continue;
                }
                byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
                bySection.computeIfAbsent(s.section(), k -> new ArrayList<>()).add(s);
            }
            bySection.values().forEach(l -> l.sort((x, y) -> Long.compare(x.value(), y.value())));
        }

        Set<String> namesIn(String section) {
            Set<String> out = new TreeSet<>();
            for (ElfFile.Section sec : f.sections()) {
                if (sec.name().equals(section)) {
                    for (ElfFile.Symbol s : bySection.getOrDefault(sec.index(), List.of())) {
                        if (!s.name().startsWith(".L") && !s.name().matches("\\.?L?\\d+.*")) {
                            out.add(s.name());
                        }
                    }
                }
            }
            return out;
        }

        /** A relocation target as name+addend; section symbols become the symbol that holds the address. */
        String target(ElfFile.Symbol s, long addend, int type) {
            if (s == null) {
                return "?" + addend;
            }
            if (s.type() != ElfFile.Symbol.STT_SECTION) {
                return s.name() + (addend >= 0 ? "+" : "") + addend;
            }
            boolean pcrel = type == 2 || type == 4;
            long bias = f.is64() && pcrel ? 4 : 0;
            long at = addend + bias;
            ElfFile.Symbol best = null;
            for (ElfFile.Symbol c : bySection.getOrDefault(s.section(), List.of())) {
                if (c.value() <= at && (best == null || c.value() >= best.value())
                        && (c.size() == 0 || at < c.value() + c.size() || c.value() == at)) {
                    best = c;
                }
            }
            if (best == null) {
                return s.name() + "+" + addend;
            }
            return best.name() + "+" + (at - best.value()) + (bias == 0 ? "" : "-" + bias);
        }
    }
}
