package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Kind;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code idtentry.h}: the stub arrays ({@code SYM_CODE_START} blocks
 * with a {@code .rept}) ahead of {@code #define X86_TRAP_OTHER}, then the
 * {@code DECLARE_IDTENTRY*()} list up to its {@code #undef}, with the
 * {@code #define}s of its {@code #else} branches as the entries'
 * {@code otherwise} names.
 */
final class IdtentryReader {

    private static final Pattern DECLARE = Pattern.compile(
            "(DECLARE_IDTENTRY[A-Z_]*)\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)\\s*;");
    private static final Pattern CODE_START = Pattern.compile("SYM_CODE_START\\s*\\(\\s*(\\w+)\\s*\\)");
    private static final Pattern CODE_END = Pattern.compile("SYM_CODE_END\\s*\\(\\s*(\\w+)\\s*\\)");
    private static final Pattern DIFFERENCE = Pattern.compile("\\(?\\s*(\\w+)\\s*-\\s*(\\w+)\\s*\\)?");

    private final VectorSymbols symbols;
    private final Placements placements;
    /** The handlers some C file defines with DEFINE_IDTENTRY_SYSVEC_SIMPLE(). */
    private final Set<String> simple;
    private final List<Entry> entries = new ArrayList<>();
    private final List<StubArray> arrays = new ArrayList<>();

    IdtentryReader(VectorSymbols symbols, Placements placements, Set<String> simple) {
        this.symbols = symbols;
        this.placements = placements;
        this.simple = simple;
    }

    /** The declared entries, in file order (after {@link #read}). */
    List<Entry> entries() {
        return entries;
    }

    /** The stub arrays, in file order (after {@link #read}). */
    List<StubArray> arrays() {
        return arrays;
    }

    void read(Path file) throws ImportException {
        List<SourceFile.Line> lines = SourceFile.read(file);
        int list = stubArrays(lines);
        if (list == lines.size()) {
            throw new ImportException(file, 0, "no '#define X86_TRAP_OTHER' before the DECLARE_IDTENTRY list");
        }
        declarations(file, lines.subList(list + 1, lines.size()));
    }

    // ---- the stub arrays --------------------------------------------------------

    /** A {@code SYM_CODE_START(name)} block being read, with what makes it a stub array. */
    private static final class StubBlock {
        /** The lines that make a block a stub array: {@code vector=FIRST}, {@code .rept COUNT}, {@code jmp TARGET}. */
        private static final Pattern STUB_VECTOR = Pattern.compile("vector\\s*=\\s*([A-Za-z_]\\w*)");
        private static final Pattern REPT = Pattern.compile("\\.rept\\s+(\\w+)");
        private static final Pattern JMP = Pattern.compile("jmp\\s+(\\w+)");

        final SourceFile.Line start;
        final String name;
        String first;
        String count;
        String jump;

        StubBlock(SourceFile.Line start, String name) {
            this.start = start;
            this.name = name;
        }

        /** Takes note of a line inside the block. */
        void add(String text) {
            Matcher m;
            if (first == null && (m = STUB_VECTOR.matcher(text)).matches()) {
                first = m.group(1);
            } else if ((m = REPT.matcher(text)).matches()) {
                count = m.group(1);
            } else if ((m = JMP.matcher(text)).matches()) {
                jump = m.group(1);
            }
        }
    }

    /** Reads the stub arrays up to {@code #define X86_TRAP_OTHER}; returns that line's index (or the size). */
    private int stubArrays(List<SourceFile.Line> lines) throws ImportException {
        StubBlock block = null;
        for (int i = 0; i < lines.size(); i++) {
            SourceFile.Line line = lines.get(i);
            if ("define".equals(line.directive()) && line.argument().matches("X86_TRAP_OTHER\\b.*")) {
                return i;
            }
            Matcher m;
            if ((m = CODE_START.matcher(line.text())).find()) {
                block = new StubBlock(line, m.group(1));
            } else if (block != null && CODE_END.matcher(line.text()).find()) {
                stubArray(block);
                block = null;
            } else if (block != null) {
                block.add(line.text());
            }
        }
        return lines.size();
    }

    private void stubArray(StubBlock b) throws ImportException {
        SourceFile.Line line = b.start;
        String name = b.name;
        if (b.count == null) {
            return; // a code block, but no array of stubs
        }
        if (b.first == null || b.jump == null) {
            throw new ImportException(line.file(), line.number(), "stub array " + name
                    + " has no 'vector=FIRST' or no 'jmp asm_TARGET'");
        }
        String count = symbols.macro(b.count);
        Matcher m = count == null ? null : DIFFERENCE.matcher(count);
        if (m == null || !m.matches() || !m.group(2).equals(b.first)) {
            throw new ImportException(line.file(), line.number(), "stub array " + name + ": .rept " + b.count
                    + " is not (END - " + b.first + ") in " + KernelImporter.IRQ_VECTORS_H);
        }
        Placements.Placement p = placements.place(line, EnumSet.allOf(Arch.class));
        if (p == null) {
            return;
        }
        String target = b.jump.startsWith("asm_") ? b.jump.substring(4) : b.jump;
        arrays.add(new StubArray(name, b.first, m.group(1), target, p.arches(), p.condition(), line.pos(),
                Map.of()));
    }

    // ---- the DECLARE_IDTENTRY list ---------------------------------------------------

    /**
     * The entries declared so far, each with the {@code #define}s that stand in for it where it is not compiled
     * in, and the {@code #if} branches each was declared in.
     */
    private static final class Declarations {
        final List<Entry> declared = new ArrayList<>();
        final List<Map<String, String>> otherwise = new ArrayList<>();
        final Map<SourceFile.Branch, List<Integer>> declaredIn = new HashMap<>();

        void declare(SourceFile.Line line, Entry e) {
            for (SourceFile.Branch b : line.branches()) {
                declaredIn.computeIfAbsent(b, k -> new ArrayList<>()).add(declared.size());
            }
            declared.add(e);
            otherwise.add(new LinkedHashMap<>());
        }

        void define(SourceFile.Line line, String name, String value) throws ImportException {
            otherwise.get(owner(line, name)).put(name, value);
        }

        /** The entries, each with its otherwise names. */
        List<Entry> entries() {
            List<Entry> out = new ArrayList<>();
            for (int k = 0; k < declared.size(); k++) {
                Entry e = declared.get(k);
                Map<String, String> o = otherwise.get(k);
                out.add(new Entry(e.handler(), e.vector(), e.number(), e.kind(), e.errorCode(), e.arches(),
                        e.condition(), o.isEmpty() ? Map.of() : o, e.waivers(), e.pos(), e.where()));
            }
            return out;
        }

        /**
         * The index of the entry that {@code #define name} stands in for when the
         * entry is not compiled in: entry X for {@code fred_X} or {@code asm_X},
         * declared in an earlier branch of the {@code #if} whose {@code #else}
         * holds the define.
         */
        private int owner(SourceFile.Line line, String name) throws ImportException {
            SourceFile.Branch b = line.innermost();
            int best = -1;
            if (b != null) {
                for (int i = 0; i < b.index(); i++) {
                    for (int k : declaredIn.getOrDefault(new SourceFile.Branch(b.frame(), i), List.of())) {
                        String h = declared.get(k).handler();
                        if (name.endsWith("_" + h) && (best < 0 || h.length() > declared.get(best).handler().length())) {
                            best = k;
                        }
                    }
                }
            }
            if (best < 0) {
                throw new ImportException(line.file(), line.number(), "'#define " + name + "' is not in the #else of an"
                        + " #if that declares the entry it stands in for (fred_X or asm_X for entry X):"
                        + " the table cannot express it");
            }
            return best;
        }
    }

    /** Reads the DECLARE_IDTENTRY list: {@code lines} from after {@code #define X86_TRAP_OTHER}. */
    private void declarations(Path file, List<SourceFile.Line> lines) throws ImportException {
        Declarations d = new Declarations();
        for (SourceFile.Line line : lines) {
            if (line.text().isEmpty()) {
                continue;
            }
            if ("undef".equals(line.directive()) && line.argument().equals("X86_TRAP_OTHER")) {
                break;
            }
            if ("define".equals(line.directive())) {
                Matcher m = SourceFile.DEFINE.matcher(line.argument());
                if (!m.matches() || m.group(2) != null
                        || !SourceFile.IDENTIFIER.matcher(m.group(3).strip()).matches()) {
                    throw new ImportException(file, line.number(), "'#define " + line.argument()
                            + "' is not '#define NAME IDENTIFIER': the table cannot express it");
                }
                d.define(line, m.group(1), m.group(3).strip());
                continue;
            }
            if (line.directive() != null) {
                continue; // #if, #else, #endif: already in the line conditions
            }
            Matcher m = DECLARE.matcher(line.text());
            if (!m.matches()) {
                throw new ImportException(file, line.number(), "expected DECLARE_IDTENTRY*(VECTOR, handler); not '"
                        + line.text() + "'");
            }
            Entry e = declare(line, m.group(1), m.group(2), m.group(3));
            if (e != null) {
                d.declare(line, e);
            }
        }
        entries.addAll(d.entries());
    }

    private Entry declare(SourceFile.Line line, String macro, String vector, String handler)
            throws ImportException {
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (macro.equals(k.declareMacro())) {
                kind = k;
                break;
            }
        }
        if (kind == null) {
            throw new ImportException(line.file(), line.number(), "unknown declaration macro " + macro);
        }
        if (simple.contains(handler)) {
            kind = Kind.SYSVEC_SIMPLE;
        }
        Placements.Placement p = placements.place(line, kind.arches());
        if (p == null) {
            return null;
        }
        Integer number = null;
        if (!Entry.NO_VECTOR.equals(vector)) {
            number = symbols.number(line, vector);
        }
        Map<String, String> waivers = Map.of();
        Symbol firstSystem = symbols.get("FIRST_SYSTEM_VECTOR");
        if (kind.entryClass() == Kind.EntryClass.SYSTEM && number != null && firstSystem != null
                && number < firstSystem.number()) {
            waivers = Map.of("system-vector-range", KernelImporter.RANGE_WAIVER);
        }
        return new Entry(handler, vector, number, kind, kind.errorCode(), p.arches(), p.condition(), Map.of(),
                waivers, line.pos(), Map.of());
    }
}
