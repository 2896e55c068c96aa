package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Ist;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Pos;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the x86 IDT of a Linux kernel tree into a {@link VectorTable}: the
 * vector symbols of {@code trapnr.h} and {@code irq_vectors.h}, the
 * {@code DECLARE_IDTENTRY*()} list and the stub arrays of
 * {@code idtentry.h}, the gate tables of {@code idt.c}, and the Kconfig
 * facts the resulting conditions rely on.
 *
 * <p>Conditions come from the {@code #if} nesting of each line. The
 * architecture symbols ({@code CONFIG_X86_64}, {@code CONFIG_X86_32}) are
 * taken out of them into {@code arches}, as is every option whose
 * {@code depends on} lines rule out one architecture (an entry under
 * {@code CONFIG_IA32_EMULATION} exists on x86_64 only). An entry is of kind
 * {@code sysvec_simple} when some {@code arch/x86} C file defines it with
 * {@code DEFINE_IDTENTRY_SYSVEC_SIMPLE()}; a gate that points at no
 * declared entry gets an entry of kind {@code external}. A tree with
 * {@code arch/x86/entry/entry_fred.c} (6.12) has FRED: {@link FredImporter}
 * gives its x86_64 entries their FRED routes.
 */
public final class KernelImporter {

    static final String TRAPNR_H = "arch/x86/include/asm/trapnr.h";
    static final String IRQ_VECTORS_H = "arch/x86/include/asm/irq_vectors.h";
    static final String IDTENTRY_H = "arch/x86/include/asm/idtentry.h";
    static final String IDT_C = "arch/x86/kernel/idt.c";
    /** The Kconfig files whose {@code depends on} lines give the facts. */
    static final List<String> KCONFIG = List.of("arch/x86/Kconfig", "arch/x86/Kconfig.cpu", "arch/x86/kvm/Kconfig",
            "arch/x86/xen/Kconfig", "drivers/thermal/intel/Kconfig", "drivers/hv/Kconfig", "init/Kconfig");
    /** Numeric macros of irq_vectors.h that are no vectors. */
    static final Set<String> NOT_VECTORS = Set.of("NR_IRQS", "NR_IRQS_LEGACY", "CPU_VECTOR_LIMIT", "IO_APIC_VECTOR_LIMIT",
            "NR_EXTERNAL_VECTORS", "NR_SYSTEM_VECTORS");
    /** The reason of the system-vector-range waivers the importer writes. */
    public static final String RANGE_WAIVER = "imported: upstream places this system vector below FIRST_SYSTEM_VECTOR";

    private static final Pattern DEFINE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\()?\\s*(.*)");
    private static final Pattern DECLARE = Pattern.compile(
            "(DECLARE_IDTENTRY[A-Z_]*)\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)\\s*;");
    private static final Pattern SIMPLE = Pattern.compile("\\s*DEFINE_IDTENTRY_SYSVEC_SIMPLE\\s*\\(\\s*(\\w+)\\s*\\).*");
    private static final Pattern CODE_START = Pattern.compile("SYM_CODE_START\\s*\\(\\s*(\\w+)\\s*\\)");
    private static final Pattern CODE_END = Pattern.compile("SYM_CODE_END\\s*\\(\\s*(\\w+)\\s*\\)");
    private static final Pattern STUB_VECTOR = Pattern.compile("vector\\s*=\\s*([A-Za-z_]\\w*)");
    private static final Pattern REPT = Pattern.compile("\\.rept\\s+(\\w+)");
    private static final Pattern JMP = Pattern.compile("jmp\\s+(\\w+)");
    private static final Pattern DIFFERENCE = Pattern.compile("\\(?\\s*(\\w+)\\s*-\\s*(\\w+)\\s*\\)?");
    /** A gate table's definition; attributes may follow the brackets ({@code ia32_idt[] __initconst = {}). */
    private static final Pattern GATE_TABLE = Pattern.compile(
            ".*\\bstruct\\s+idt_data\\s+(\\w+)\\s*\\[\\s*\\]\\s*(?:__\\w+\\s*)*=.*");
    private static final Pattern GATE = Pattern.compile(
            "(INTG|SYSG|ISTG|TSKG)\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*(?:,\\s*(\\w+)\\s*)?\\)\\s*,?");
    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path dir;
    private final KconfigFacts facts;
    private final Map<String, Symbol> symbols = new LinkedHashMap<>();
    /** The text of every object-like macro of irq_vectors.h (first definition), for the stub arrays. */
    private final Map<String, String> macros = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final List<StubArray> arrays = new ArrayList<>();
    private final Map<GateTable, List<Gate>> gates = new EnumMap<>(GateTable.class);

    private KernelImporter(Path dir, KconfigFacts facts) {
        this.dir = dir;
        this.facts = facts;
    }

    /**
     * Imports the kernel tree at {@code dir}.
     *
     * @throws ImportException when a file is missing or holds a construct the table cannot express;
     *                         the message names the file and line
     */
    public static VectorTable importTree(Path dir) throws ImportException {
        if (!Files.isDirectory(dir)) {
            throw new ImportException(dir, 0, "not a directory");
        }
        List<Path> kconfig = new ArrayList<>();
        for (String k : KCONFIG) {
            kconfig.add(dir.resolve(k));
        }
        KernelImporter im = new KernelImporter(dir, KconfigFacts.read(kconfig));
        return im.run();
    }

    private VectorTable run() throws ImportException {
        symbols(dir.resolve(TRAPNR_H));
        symbols(dir.resolve(IRQ_VECTORS_H));
        Set<String> simple = simpleSysvecs();
        idtentry(dir.resolve(IDTENTRY_H), simple);
        idt(dir.resolve(IDT_C));
        String series = series(dir.resolve("Makefile"));
        boolean fred = FredImporter.present(dir);
        List<Entry> all = fred ? new FredImporter(dir, symbols, entries, gates, this::onX86_64).run() : entries;
        return new VectorTable(1, series, List.of(series), kconfigSection(), symbols, all, arrays, gates,
                dir.toString(), fred);
    }

    /** The kernel series of a tree, from its top Makefile's VERSION and PATCHLEVEL: 6.1, 6.12. */
    static String series(Path makefile) throws ImportException {
        String version = null;
        String patchlevel = null;
        List<String> lines;
        try {
            lines = Files.readAllLines(makefile);
        } catch (IOException e) {
            throw new ImportException(makefile, 0, "cannot read: " + e.getMessage());
        }
        for (String line : lines) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(VERSION|PATCHLEVEL)\\s*=\\s*(\\d+)\\s*$")
                    .matcher(line);
            if (m.matches()) {
                if (m.group(1).equals("VERSION")) {
                    version = version == null ? m.group(2) : version;
                } else {
                    patchlevel = patchlevel == null ? m.group(2) : patchlevel;
                }
            }
        }
        if (version == null || patchlevel == null) {
            throw new ImportException(makefile, 0, "no VERSION and PATCHLEVEL lines: not a kernel tree's Makefile");
        }
        return version + "." + patchlevel;
    }

    // ---- trapnr.h, irq_vectors.h ---------------------------------------------

    private void symbols(Path file) throws ImportException {
        for (SourceFile.Line line : SourceFile.read(file)) {
            if (!"define".equals(line.directive())) {
                continue;
            }
            Matcher m = DEFINE.matcher(line.argument());
            if (!m.matches() || m.group(2) != null) {
                continue; // function-like
            }
            String name = m.group(1);
            String value = m.group(3).strip();
            macros.putIfAbsent(name, value);
            if (NOT_VECTORS.contains(name) || symbols.containsKey(name)) {
                continue; // the first definition wins (FIRST_SYSTEM_VECTOR has one per #if branch)
            }
            Integer number = null;
            Condition cond = null;
            Matcher n = NUMBER.matcher(value);
            if (n.matches()) {
                String digits = n.group(1);
                number = digits.startsWith("0x") || digits.startsWith("0X")
                        ? Integer.parseInt(digits.substring(2), 16) : Integer.parseInt(digits);
                cond = line.condition();
            } else if (symbols.containsKey(value)) {
                Symbol alias = symbols.get(value);
                number = alias.number();
                cond = Conditions.and(line.condition(), alias.condition());
            }
            if (number == null || Conditions.isFalse(cond)) {
                continue; // not numeric, or never defined
            }
            symbols.put(name, new Symbol(name, number, cond, pos(line)));
        }
    }

    // ---- arch/x86/**/*.c -------------------------------------------------------

    private Set<String> simpleSysvecs() throws ImportException {
        Path arch = dir.resolve("arch/x86");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(arch)) {
            sources = files.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ImportException(arch, 0, "cannot list the C files: " + e.getMessage());
        }
        Set<String> out = new TreeSet<>();
        for (Path f : sources) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new ImportException(f, 0, "cannot read: " + e.getMessage());
            }
            for (String l : lines) {
                Matcher m = SIMPLE.matcher(l);
                if (m.matches()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    // ---- idtentry.h ------------------------------------------------------------

    /** A {@code SYM_CODE_START(name)} block being read, with what makes it a stub array. */
    private static final class StubBlock {
        final SourceFile.Line start;
        final String name;
        String first;
        String count;
        String jump;

        StubBlock(SourceFile.Line start, String name) {
            this.start = start;
            this.name = name;
        }
    }

    private void idtentry(Path file, Set<String> simple) throws ImportException {
        List<SourceFile.Line> lines = SourceFile.read(file);
        int i = 0;
        StubBlock block = null;
        for (; i < lines.size(); i++) {
            SourceFile.Line line = lines.get(i);
            if ("define".equals(line.directive()) && line.argument().matches("X86_TRAP_OTHER\\b.*")) {
                break;
            }
            Matcher m;
            if ((m = CODE_START.matcher(line.text())).find()) {
                block = new StubBlock(line, m.group(1));
            } else if (block != null && (m = CODE_END.matcher(line.text())).find()) {
                stubArray(block);
                block = null;
            } else if (block != null) {
                if (block.first == null && (m = STUB_VECTOR.matcher(line.text())).matches()) {
                    block.first = m.group(1);
                } else if ((m = REPT.matcher(line.text())).matches()) {
                    block.count = m.group(1);
                } else if ((m = JMP.matcher(line.text())).matches()) {
                    block.jump = m.group(1);
                }
            }
        }
        if (i == lines.size()) {
            throw new ImportException(file, 0, "no '#define X86_TRAP_OTHER' before the DECLARE_IDTENTRY list");
        }
        List<Entry> declared = new ArrayList<>();
        List<Map<String, String>> otherwise = new ArrayList<>();
        Map<SourceFile.Branch, List<Integer>> declaredIn = new HashMap<>();
        for (i++; i < lines.size(); i++) {
            SourceFile.Line line = lines.get(i);
            if (line.text().isEmpty()) {
                continue;
            }
            if ("undef".equals(line.directive()) && line.argument().equals("X86_TRAP_OTHER")) {
                break;
            }
            if ("define".equals(line.directive())) {
                Matcher m = DEFINE.matcher(line.argument());
                if (!m.matches() || m.group(2) != null || !IDENTIFIER.matcher(m.group(3).strip()).matches()) {
                    throw new ImportException(file, line.number(), "'#define " + line.argument()
                            + "' is not '#define NAME IDENTIFIER': the table cannot express it");
                }
                int owner = otherwiseOwner(line, m.group(1), declared, declaredIn);
                otherwise.get(owner).put(m.group(1), m.group(3).strip());
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
            Entry e = declare(line, m.group(1), m.group(2), m.group(3), simple);
            if (e == null) {
                continue;
            }
            for (SourceFile.Branch b : line.branches()) {
                declaredIn.computeIfAbsent(b, k -> new ArrayList<>()).add(declared.size());
            }
            declared.add(e);
            otherwise.add(new LinkedHashMap<>());
        }
        for (int k = 0; k < declared.size(); k++) {
            Entry e = declared.get(k);
            Map<String, String> o = otherwise.get(k);
            entries.add(new Entry(e.handler(), e.vector(), e.number(), e.kind(), e.errorCode(), e.arches(),
                    e.condition(), o.isEmpty() ? Map.of() : o, e.waivers(), e.pos(), e.where()));
        }
    }

    /**
     * The index of the entry that {@code #define name} stands in for when the
     * entry is not compiled in: entry X for {@code fred_X} or {@code asm_X},
     * declared in an earlier branch of the {@code #if} whose {@code #else}
     * holds the define.
     */
    private static int otherwiseOwner(SourceFile.Line line, String name, List<Entry> declared,
                                      Map<SourceFile.Branch, List<Integer>> declaredIn) throws ImportException {
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

    private Entry declare(SourceFile.Line line, String macro, String vector, String handler, Set<String> simple)
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
        Placement p = place(line, kind.arches());
        if (p == null) {
            return null;
        }
        Integer number = null;
        if (!Entry.NO_VECTOR.equals(vector)) {
            number = number(line, vector);
        }
        Map<String, String> waivers = Map.of();
        Symbol firstSystem = symbols.get("FIRST_SYSTEM_VECTOR");
        if (kind.entryClass() == Kind.EntryClass.SYSTEM && number != null && firstSystem != null
                && number < firstSystem.number()) {
            waivers = Map.of("system-vector-range", RANGE_WAIVER);
        }
        return new Entry(handler, vector, number, kind, kind.errorCode(), p.arches(), p.condition(), Map.of(),
                waivers, pos(line), Map.of());
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
        String count = macros.get(b.count);
        Matcher m = count == null ? null : DIFFERENCE.matcher(count);
        if (m == null || !m.matches() || !m.group(2).equals(b.first)) {
            throw new ImportException(line.file(), line.number(), "stub array " + name + ": .rept " + b.count
                    + " is not (END - " + b.first + ") in " + IRQ_VECTORS_H);
        }
        Placement p = place(line, EnumSet.allOf(Arch.class));
        if (p == null) {
            return;
        }
        String target = b.jump.startsWith("asm_") ? b.jump.substring(4) : b.jump;
        arrays.add(new StubArray(name, b.first, m.group(1), target, p.arches(), p.condition(), pos(line), Map.of()));
    }

    // ---- idt.c -------------------------------------------------------------------

    private void idt(Path file) throws ImportException {
        int declared = entries.size();
        GateTable table = null;
        for (SourceFile.Line line : SourceFile.read(file)) {
            Matcher m = GATE_TABLE.matcher(line.text());
            if (table == null && line.directive() == null && m.matches()) {
                String cName = m.group(1);
                for (GateTable t : GateTable.values()) {
                    if (t.cName().equals(cName)) {
                        table = t;
                    }
                }
                if (table == null) {
                    throw new ImportException(file, line.number(), "unknown gate table " + cName);
                }
                gates.put(table, new ArrayList<>());
                continue;
            }
            if (table == null || line.text().isEmpty() || line.directive() != null) {
                continue;
            }
            if (line.text().startsWith("}")) {
                table = null;
                continue;
            }
            if (!(m = GATE.matcher(line.text())).matches()) {
                throw new ImportException(file, line.number(), "expected INTG/SYSG/ISTG/TSKG(VECTOR, ...) in "
                        + table.cName() + ", not '" + line.text() + "'");
            }
            Gate g = gate(table, line, m.group(1), m.group(2), m.group(3), m.group(4), declared);
            if (g != null) {
                gates.get(table).add(g);
            }
        }
    }

    private Gate gate(GateTable table, SourceFile.Line line, String macro, String vector, String addr, String ist,
                      int declared) throws ImportException {
        Placement p = place(line, EnumSet.allOf(Arch.class));
        if (p == null) {
            return null;
        }
        int number = number(line, vector);
        GateType type = switch (macro) {
            case "SYSG" -> GateType.SYSTEM;
            case "TSKG" -> GateType.TASK;
            default -> GateType.INTERRUPT;
        };
        Ist stack = null;
        if (macro.equals("ISTG")) {
            if (ist == null || !ist.startsWith("IST_INDEX_")) {
                throw new ImportException(line.file(), line.number(), "ISTG needs an IST_INDEX_* stack");
            }
            try {
                stack = Ist.valueOf(ist.substring("IST_INDEX_".length()));
            } catch (IllegalArgumentException e) {
                throw new ImportException(line.file(), line.number(), "unknown interrupt stack " + ist);
            }
        } else if (ist != null) {
            throw new ImportException(line.file(), line.number(), macro + " takes two arguments");
        }
        String handler;
        String tss = null;
        if (type == GateType.TASK) {
            tss = addr;
            handler = taskHandler(line, vector, p.arches(), declared);
        } else {
            handler = gateHandler(line, addr, vector, number, p, declared);
        }
        return new Gate(table, handler, type, type == GateType.SYSTEM ? 3 : 0, stack, tss, p.arches(), p.condition(),
                Map.of(), pos(line), Map.of());
    }

    /** The declared entry of {@code vector} on {@code arches}, preferring an unconditional one. */
    private String taskHandler(SourceFile.Line line, String vector, Set<Arch> arches, int declared)
            throws ImportException {
        Entry found = null;
        for (Entry e : entries.subList(0, declared)) {
            if (e.vector().equals(vector) && e.arches().containsAll(arches)
                    && (found == null || !found.condition().isAlways() && e.condition().isAlways())) {
                found = e;
            }
        }
        if (found == null) {
            throw new ImportException(line.file(), line.number(), "task gate of " + vector
                    + ": no entry of that vector on " + names(arches));
        }
        return found.handler();
    }

    /** The entry whose stub {@code addr} is, or a new external entry for a hand-written one. */
    private String gateHandler(SourceFile.Line line, String addr, String vector, int number, Placement p,
                               int declared) throws ImportException {
        for (Entry e : entries.subList(0, declared)) {
            if (addr.equals("asm_" + e.handler())) {
                if (e.number() != null && e.number() != number) {
                    throw new ImportException(line.file(), line.number(), "the gate of " + vector + " (" + number
                            + ") points at " + e.handler() + ", the entry of " + e.vector() + " (" + e.number() + ")");
                }
                return e.handler();
            }
        }
        for (int i = declared; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.handler().equals(addr)) {
                if (!e.condition().equals(p.condition()) || !e.vector().equals(vector)) {
                    throw new ImportException(line.file(), line.number(), "hand-written entry " + addr
                            + " has gates under different conditions or vectors");
                }
                Set<Arch> arches = EnumSet.copyOf(e.arches());
                arches.addAll(p.arches());
                entries.set(i, new Entry(e.handler(), e.vector(), e.number(), e.kind(), e.errorCode(), arches,
                        e.condition(), e.otherwise(), e.waivers(), e.pos(), e.where()));
                return addr;
            }
        }
        if (!IDENTIFIER.matcher(addr).matches()) {
            throw new ImportException(line.file(), line.number(), "gate address " + addr + " is not a symbol");
        }
        entries.add(new Entry(addr, vector, number, Kind.EXTERNAL, Kind.EXTERNAL.errorCode(), p.arches(),
                p.condition(), Map.of(), Map.of(), pos(line), Map.of()));
        return addr;
    }

    // ---- conditions and architectures -------------------------------------------

    /** Where a line is compiled in: on which architectures, under which condition. */
    private record Placement(Set<Arch> arches, Condition condition) {
    }

    /**
     * Splits the condition of {@code line} into architectures (among
     * {@code allowed}) and the condition that remains; null when the line is
     * compiled in nowhere.
     */
    private Placement place(SourceFile.Line line, Set<Arch> allowed) throws ImportException {
        Condition raw = line.condition();
        Set<Arch> arches = EnumSet.noneOf(Arch.class);
        Map<Arch, Condition> rest = new EnumMap<>(Arch.class);
        for (Arch a : allowed) {
            Condition c = Conditions.forArch(raw, a, this::impossible);
            if (!Conditions.isFalse(c)) {
                arches.add(a);
                rest.put(a, c);
            }
        }
        if (arches.isEmpty()) {
            return null;
        }
        // One condition for all: an architecture's remainder that reads the same as every other's
        // once specialised to it (!TDX && X is X on i386, where TDX cannot be enabled).
        for (Condition candidate : rest.values()) {
            boolean fits = true;
            for (Map.Entry<Arch, Condition> r : rest.entrySet()) {
                fits &= Conditions.forArch(candidate, r.getKey(), this::impossible).equals(r.getValue());
            }
            if (fits) {
                return new Placement(arches, candidate);
            }
        }
        StringBuilder b = new StringBuilder();
        rest.forEach((a, c) -> b.append(b.length() == 0 ? "" : ", ").append(a.yamlName()).append(": ").append(c.toC()));
        throw new ImportException(line.file(), line.number(), "the condition " + raw.toC()
                + " differs between the architectures (" + b + "); the table has one condition per line");
    }

    /** {@code c} as seen when building for x86_64 (the only architecture with FRED). */
    private Condition onX86_64(Condition c) {
        return Conditions.forArch(c, Arch.X86_64, this::impossible);
    }

    /** True when {@code symbol} depends on the architecture symbol of another architecture than {@code arch}. */
    private boolean impossible(String symbol, Arch arch) {
        Set<String> g = facts.guarantees(symbol);
        for (Arch other : Arch.values()) {
            if (other != arch && g.contains(other.kconfig())) {
                return true;
            }
        }
        return false;
    }

    // ---- kconfig -----------------------------------------------------------------

    /** For every symbol the table's conditions read, what its depends on lines guarantee among them. */
    private Map<String, Condition> kconfigSection() {
        Set<String> used = new TreeSet<>();
        symbols.values().forEach(s -> used.addAll(s.condition().symbols()));
        entries.forEach(e -> used.addAll(e.condition().symbols()));
        arrays.forEach(a -> used.addAll(a.condition().symbols()));
        gates.values().forEach(l -> l.forEach(g -> used.addAll(g.condition().symbols())));
        Map<String, Condition> out = new TreeMap<>();
        for (String s : used) {
            Condition fact = Condition.ALWAYS;
            for (String g : facts.guarantees(s)) {
                if (!g.equals(s) && (used.contains(g) || g.equals(Arch.X86_64.kconfig()))) {
                    fact = Condition.and(fact, new Condition.Defined(g));
                }
            }
            if (!fact.isAlways()) {
                out.put(s, fact);
            }
        }
        return new LinkedHashMap<>(out);
    }

    // ---- helpers -------------------------------------------------------------------

    private int number(SourceFile.Line line, String vector) throws ImportException {
        Symbol s = symbols.get(vector);
        if (s == null) {
            throw new ImportException(line.file(), line.number(), "vector " + vector + " is not defined in "
                    + TRAPNR_H + " or " + IRQ_VECTORS_H);
        }
        return s.number();
    }

    private static Pos pos(SourceFile.Line line) {
        return new Pos(line.file().toString(), line.number(), 1);
    }

    private static String names(Set<Arch> arches) {
        List<String> n = new ArrayList<>();
        arches.forEach(a -> n.add(a.yamlName()));
        return String.join(", ", n);
    }
}
