package dev.idtgen.change;

import dev.idtgen.elf.ElfFile;
import dev.idtgen.elf.SymbolIndex;
import dev.idtgen.model.Entry;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.VectorTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which vectors a new build changed against a baseline, by the rule (conservative; qemu-tests/README.md, "change-aware
 * run"):
 * <ol>
 * <li>A key whose digest differs, appears or disappears is a changed symbol (a slot key: that slot; a
 * relocation outside every symbol: the symbol it points into).</li>
 * <li>Data no symbol holds changed (a {@code section:unowned} key): everything, it cannot be attributed.</li>
 * <li>A changed symbol outside the entry sections (.entry.text, .noinstr.text) that is not one of an entry's
 * own symbols, slots or tables: everything.</li>
 * <li>A changed stub-array or gate-table slot: its vector. A changed entry's own symbol (its stub, its C
 * functions, by the table's names): the entry's vectors.</li>
 * <li>Every vector whose own symbols reach a changed symbol through the new build's references (relocations:
 * calls, jumps, pointers), transitively, not through a gate table or stub array: that vector too.</li>
 * </ol>
 * Anything else (the .config, the guest programs, QEMU, the boot plan) is compared by the baseline, not here.
 *
 * @param everything why every vector must be re-tested, empty when the change is attributed
 * @param vectors    the vectors to re-test, each with why (empty when {@code everything} says why)
 */
public record ChangeSet(List<String> everything, Map<Integer, List<String>> vectors) {

    /** The prefixes that make an entry's own symbols from its handler's name (as kernel compare reads them). */
    static final List<String> PREFIXES = List.of("", "asm_", "xen_asm_", "noist_", "user_", "kernel_", "fred_",
            "__", "instr_");
    static final Set<String> ENTRY_SECTIONS = Set.of(".entry.text", ".noinstr.text");
    private static final java.util.regex.Pattern SLOT =
            java.util.regex.Pattern.compile("^(.*)\\[0x([0-9a-f]{2})]$");

    public boolean unchanged() {
        return everything.isEmpty() && vectors.isEmpty();
    }

    /** The change from {@code base} to {@code now}, whose build is {@code vmlinuxO}, for {@code table}. */
    public static ChangeSet between(Fingerprints base, Fingerprints now, Path vmlinuxO, VectorTable table)
            throws IOException {
        Set<String> changed = new TreeSet<>();
        Set<String> keys = new TreeSet<>(base.digests().keySet());
        keys.addAll(now.digests().keySet());
        if (!base.rule().equals(now.rule())) {
            return new ChangeSet(List.of("the fingerprint rule changed (the baseline's " + base.rule() + ", now "
                    + now.rule() + ")"), Map.of());
        }
        for (String k : keys) {
            if (k.equals(Fingerprints.RULE_KEY)) {
                continue;
            }
            if (!Objects.equals(base.digests().get(k), now.digests().get(k))) {
                changed.add(k);
            }
        }
        if (changed.isEmpty()) {
            return new ChangeSet(List.of(), Map.of());
        }
        SymbolIndex idx = new SymbolIndex(ElfFile.read(vmlinuxO));
        return attribute(changed, idx, table);
    }

    static ChangeSet attribute(Set<String> changed, SymbolIndex idx, VectorTable table) {
        Map<String, Set<Integer>> own = ownSymbols(table);
        Set<String> slotted = new HashSet<>(Fingerprints.GATE_TABLES);
        table.stubArrays().forEach(a -> slotted.add(a.name()));
        List<String> everything = new ArrayList<>();
        Map<Integer, List<String>> vectors = new TreeMap<>();
        Set<String> changedSymbols = new TreeSet<>();
        for (String k : changed) {
            if (k.endsWith(":unowned")) {
                everything.add("data no symbol holds changed in " + k.substring(0, k.indexOf(':')));
                continue;
            }
            java.util.regex.Matcher slot = SLOT.matcher(k);
            if (slot.matches()) {
                vectors.computeIfAbsent(Integer.parseInt(slot.group(2), 16), v -> new ArrayList<>())
                        .add(k + " changed");
                continue;
            }
            String sym = k.contains("->") ? k.substring(k.indexOf("->") + 2) : k;
            sym = sym.contains("@") ? sym.substring(0, sym.indexOf('@')) : sym;
            if (slotted.contains(sym) && !k.contains("->") && changed.stream().anyMatch(x -> x.startsWith(k + "["))) {
                continue; // the table or array as a whole: its slots say which vectors
            }
            changedSymbols.add(sym);
        }
        if (!everything.isEmpty()) {
            return new ChangeSet(List.copyOf(new TreeSet<>(everything)), Map.of());
        }
        Map<String, Set<String>> referencedBy = changedSymbols.isEmpty() ? Map.of() : references(idx);
        List<String> outside = new ArrayList<>();
        List<String> unreached = new ArrayList<>();
        for (String sym : changedSymbols) {
            Set<Integer> mine = own.get(sym);
            if (mine != null) {
                for (int v : mine) {
                    vectors.computeIfAbsent(v, x -> new ArrayList<>()).add(sym + " changed");
                }
            } else if (!inEntrySections(idx, sym)) {
                outside.add(sym);
                continue;
            }
            // every vector whose own symbols reach it
            Set<Integer> reached = new TreeSet<>();
            for (String by : reachers(referencedBy, sym, slotted)) {
                Set<Integer> vs = own.get(by);
                if (vs != null && !by.equals(sym)) {
                    for (int v : vs) {
                        reached.add(v);
                        vectors.computeIfAbsent(v, x -> new ArrayList<>()).add(by + " reaches " + sym);
                    }
                }
            }
            if (mine == null && reached.isEmpty()) {
                unreached.add(sym);
            }
        }
        if (!outside.isEmpty()) {
            everything.add(some(outside) + " changed outside the entry sections");
        }
        if (!unreached.isEmpty()) {
            everything.add(some(unreached) + " changed in the entry sections and no vector's own symbols reach "
                    + (unreached.size() == 1 ? "it" : "them"));
        }
        if (!everything.isEmpty()) {
            return new ChangeSet(List.copyOf(everything), Map.of());
        }
        vectors.replaceAll((v, why) -> List.copyOf(new TreeSet<>(why)));
        return new ChangeSet(List.of(), vectors);
    }

    /** How many symbols, and the first few of them by name: one short line, however many there are. */
    static String some(List<String> symbols) {
        int shown = Math.min(3, symbols.size());
        String names = String.join(", ", symbols.subList(0, shown));
        return symbols.size() == 1 ? "1 symbol (" + names + ")" : symbols.size() + " symbols (" + names
                + (symbols.size() > shown ? ", and " + (symbols.size() - shown) + " more" : "") + ")";
    }

    /** Symbol name to the vectors it belongs to: each entry's own symbols and the stub arrays. */
    static Map<String, Set<Integer>> ownSymbols(VectorTable table) {
        Map<String, Set<Integer>> own = new HashMap<>();
        for (StubArray a : table.stubArrays()) {
            own.computeIfAbsent(a.name(), k -> new TreeSet<>()).addAll(range(table, a));
        }
        vectorsByHandler(table).forEach((h, vs) -> {
            if (vs.isEmpty()) {
                return; // an entry without a vector of its own: its symbols are no vector's
            }
            for (String p : PREFIXES) {
                own.computeIfAbsent(p + h, k -> new TreeSet<>()).addAll(vs);
            }
        });
        return own;
    }

    /** Each handler of the table to its vectors: its entries' numbers, a stub array's range for its target. */
    public static Map<String, Set<Integer>> vectorsByHandler(VectorTable table) {
        Map<String, Set<Integer>> byHandler = new HashMap<>();
        for (StubArray a : table.stubArrays()) {
            byHandler.computeIfAbsent(a.target(), k -> new TreeSet<>()).addAll(range(table, a));
        }
        for (Entry e : table.entries()) {
            byHandler.computeIfAbsent(e.handler(), k -> new TreeSet<>());
            if (e.number() != null) {
                byHandler.get(e.handler()).add(e.number());
            }
        }
        return byHandler;
    }

    private static Set<Integer> range(VectorTable table, StubArray a) {
        Set<Integer> range = new TreeSet<>();
        for (int v = table.symbols().get(a.first()).number(); v < table.symbols().get(a.end()).number(); v++) {
            range.add(v);
        }
        return range;
    }

    private static boolean inEntrySections(SymbolIndex idx, String name) {
        for (ElfFile.Symbol s : idx.named(name)) {
            if (ENTRY_SECTIONS.contains(idx.file().section(s.section()).name())) {
                return true;
            }
        }
        return false;
    }

    /** Who references whom: a symbol's name to the names of the symbols whose relocations point into it. */
    static Map<String, Set<String>> references(SymbolIndex idx) {
        Map<String, Set<String>> referencedBy = new HashMap<>();
        ElfFile f = idx.file();
        for (ElfFile.Section sec : f.sections()) {
            if ((sec.flags() & 2) == 0) {
                continue;
            }
            for (ElfFile.Symbol s : idx.inSection(sec.index())) {
                if (s.size() <= 0) {
                    continue;
                }
                for (String r : idx.relocs(s)) {
                    referencedBy.computeIfAbsent(Fingerprints.targetSymbol(r), k -> new HashSet<>()).add(s.name());
                }
            }
        }
        return referencedBy;
    }

    /**
     * {@code target} and every symbol that reaches it through references, transitively, except through
     * {@code tables} (the gate tables and stub arrays): code that loads or reads a table does not enter the stubs
     * it points to; the CPU enters a stub only through its own vector's slot, which the slot keys and the stub's
     * own symbols already attribute. Without the exception every vector whose handler reaches panic() would
     * reach every stub (panic, smp_ops, the AP start code, start_kernel, trap_init, def_idts: measured on 6.12).
     */
    static Set<String> reachers(Map<String, Set<String>> referencedBy, String target, Set<String> tables) {
        Set<String> out = new HashSet<>(Set.of(target));
        Deque<String> todo = new ArrayDeque<>(out);
        while (!todo.isEmpty()) {
            for (String by : referencedBy.getOrDefault(todo.pop(), Set.of())) {
                if (!tables.contains(by) && out.add(by)) {
                    todo.push(by);
                }
            }
        }
        return out;
    }
}
