package dev.idtgen.validate;

import dev.idtgen.model.Rule;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Problem;
import dev.idtgen.model.VectorTable;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules that tie the IDT and FRED together, for a kernel with FRED
 * (x86_64 only: FRED does not exist on i386):
 * <ul>
 * <li>{@code fred-route}: an entry with an x86_64 IDT gate has a FRED route or a reasoned
 * {@code none}; exception routes (hwexc, swexc, intx) need a vector number, extint is for irq
 * entries only;</li>
 * <li>{@code fred-sysvec}: a system vector with an apic gate is in the sysvec table
 * (route sysvec), one without (installed at run time, the hypervisor vectors) has route
 * runtime, and only system vectors take these routes;</li>
 * <li>{@code fred-fallback}: a conditional sysvec table row has its NULL fallback
 * ({@code otherwise: {fred_<handler>: NULL}}), as the table's rows are unconditional;</li>
 * <li>{@code fred-intx}: the INT n set of fred_intx() equals the DPL 3 gate set;</li>
 * <li>{@code fred-stack-level}: a stack level exactly for the entries with an IST gate;</li>
 * <li>{@code fred-guard}: at most one guarded case per dispatcher (it falls through to the default).</li>
 * </ul>
 * {@code fred-route} and {@code fred-intx} may be waived on the entry, with a reason: a table that breaks
 * them on purpose (the FRED boots' negative test drops a route) builds, and only the boots tell.
 */
final class FredRules {

    /**
     * What every x86_64 kernel has: CONFIG_X86_LOCAL_APIC is def_bool y when
     * X86_64 (arch/x86/Kconfig), so a row under it is unconditional there.
     */
    private static final Condition X86_64_ALWAYS = new Condition.Defined("CONFIG_X86_LOCAL_APIC");

    private final VectorTable table;
    private final List<Problem> problems;
    private final Configs configs;
    private final java.util.function.BiPredicate<Entry, Rule> waived;

    private FredRules(VectorTable table, List<Problem> problems, java.util.function.BiPredicate<Entry, Rule> waived) {
        this.table = table;
        this.problems = problems;
        this.configs = new Configs(table.kconfig());
        this.waived = waived;
    }

    /** The waivable rules of FRED, which only a kernel with FRED checks. */
    static final java.util.Set<Rule> WAIVABLE = java.util.EnumSet.of(Rule.FRED_ROUTE, Rule.FRED_INTX);

    static void check(VectorTable table, List<Problem> problems,
                      java.util.function.BiPredicate<Entry, Rule> waived) {
        if (table.fred()) {
            new FredRules(table, problems, waived).run();
        }
    }

    private void run() {
        Map<String, List<Gate>> gates = x86Gates();
        Set<String> dpl3 = new TreeSet<>();
        Set<String> intx = new TreeSet<>();
        Map<Fred.Route, Entry> guarded = new EnumMap<>(Fred.Route.class);
        Set<String> seen = new LinkedHashSet<>();
        for (Entry e : table.entries()) {
            if (!e.arches().contains(Arch.X86_64)) {
                continue;
            }
            String who = "entry " + e.handler();
            List<Gate> own = gates.getOrDefault(e.handler(), List.of());
            Fred f = e.fred();
            if (own.stream().anyMatch(g -> g.type() == GateType.SYSTEM || g.dpl() == 3)) {
                dpl3.add(e.handler());
            }
            if (f == null) {
                if (!own.isEmpty() && seen.add(e.handler())) {
                    add(e, Rule.FRED_ROUTE, who + " has an IDT gate (" + own.get(0).table().yamlName()
                            + ") but no FRED route: give it fred: {routes: [...]} or fred: {none: <reason>}");
                }
                continue;
            }
            if (f.exempt() != null) {
                continue;
            }
            routes(e, f, who);
            routeSysvec(e, f, who);
            guards(e, f, who, guarded);
            if (f.has(Fred.Route.INTX)) {
                intx.add(e.handler());
            }
            sysvecTable(e, f, who, own);
            fallback(e, f, who);
            stackLevel(e, f, who, own);
        }
        intx(dpl3, intx);
    }

    /** The gates of x86_64's IDTs by handler. */
    private Map<String, List<Gate>> x86Gates() {
        Map<String, List<Gate>> gates = new LinkedHashMap<>();
        for (List<Gate> gs : table.gates().values()) {
            for (Gate g : gs) {
                if (g.arches().contains(Arch.X86_64) && g.table().arches().contains(Arch.X86_64)) {
                    gates.computeIfAbsent(g.handler(), k -> new ArrayList<>()).add(g);
                }
            }
        }
        return gates;
    }

    /** A route that dispatches by vector needs one; extint is for the irq entries. */
    private void routes(Entry e, Fred f, String who) {
        for (Fred.Route r : f.routes()) {
            if ((r == Fred.Route.HWEXC || r == Fred.Route.SWEXC || r == Fred.Route.INTX) && e.number() == null) {
                add(e, Rule.FRED_ROUTE, who + ": route " + r.yamlName() + " dispatches by vector, and "
                        + e.vector() + " has none");
            } else if (r == Fred.Route.EXTINT && e.kind() != Kind.IRQ) {
                add(e, Rule.FRED_ROUTE, who + ": route extint is for the irq entries (common_interrupt,"
                        + " spurious_interrupt), not kind " + e.kind().yamlName());
            }
        }
    }

    /** Routes sysvec and runtime are for system vectors. */
    private void routeSysvec(Entry e, Fred f, String who) {
        for (Fred.Route r : f.routes()) {
            if ((r == Fred.Route.SYSVEC || r == Fred.Route.RUNTIME) && e.kind() != Kind.SYSVEC
                    && e.kind() != Kind.SYSVEC_SIMPLE) {
                add(e, Rule.FRED_SYSVEC, who + ": route " + r.yamlName() + " is for system vectors, not "
                        + "kind " + e.kind().yamlName());
            }
        }
    }

    /** A generated dispatcher has one guarded case at most. */
    private void guards(Entry e, Fred f, String who, Map<Fred.Route, Entry> guarded) {
        for (Fred.Route r : f.routes()) {
            if (f.guard() != null && Fred.Route.GENERATED.contains(r)) {
                Entry other = guarded.putIfAbsent(r, e);
                if (other != null) {
                    add(e, Rule.FRED_GUARD, who + ": " + other.handler() + " already has a guarded case in the "
                            + r.yamlName() + " dispatcher; a guarded case falls through to the default, so "
                            + "there can be one only");
                }
            }
        }
    }

    /** A system vector with an apic gate is in FRED's sysvec table; one without is installed at run time. */
    private void sysvecTable(Entry e, Fred f, String who, List<Gate> own) {
        if (e.kind() != Kind.SYSVEC && e.kind() != Kind.SYSVEC_SIMPLE) {
            return;
        }
        boolean apic = own.stream().anyMatch(g -> g.table() == GateTable.APIC);
        if (apic && !f.has(Fred.Route.SYSVEC)) {
            add(e, Rule.FRED_SYSVEC, who + " has an apic gate, so it belongs in FRED's sysvec table: "
                    + "route sysvec");
        } else if (!apic && !f.has(Fred.Route.RUNTIME)) {
            add(e, Rule.FRED_SYSVEC, who + " has no apic gate (it is installed at run time), so FRED gets it"
                    + " from sysvec_install(): route runtime");
        }
    }

    /** A conditional system vector of the sysvec table needs its fallback for kernels without it. */
    private void fallback(Entry e, Fred f, String who) {
        if ((e.kind() == Kind.SYSVEC || e.kind() == Kind.SYSVEC_SIMPLE) && f.has(Fred.Route.SYSVEC)
                && !configs.implies(Arch.X86_64, X86_64_ALWAYS, e.condition())
                && !"NULL".equals(e.otherwise().get("fred_" + e.handler()))) {
            add(e, Rule.FRED_FALLBACK, who + " is conditional, and sysvec_table's rows are not: it needs "
                    + "otherwise: {fred_" + e.handler() + ": NULL}");
        }
    }

    /** An entry with an IST gate has a FRED stack level, one without has none. */
    private void stackLevel(Entry e, Fred f, String who, List<Gate> own) {
        boolean ist = own.stream().anyMatch(g -> g.ist() != null);
        if (ist && f.stackLevel() == null) {
            add(e, Rule.FRED_STACK_LEVEL, who + " has an IST gate: give its FRED stack level (stack_level: 0..3)");
        } else if (!ist && f.stackLevel() != null) {
            add(e, Rule.FRED_STACK_LEVEL, who + " has no IST gate, so no FRED stack level of its own");
        }
    }

    /** Route intx is on exactly the entries with a DPL 3 gate. */
    private void intx(Set<String> dpl3, Set<String> intx) {
        if (dpl3.equals(intx)) {
            return;
        }
        Set<String> missing = new TreeSet<>(dpl3);
        missing.removeAll(intx);
        Set<String> extra = new TreeSet<>(intx);
        extra.removeAll(dpl3);
        for (Entry e : table.entries()) {
            if (e.arches().contains(Arch.X86_64) && (missing.contains(e.handler()) || extra.contains(e.handler()))
                    && e.fred() != null) {
                add(e, Rule.FRED_INTX, "entry " + e.handler() + (missing.contains(e.handler())
                        ? " has a DPL 3 gate, so INT n reaches it under FRED too: add route intx"
                        : " has route intx but no DPL 3 gate: INT n raises #GP there under IDT delivery"));
            }
        }
    }

    private void add(Entry e, Rule rule, String message) {
        if (rule.waivable() && waived.test(e, rule)) {
            return;
        }
        problems.add(new Problem(e.fred() != null ? e.fred().pos() : e.pos(), rule, message));
    }
}
