package dev.idtgen.importer;

import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Fred.Route;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.Symbol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.idtgen.importer.FredRoutes.error;

/**
 * The FRED routes of a kernel with FRED (6.12 on): reads the dispatchers of
 * {@code arch/x86/entry/entry_fred.c} (fred_hwexc, fred_swexc, fred_intx,
 * sysvec_table, the event-type switches of fred_entry_from_*, fred_extint),
 * the run-time {@code sysvec_install()} calls ({@link SysvecInstalls}) and
 * the stack levels of {@code arch/x86/kernel/fred.c} ({@link FredStackLevels}),
 * and gives every x86_64 entry its
 * {@link Fred}: its routes, or {@code none} when no dispatcher reaches it
 * ({@link FredRoutes} maps what is read onto the entries). A case, row,
 * call or level the importer cannot map onto an entry (or that the table
 * cannot express) is an {@link ImportException} at its line.
 */
final class FredImporter {

    static final String ENTRY_FRED_C = "arch/x86/entry/entry_fred.c";
    static final String FRED_C = "arch/x86/kernel/fred.c";

    /** Event types that fred_entry_from_*() hand to a dispatcher of their own, and that dispatcher. */
    private static final Map<String, String> DISPATCHERS = Map.of("EVENT_TYPE_EXTINT", "fred_extint",
            "EVENT_TYPE_HWEXC", "fred_hwexc", "EVENT_TYPE_SWINT", "fred_intx", "EVENT_TYPE_SWEXC", "fred_swexc",
            "EVENT_TYPE_OTHER", "fred_other");
    /** Event types that fred_entry_from_*() hand to one handler, and the route that is. */
    private static final Map<String, Route> DIRECT = Map.of("EVENT_TYPE_NMI", Route.NMI,
            "EVENT_TYPE_PRIV_SWEXC", Route.PRIV_SWEXC);

    private static final Pattern SYSVEC_MACRO = Pattern.compile("SYSVEC\\s*\\(.*");
    private static final Pattern SYSVEC_TABLE = Pattern.compile(
            ".*\\bsysvec_table\\s*\\[[^\\]]*\\]\\s*(?:__\\w+\\s*)*=\\s*\\{");
    private static final Pattern SYSVEC_ROW = Pattern.compile("SYSVEC\\s*\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)\\s*,?");
    private static final Pattern CALL = Pattern.compile("(?:return\\s+)?(\\w+)\\s*\\(.*\\)\\s*;");
    private static final Pattern WORD = Pattern.compile("\\w+");

    private final Path dir;
    private final FredRoutes routes;
    private final UnaryOperator<Condition> onX86_64;

    /**
     * @param onX86_64 a condition as seen when building for x86_64 (what entry_fred.c is built for)
     */
    FredImporter(Path dir, Map<String, Symbol> symbols, List<Entry> entries, Map<GateTable, List<Gate>> gates,
                 UnaryOperator<Condition> onX86_64) {
        this.dir = dir;
        this.routes = new FredRoutes(symbols, entries, gates);
        this.onX86_64 = onX86_64;
    }

    /** Whether the tree at {@code dir} has FRED event delivery. */
    static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(ENTRY_FRED_C));
    }

    /** The entries, each x86_64 one with its FRED routes or exemption. */
    List<Entry> run() throws ImportException {
        Path file = dir.resolve(ENTRY_FRED_C);
        List<SourceFile.Line> lines = SourceFile.read(file);
        vectorSwitch(file, lines, "fred_hwexc", Route.HWEXC);
        vectorSwitch(file, lines, "fred_swexc", Route.SWEXC);
        vectorSwitch(file, lines, "fred_intx", Route.INTX);
        sysvecTable(file, lines);
        eventTypes(file, lines, "fred_entry_from_user", true);
        eventTypes(file, lines, "fred_entry_from_kernel", true);
        eventTypes(file, lines, "__fred_entry_from_kvm", false);
        extint(file, lines, "fred_extint");
        extint(file, lines, "fred_handle_spurious_interrupt");
        new SysvecInstalls(dir, routes).read();
        new FredStackLevels(routes).read(dir.resolve(FRED_C));
        return routes.entries();
    }

    // ---- entry_fred.c ----------------------------------------------------------------

    /** fred_hwexc(), fred_swexc(), fred_intx(): a switch over the vector, fred_hwexc's #PF fast path. */
    private void vectorSwitch(Path file, List<SourceFile.Line> lines, String function, Route route)
            throws ImportException {
        FredSource.Dispatch d = FredSource.dispatch(file, lines, function, "vector", true);
        String where = function + "()";
        for (FredSource.Case c : d.fastPaths()) {
            if (route != Route.HWEXC) {
                throw error(c.call(), where, "a vector tested ahead of the switch is a fast path, which the"
                        + " table has for fred_hwexc() only");
            }
            vectorCase(where, route, c, true);
        }
        for (FredSource.Case c : d.cases()) {
            if (c.test() != null) {
                throw error(c.test(), where, "case " + c.value() + " tests the vector again: the table cannot"
                        + " express it");
            }
            if (c.guard() != null && route != Route.INTX) {
                throw error(c.call(), where, "case " + c.value() + " is guarded by " + c.guard()
                        + "(): the table generates guarded cases in fred_intx() only");
            }
            vectorCase(where, route, c, false);
        }
    }

    private void vectorCase(String where, Route route, FredSource.Case c, boolean fast) throws ImportException {
        int i = routes.byVector(c.call(), where, c.value(), c.fn());
        Entry e = routes.entry(i);
        String want = e.errorCode() == ErrorCode.CPU ? "regs, error_code" : "regs";
        if (!c.args().replaceAll("\\s+", "").equals(want.replace(" ", ""))) {
            throw error(c.call(), where, (fast ? "the fast path of " : "case ") + c.value() + " calls " + c.fn()
                    + "(" + c.args() + "), but entry " + e.handler() + " has error_code " + e.errorCode().yamlName()
                    + ": the table's dispatch would call it with (" + want + ")");
        }
        Condition at = onX86_64.apply(c.label().condition());
        Condition own = onX86_64.apply(e.condition());
        if (!at.equals(own)) {
            throw error(c.label(), where, (fast ? "the fast path of " : "case ") + c.value() + " is compiled "
                    + when(at) + ", its entry " + e.handler() + " " + when(own) + ": the table puts a case under"
                    + " its entry's condition");
        }
        routes.route(c.call(), i, route, c.fn(), c.guard(), fast);
    }

    /** sysvec_table[]: {@code SYSVEC(VECTOR, name)} is entry sysvec_name, route sysvec. */
    private void sysvecTable(Path file, List<SourceFile.Line> lines) throws ImportException {
        boolean macro = false;
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            SourceFile.Line l = lines.get(i);
            if ("define".equals(l.directive()) && SYSVEC_MACRO.matcher(l.argument()).matches()) {
                if (!l.argument().replaceAll("\\s+", "").endsWith("=fred_sysvec_##_function")) {
                    throw error(l, "sysvec_table", "'#define " + l.argument() + "' does not make SYSVEC(VECTOR, f)"
                            + " the row of fred_sysvec_f: the table cannot express it");
                }
                macro = true;
            } else if (l.directive() == null && SYSVEC_TABLE.matcher(l.text()).matches()) {
                start = i;
            }
        }
        if (start < 0) {
            throw new ImportException(file, 0, "no sysvec_table[] (FRED's table of the system vectors)");
        }
        if (!macro) {
            throw error(lines.get(start), "sysvec_table", "no '#define SYSVEC(_vector, _function)' before it");
        }
        for (SourceFile.Line l : lines.subList(start + 1, lines.size())) {
            if (l.directive() != null || l.text().isEmpty()) {
                continue;
            }
            if (l.text().equals("};")) {
                return;
            }
            Matcher m = SYSVEC_ROW.matcher(l.text());
            if (!m.matches()) {
                throw error(l, "sysvec_table", "expected SYSVEC(VECTOR, function), not '" + l.text() + "'");
            }
            if (!onX86_64.apply(l.condition()).isAlways()) {
                throw error(l, "sysvec_table", "a row under #if: the table's rows are unconditional (a handler"
                        + " that is not built has its fred_sysvec_* NULL fallback)");
            }
            routes.systemVector(l, "sysvec_table", m.group(1), "sysvec_" + m.group(2), Route.SYSVEC);
        }
        throw error(lines.get(start), "sysvec_table", "no closing '};'");
    }

    /** fred_entry_from_user(), fred_entry_from_kernel(), __fred_entry_from_kvm(): the event types. */
    private void eventTypes(Path file, List<SourceFile.Line> lines, String function, boolean required)
            throws ImportException {
        FredSource.Dispatch d = FredSource.dispatch(file, lines, function, "type", required);
        if (d == null) {
            return;
        }
        String where = function + "()";
        if (!d.fastPaths().isEmpty()) {
            throw error(d.fastPaths().get(0).test(), where, "a vector test ahead of the event-type switch: the"
                    + " table cannot express it");
        }
        for (FredSource.Case c : d.cases()) {
            String dispatcher = DISPATCHERS.get(c.value());
            Route r = DIRECT.get(c.value());
            if (dispatcher != null) {
                if (!c.fn().equals(dispatcher) || c.test() != null || c.guard() != null) {
                    throw error(c.call(), where, c.value() + " goes to " + c.fn() + "(), where the table has "
                            + dispatcher + "()");
                }
            } else if (r != null) {
                if (c.guard() != null) {
                    throw error(c.call(), where, c.value() + ": a guard the table cannot express");
                }
                int i = c.test() != null ? routes.byVector(c.call(), where, c.testVector(), c.fn())
                        : routes.byName(c.call(), where, c.fn());
                routes.route(c.call(), i, r, c.fn(), null, false);
            } else {
                throw error(c.label(), where, "event type " + c.value() + " is none the table knows ("
                        + String.join(", ", new TreeMap<>(DISPATCHERS).keySet()) + ", "
                        + String.join(", ", new TreeMap<>(DIRECT).keySet()) + ")");
            }
        }
    }

    /**
     * fred_extint(), fred_handle_spurious_interrupt(): a call of an entry's handler (common_interrupt,
     * spurious_interrupt) is its route extint; an entry named in any other form is an error.
     */
    private void extint(Path file, List<SourceFile.Line> lines, String function) throws ImportException {
        String where = function + "()";
        for (SourceFile.Line l : FredSource.function(file, lines, function, true).body()) {
            if (l.directive() != null || l.text().isEmpty()) {
                continue;
            }
            Matcher m = CALL.matcher(l.text());
            if (m.matches() && routes.handlerIndex(m.group(1)) >= 0) {
                routes.route(l, routes.handlerIndex(m.group(1)), Route.EXTINT, m.group(1), null, false);
                continue;
            }
            Matcher w = WORD.matcher(l.text());
            while (w.find()) {
                if (routes.handlerIndex(w.group()) >= 0) {
                    throw error(l, where, "names entry " + w.group() + " in a form the importer does not"
                            + " read: '" + l.text() + "'");
                }
            }
        }
    }

    private static String when(Condition c) {
        return c.isAlways() ? "always" : "under " + c.toC();
    }
}
