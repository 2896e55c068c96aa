package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Ist;
import dev.idtgen.model.Kind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the gate tables of {@code idt.c} ({@code INTG/SYSG/ISTG/TSKG} rows
 * of each {@code struct idt_data x[]}). A gate points at a declared entry's
 * stub; one that points at no declared entry gets an entry of kind
 * {@code external}, appended to the entries.
 */
final class GateReader {

    /** A gate table's definition; attributes may follow the brackets ({@code ia32_idt[] __initconst = {}). */
    private static final Pattern GATE_TABLE = Pattern.compile(
            ".*\\bstruct\\s+idt_data\\s+(\\w+)\\s*\\[\\s*\\]\\s*(?:__\\w+\\s*)*=.*");
    private static final Pattern GATE = Pattern.compile(
            "(INTG|SYSG|ISTG|TSKG)\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*(?:,\\s*(\\w+)\\s*)?\\)\\s*,?");

    private final VectorSymbols symbols;
    private final Placements placements;
    /** The declared entries, then the external ones the gates add. */
    private final List<Entry> entries;
    /** How many of {@link #entries} are declared ones. */
    private final int declared;
    private final Map<GateTable, List<Gate>> gates = new EnumMap<>(GateTable.class);

    /** {@code entries}: the declared entries; the gates of hand-written stubs add theirs to it. */
    GateReader(VectorSymbols symbols, Placements placements, List<Entry> entries) {
        this.symbols = symbols;
        this.placements = placements;
        this.entries = entries;
        this.declared = entries.size();
    }

    /** The gates of every table read, in file order (after {@link #read}). */
    Map<GateTable, List<Gate>> gates() {
        return gates;
    }

    void read(Path file) throws ImportException {
        GateTable table = null;
        for (SourceFile.Line line : SourceFile.read(file)) {
            Matcher m = GATE_TABLE.matcher(line.text());
            if (table == null && line.directive() == null && m.matches()) {
                table = gateTable(line, m.group(1));
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
            Gate g = gate(table, line, m.group(1), m.group(2), m.group(3), m.group(4));
            if (g != null) {
                gates.get(table).add(g);
            }
        }
    }

    private static GateTable gateTable(SourceFile.Line line, String cName) throws ImportException {
        GateTable table = null;
        for (GateTable t : GateTable.values()) {
            if (t.cName().equals(cName)) {
                table = t;
            }
        }
        if (table == null) {
            throw new ImportException(line.file(), line.number(), "unknown gate table " + cName);
        }
        return table;
    }

    private Gate gate(GateTable table, SourceFile.Line line, String macro, String vector, String addr, String ist)
            throws ImportException {
        Placements.Placement p = placements.place(line, EnumSet.allOf(Arch.class));
        if (p == null) {
            return null;
        }
        int number = symbols.number(line, vector);
        GateType type = switch (macro) {
            case "SYSG" -> GateType.SYSTEM;
            case "TSKG" -> GateType.TASK;
            default -> GateType.INTERRUPT;
        };
        Ist stack = stack(line, macro, ist);
        String handler;
        String tss = null;
        if (type == GateType.TASK) {
            tss = addr;
            handler = taskHandler(line, vector, p.arches());
        } else {
            handler = gateHandler(line, addr, vector, number, p);
        }
        return new Gate(table, handler, type, type == GateType.SYSTEM ? 3 : 0, stack, tss, p.arches(), p.condition(),
                Map.of(), line.pos(), Map.of());
    }

    /** The interrupt stack of an ISTG gate (null for the others, which take none). */
    private static Ist stack(SourceFile.Line line, String macro, String ist) throws ImportException {
        if (!macro.equals("ISTG")) {
            if (ist != null) {
                throw new ImportException(line.file(), line.number(), macro + " takes two arguments");
            }
            return null;
        }
        if (ist == null || !ist.startsWith("IST_INDEX_")) {
            throw new ImportException(line.file(), line.number(), "ISTG needs an IST_INDEX_* stack");
        }
        try {
            return Ist.valueOf(ist.substring("IST_INDEX_".length()));
        } catch (IllegalArgumentException e) {
            throw new ImportException(line.file(), line.number(), "unknown interrupt stack " + ist);
        }
    }

    /** The declared entry of {@code vector} on {@code arches}, preferring an unconditional one. */
    private String taskHandler(SourceFile.Line line, String vector, Set<Arch> arches) throws ImportException {
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
    private String gateHandler(SourceFile.Line line, String addr, String vector, int number,
                               Placements.Placement p) throws ImportException {
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
        if (!SourceFile.IDENTIFIER.matcher(addr).matches()) {
            throw new ImportException(line.file(), line.number(), "gate address " + addr + " is not a symbol");
        }
        entries.add(new Entry(addr, vector, number, Kind.EXTERNAL, Kind.EXTERNAL.errorCode(), p.arches(),
                p.condition(), Map.of(), Map.of(), line.pos(), Map.of()));
        return addr;
    }

    private static String names(Set<Arch> arches) {
        List<String> n = new ArrayList<>();
        arches.forEach(a -> n.add(a.yamlName()));
        return String.join(", ", n);
    }
}
