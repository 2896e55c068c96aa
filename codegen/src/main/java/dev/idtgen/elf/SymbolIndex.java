package dev.idtgen.elf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The symbols of one ELF file by name and by section, and a symbol's bytes
 * and relocations normalised so that two builds compare by what the code
 * is, not by where the linker put it: every relocated field zeroed, each
 * relocation written as "offset type target+addend" with section-relative
 * targets turned into the symbol that holds the address. {@code kernel
 * compare} and the change-aware run's fingerprints both read symbols
 * through it.
 */
public final class SymbolIndex {

    private final ElfFile f;
    private final Map<String, List<ElfFile.Symbol>> byName = new HashMap<>();
    private final Map<Integer, List<ElfFile.Symbol>> bySection = new HashMap<>();

    public SymbolIndex(ElfFile f) {
        this.f = f;
        for (ElfFile.Symbol s : f.symbols()) {
            if (s.section() == 0 || s.section() >= f.sections().size() || s.type() == ElfFile.Symbol.STT_SECTION
                    || s.name().isEmpty() || s.type() == 4 /* FILE */) {
                continue;
            }
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
            bySection.computeIfAbsent(s.section(), k -> new ArrayList<>()).add(s);
        }
        bySection.values().forEach(l -> l.sort((x, y) -> Long.compare(x.value(), y.value())));
    }

    public ElfFile file() {
        return f;
    }

    /** The definitions of {@code name}, in symbol-table order (local symbols may repeat a name). */
    public List<ElfFile.Symbol> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The symbols of section {@code index}, by address. */
    public List<ElfFile.Symbol> inSection(int index) {
        return bySection.getOrDefault(index, List.of());
    }

    /** The names defined in the sections called {@code section}, without local labels. */
    public Set<String> namesIn(String section) {
        Set<String> out = new TreeSet<>();
        for (ElfFile.Section sec : f.sections()) {
            if (sec.name().equals(section)) {
                for (ElfFile.Symbol s : inSection(sec.index())) {
                    if (!s.name().startsWith(".L") && !s.name().matches("\\.?L?\\d+.*")) {
                        out.add(s.name());
                    }
                }
            }
        }
        return out;
    }

    /** The symbol's relocations as "offset type target+addend", targets normalised. */
    public List<String> relocs(ElfFile.Symbol s) {
        return relocs(s.section(), f.sectionOffset(s), Math.max(s.size(), 1));
    }

    /** The relocations of section {@code index} in [start, start + size), offsets relative to start. */
    public List<String> relocs(int index, long start, long size) {
        List<String> out = new ArrayList<>();
        ElfFile.Section sec = f.section(index);
        long end = start + size;
        List<ElfFile.Reloc> all = f.relocations(index);
        for (int i = firstAtOrAfter(all, start); i < all.size() && all.get(i).offset() < end; i++) {
            ElfFile.Reloc r = all.get(i);
            long addend = r.addend();
            if (!f.is64()) {
                addend = f.implicitAddend(sec, r);
            }
            out.add((r.offset() - start) + " " + r.type() + " " + target(r.symbol(), addend, r.type()));
        }
        return out;
    }

    /** The symbol's bytes with every relocated field zeroed (the relocations are compared on their own). */
    public byte[] masked(ElfFile.Symbol s) {
        byte[] b = f.bytes(s);
        long start = f.sectionOffset(s);
        List<ElfFile.Reloc> all = f.relocations(s.section());
        for (int i = firstAtOrAfter(all, start); i < all.size() && all.get(i).offset() < start + b.length; i++) {
            ElfFile.Reloc r = all.get(i);
            long o = r.offset() - start;
            int width = relocWidth(r);
            for (int k = 0; k < width && o + k < b.length; k++) {
                b[(int) (o + k)] = 0;
            }
        }
        return b;
    }

    /** The index of the first relocation at or after {@code offset} (the list is sorted by offset). */
    private static int firstAtOrAfter(List<ElfFile.Reloc> relocs, long offset) {
        int lo = 0;
        int hi = relocs.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (relocs.get(mid).offset() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The bytes a relocation patches: 8 for the 64-bit absolute types, 4 otherwise. */
    public int relocWidth(ElfFile.Reloc r) {
        return f.is64() && (r.type() == 1 || r.type() == 24) ? 8 : 4;
    }

    /** A relocation target as name+addend; section symbols become the symbol that holds the address. */
    public String target(ElfFile.Symbol s, long addend, int type) {
        if (s == null) {
            return "?" + addend;
        }
        if (s.type() != ElfFile.Symbol.STT_SECTION) {
            return s.name() + (addend >= 0 ? "+" : "") + addend;
        }
        boolean pcrel = type == 2 || type == 4;
        long bias = f.is64() && pcrel ? 4 : 0;
        long at = addend + bias;
        // the symbol with the highest address at or below it that holds it (the last one of equal addresses)
        List<ElfFile.Symbol> syms = inSection(s.section());
        int lo = 0;
        int hi = syms.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (syms.get(mid).value() <= at) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        ElfFile.Symbol best = null;
        for (int i = lo - 1; i >= 0 && best == null; i--) {
            ElfFile.Symbol c = syms.get(i);
            if (c.size() == 0 || at < c.value() + c.size() || c.value() == at) {
                best = c;
            }
        }
        if (best == null) {
            return s.name() + "+" + addend;
        }
        return best.name() + "+" + (at - best.value()) + (bias == 0 ? "" : "-" + bias);
    }
}
