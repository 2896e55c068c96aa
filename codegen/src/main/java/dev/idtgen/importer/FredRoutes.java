package dev.idtgen.importer;

import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Fred.Route;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Symbol;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link FredImporter} has read about the entries so far: which x86_64
 * entry a case, row or call of the FRED sources reaches (by vector and name),
 * with which routes, call, guard and stack level; then the entries with
 * their {@link Fred}s. The table has one call and one guard per entry: a
 * source that calls an entry two ways is an error.
 */
final class FredRoutes {

    /** The reason of the exemptions the importer writes. */
    static final String NO_ROUTE = "imported: entry_fred.c has no route for it";

    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*");

    /** What the sources say about one entry so far. */
    private static final class Routed {
        final SourceFile.Line first;
        final String call;
        final String guard;
        final EnumSet<Route> routes = EnumSet.noneOf(Route.class);
        boolean fast;
        Integer level;
        SourceFile.Line levelAt;

        Routed(SourceFile.Line first, String call, String guard) {
            this.first = first;
            this.call = call;
            this.guard = guard;
        }
    }

    private final Map<String, Symbol> symbols;
    private final List<Entry> entries;
    private final Map<GateTable, List<Gate>> gates;
    /** By index into {@link #entries}. */
    private final Map<Integer, Routed> routed = new TreeMap<>();

    FredRoutes(Map<String, Symbol> symbols, List<Entry> entries, Map<GateTable, List<Gate>> gates) {
        this.symbols = symbols;
        this.entries = entries;
        this.gates = gates;
    }

    Entry entry(int i) {
        return entries.get(i);
    }

    /** The x86_64 entry of {@code vector} that {@code fn} calls: by name (handler or fred_handler), else the only one. */
    int byVector(SourceFile.Line l, String where, String vector, String fn) throws ImportException {
        int number = vectorNumber(l, where, vector);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).arches().contains(Arch.X86_64) && Objects.equals(entries.get(i).number(), number)) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            throw error(l, where, vector + (NUMBER.matcher(vector).matches() ? "" : " (" + number + ")")
                    + " goes to " + fn + "(), but no x86_64 entry of idtentry.h has that vector");
        }
        for (String prefix : List.of("", "fred_")) {
            for (int i : candidates) {
                if (fn.equals(prefix + entries.get(i).handler())) {
                    return i;
                }
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        throw error(l, where, vector + " goes to " + fn + "(), which is none of its entries ("
                + String.join(", ", candidates.stream().map(i -> entries.get(i).handler()).toList())
                + ") nor their fred_ variant");
    }

    int byName(SourceFile.Line l, String where, String fn) throws ImportException {
        int i = handlerIndex(fn);
        if (i < 0) {
            throw error(l, where, fn + "() is no x86_64 entry's handler nor its fred_ variant");
        }
        return i;
    }

    /** The x86_64 entry whose handler is {@code fn}, else the one whose fred_ variant it is, else -1. */
    int handlerIndex(String fn) {
        for (String prefix : List.of("", "fred_")) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).arches().contains(Arch.X86_64) && fn.equals(prefix + entries.get(i).handler())) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The number of a vector symbol (trapnr.h, irq_vectors.h) or literal. */
    int vectorNumber(SourceFile.Line l, String where, String vector) throws ImportException {
        Matcher n = NUMBER.matcher(vector);
        if (n.matches()) {
            return Integer.decode(n.group(1));
        }
        Symbol s = symbols.get(vector);
        if (s == null) {
            throw error(l, where, vector + " is no vector of " + KernelImporter.TRAPNR_H + " or "
                    + KernelImporter.IRQ_VECTORS_H);
        }
        return s.number();
    }

    /** {@code value} is the stack level of the vector {@code vector}: of the one entry of it that FRED routes. */
    void stackLevel(SourceFile.Line l, String vector, int value) throws ImportException {
        String where = "MSR_IA32_FRED_STKLVLS";
        int number = vectorNumber(l, where, vector);
        List<Integer> owners = routed.keySet().stream()
                .filter(i -> Objects.equals(entries.get(i).number(), number)).toList();
        if (owners.size() != 1) {
            throw error(l, where, "a level for " + vector + ", but FRED routes " + (owners.isEmpty()
                    ? "no entry of that vector" : owners.size() + " entries of it"));
        }
        Routed r = routed.get(owners.get(0));
        if (r.level != null && r.level != value) {
            throw error(l, where, vector + " has level " + r.level + " at line " + r.levelAt.number() + " already");
        }
        r.level = value;
        r.levelAt = l;
    }

    /** Entry {@code i} is reached by {@code route} through a call of {@code fn}. */
    void route(SourceFile.Line l, int i, Route route, String fn, String guard, boolean fast)
            throws ImportException {
        Entry e = entries.get(i);
        String call = fn.equals(e.handler()) ? null : fn;
        Routed r = routed.computeIfAbsent(i, k -> new Routed(l, call, guard));
        if (!Objects.equals(r.call, call) || !Objects.equals(r.guard, guard)) {
            throw new ImportException(l.file(), l.number(), e.handler() + " is called as " + fn + "()"
                    + (guard == null ? "" : " if " + guard + "()") + " here, as " + Objects.requireNonNullElse(
                    r.call, e.handler()) + "()" + (r.guard == null ? "" : " if " + r.guard + "()") + " at "
                    + r.first.file() + ":" + r.first.number() + ": the table has one call and guard per entry");
        }
        r.routes.add(route);
        r.fast |= fast;
    }

    /** The entries, each x86_64 one with its routes, or with {@code none} when nothing reaches it. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Routed r = routed.get(i);
            Fred f = null;
            if (r != null) {
                Integer level = r.level == null && istOnX86_64(e) ? Integer.valueOf(0) : r.level;
                f = new Fred(List.copyOf(r.routes), r.call, r.guard, r.fast, level, null,
                        new Pos(r.first.file().toString(), r.first.number(), 1));
            } else if (e.arches().contains(Arch.X86_64)) {
                f = new Fred(List.of(), null, null, false, null, NO_ROUTE, e.pos());
            }
            out.add(new Entry(e.handler(), e.vector(), e.number(), e.kind(), e.errorCode(), e.arches(),
                    e.condition(), e.otherwise(), e.waivers(), e.pos(), e.where(), f));
        }
        return out;
    }

    /** Whether entry {@code e} has an IST gate on x86_64 (a level of its own, 0 when fred.c gives none: #VC). */
    private boolean istOnX86_64(Entry e) {
        return gates.values().stream().flatMap(List::stream).anyMatch(g -> g.handler().equals(e.handler())
                && g.ist() != null && g.arches().contains(Arch.X86_64) && g.table().arches().contains(Arch.X86_64));
    }

    /** A system vector's handler set up by {@code where} at {@code vector}. */
    void systemVector(SourceFile.Line l, String where, String vector, String handler, Route r)
            throws ImportException {
        int i = handlerIndex(handler);
        if (i < 0 || !entry(i).handler().equals(handler)) {
            throw error(l, where, handler + " is no x86_64 entry of idtentry.h");
        }
        Entry e = entry(i);
        int n = vectorNumber(l, where, vector);
        if (!Objects.equals(e.number(), n)) {
            throw error(l, where, handler + " at " + vector + " (" + n + "), but its entry is at " + e.vector());
        }
        route(l, i, r, handler, null, false);
    }

    /** An error at line {@code l}, in {@code where} (a function, a table). */
    static ImportException error(SourceFile.Line l, String where, String message) {
        return new ImportException(l.file(), l.number(), where + ": " + message);
    }
}
