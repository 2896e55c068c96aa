package dev.idtgen.change;

import dev.idtgen.elf.ElfFile;
import dev.idtgen.elf.SymbolIndex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a build's code is, symbol by symbol: for every sized symbol of every
 * allocated section of vmlinux.o a digest of its size, its bytes with the
 * relocated fields zeroed and its relocations with normalised targets (as
 * {@code kernel compare} reads them), so a symbol's digest changes only
 * when its own code or data does, not when the linker moves it. The stub
 * arrays and the gate tables are also cut into their slots (one per
 * vector), and every allocated section gets a digest of what no symbol
 * covers: the bytes of its data (strings, tables without a symbol) and the
 * relocations outside every symbol, by the symbol they point into.
 * Padding between functions in code sections is left out: it changes when
 * code before it grows. In the entry sections, the branches gas resolved
 * without a relocation ({@link Branches}) count by their target, not their
 * displacement, for the same reason.
 *
 * <p>Keys: the symbol's name, with {@code @section} and {@code #n} (its n-th
 * definition there) when a local name repeats; {@code name[0xNN]} for a slot;
 * {@code section:unowned} for the data no symbol covers, {@code section->symbol}
 * for the relocations outside every symbol that point into {@code symbol}.
 *
 * @param digests key to digest (hex), sorted by key
 */
public record Fingerprints(Map<String, String> digests) {

    /** The stub arrays: slot n is vector first + n, IDT_ALIGN bytes each (size / number of vectors). */
    public record Array(String name, int first, int end) {
    }

    /** The gate tables of idt.c: arrays of struct idt_data, whose first field is the vector (u32). */
    public static final List<String> GATE_TABLES = List.of("early_idts", "def_idts", "ia32_idt", "apic_idts",
            "early_pf_idts");

    /**
     * The key that records which rule made the fingerprints, and this rule's version: fingerprints of another
     * rule cannot be compared key by key (2: branches resolved by gas count by their target).
     */
    public static final String RULE_KEY = "#rule";
    public static final String RULE = "2";

    /** The version of the rule that made these fingerprints ("1" for those made before it was recorded). */
    public String rule() {
        return digests.getOrDefault(RULE_KEY, "1");
    }

    private static final long SHF_ALLOC = 2;
    private static final long SHF_EXECINSTR = 4;
    private static final int SHT_NOBITS = 8;

    /** The fingerprints of a relocatable vmlinux.o; {@code arrays} are the stub arrays of its table. */
    public static Fingerprints of(Path vmlinuxO, List<Array> arrays) throws IOException {
        ElfFile f = ElfFile.read(vmlinuxO);
        SymbolIndex idx = new SymbolIndex(f);
        Map<String, Map<Long, String>> branches = Branches.of(vmlinuxO, ChangeSet.ENTRY_SECTIONS);
        Map<String, String> out = new TreeMap<>();
        out.put(RULE_KEY, RULE);
        Map<String, Integer> seen = new TreeMap<>();
        for (ElfFile.Section sec : f.sections()) {
            if ((sec.flags() & SHF_ALLOC) == 0) {
                continue;
            }
            List<ElfFile.Symbol> syms = idx.inSection(sec.index());
            boolean[] owned = new boolean[(int) sec.size()];
            for (ElfFile.Symbol s : syms) {
                if (s.size() <= 0) {
                    continue;
                }
                long at = f.sectionOffset(s);
                for (long i = at; i < at + s.size() && i < owned.length; i++) {
                    owned[(int) i] = true;
                }
                String key = key(s.name(), sec.name(), seen);
                byte[] bytes = sec.type() == SHT_NOBITS ? new byte[0] : idx.masked(s);
                List<String> relocs = new ArrayList<>(idx.relocs(s));
                for (Map.Entry<Long, String> b : branches.getOrDefault(sec.name(), Map.of()).entrySet()) {
                    long o = b.getKey() - at;
                    if (o >= 0 && o + 4 <= s.size() && o + 4 <= bytes.length) {
                        java.util.Arrays.fill(bytes, (int) o, (int) o + 4, (byte) 0);
                        relocs.add(o + " branch " + b.getValue());
                    }
                }
                out.put(key, digest(s.size(), bytes, relocs));
                slots(f, idx, s, arrays, out);
            }
            unowned(f, idx, sec, owned, out);
        }
        return new Fingerprints(out);
    }

    /** A symbol's key: its name, qualified when a local name repeats. */
    private static String key(String name, String section, Map<String, Integer> seen) {
        int n = seen.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "@" + section + "#" + n;
    }

    /** The slots of a stub array or a gate table, each under name[0xNN]. */
    private static void slots(ElfFile f, SymbolIndex idx, ElfFile.Symbol s, List<Array> arrays,
                              Map<String, String> out) {
        if (!GATE_TABLES.contains(s.name()) && arrays.stream().noneMatch(a -> a.name().equals(s.name()))) {
            return;
        }
        byte[] bytes = idx.masked(s);
        for (Array a : arrays) {
            int count = a.end() - a.first();
            if (!a.name().equals(s.name()) || count <= 0 || s.size() % count != 0) {
                continue;
            }
            int slot = (int) (s.size() / count);
            for (int n = 0; n < count; n++) {
                out.put(String.format("%s[0x%02x]", a.name(), a.first() + n), digest(slot,
                        java.util.Arrays.copyOfRange(bytes, n * slot, (n + 1) * slot),
                        idx.relocs(s.section(), f.sectionOffset(s) + (long) n * slot, slot)));
            }
        }
        if (GATE_TABLES.contains(s.name())) {
            int size = f.is64() ? 24 : 16; // struct idt_data
            if (s.size() % size != 0) {
                return;
            }
            byte[] raw = f.bytes(s);
            for (int n = 0; n < s.size() / size; n++) {
                int vector = ByteBuffer.wrap(raw, n * size, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                out.put(String.format("%s[0x%02x]", s.name(), vector & 0xff), digest(size,
                        java.util.Arrays.copyOfRange(bytes, n * size, (n + 1) * size),
                        idx.relocs(s.section(), f.sectionOffset(s) + (long) n * size, size)));
            }
        }
    }

    /**
     * What no symbol of the section covers: its data bytes (not the padding of code) as
     * {@code section:unowned}, and its relocations by the symbol each one points into as
     * {@code section->symbol} (the alternatives, exception-table and unwind entries of a stub follow the
     * stub's own key: an instruction more in one stub moves only the entries that point into it).
     */
    private static void unowned(ElfFile f, SymbolIndex idx, ElfFile.Section sec, boolean[] owned,
                                Map<String, String> out) {
        Map<String, List<String>> byTarget = new TreeMap<>();
        for (String r : idx.relocs(sec.index(), 0, sec.size())) {
            int sp = r.indexOf(' ');
            long at = Long.parseLong(r.substring(0, sp));
            if (at < owned.length && owned[(int) at]) {
                continue;
            }
            String typeAndTarget = r.substring(sp + 1);
            byTarget.computeIfAbsent(targetSymbol(r), k -> new ArrayList<>()).add(typeAndTarget);
        }
        byTarget.forEach((target, relocs) -> {
            java.util.Collections.sort(relocs);
            out.put(sec.name() + "->" + target, digest(relocs.size(), new byte[0], relocs));
        });
        byte[] data = new byte[0];
        if ((sec.flags() & SHF_EXECINSTR) == 0 && sec.type() != SHT_NOBITS) {
            byte[] all = f.sectionBytes(sec);
            for (ElfFile.Reloc r : f.relocations(sec.index())) {
                for (int i = 0; i < idx.relocWidth(r) && r.offset() + i < all.length; i++) {
                    all[(int) (r.offset() + i)] = 0;
                }
            }
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < all.length; i++) {
                if (!owned[i]) {
                    b.write(all[i]);
                }
            }
            data = b.toByteArray();
        }
        out.put(sec.name() + ":unowned", digest(sec.type() == SHT_NOBITS ? sec.size() : data.length, data,
                List.of()));
    }

    /** The symbol a normalised relocation ("offset type target+addend") points into. */
    static String targetSymbol(String reloc) {
        String target = reloc.substring(reloc.indexOf(' ', reloc.indexOf(' ') + 1) + 1);
        int plus = target.lastIndexOf('+');
        int minus = target.lastIndexOf('-');
        int cut = plus > 0 ? plus : minus > 0 ? minus : target.length();
        return target.substring(0, cut);
    }

    private static String digest(long size, byte[] bytes, List<String> relocs) {
        MessageDigest md = dev.idtgen.io.Digests.sha256();
        md.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        md.update(bytes);
        for (String r : relocs) {
            md.update((byte) 0);
            md.update(r.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest(), 0, 12);
    }
}
