package dev.idtgen.validate;

import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The semantic rules of a vector table ({@link EntryRules}, {@link GateRules},
 * {@link FredRules}). Every rule is a {@link Rule} whose id appears in its
 * messages; {@link #WAIVABLE} lists the ones an entry or gate may waive with a
 * reason ({@code waive: {rule: reason}}).
 */
public final class Validator {

    /** Architectural exceptions for which the CPU pushes an error code (SDM vol. 3, 6.13). */
    public static final Set<Integer> CPU_ERROR_CODE_VECTORS = EntryRules.CPU_ERROR_CODE_VECTORS;

    /** Vectors that upstream opens to user space on purpose: int3, into, int $0x80. */
    public static final Set<String> USER_VECTORS = GateRules.USER_VECTORS;

    /** Rules that may be waived, with a reason, on the entry or gate that breaks them. */
    public static final Set<Rule> WAIVABLE = Collections.unmodifiableSet(Arrays.stream(Rule.values())
            .filter(Rule::waivable).collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class))));

    private final VectorTable table;
    private final Findings found = new Findings();
    private final EntryRules entries;
    private final GateRules gates;

    private Validator(VectorTable table) {
        this.table = table;
        Configs configs = new Configs(table.kconfig());
        this.entries = new EntryRules(table, configs, found);
        this.gates = new GateRules(table, configs, found);
    }

    /** All problems of the table, sorted by position. */
    public static List<Problem> validate(VectorTable table) {
        Validator v = new Validator(table);
        v.run();
        List<Problem> problems = v.found.problems();
        Collections.sort(problems);
        return List.copyOf(problems);
    }

    private void run() {
        symbolRange();
        rangeSymbols();
        for (Entry e : table.entries()) {
            found.decidable(e.at("condition"), "entry " + e.handler(), () -> {
                entries.check(e);
                waiverIds(e.waivers(), e.at("waive"));
            });
        }
        duplicateEntries();
        for (StubArray a : table.stubArrays()) {
            found.decidable(a.at("condition"), "stub array " + a.name(), () -> gates.stubArray(a));
        }
        for (Map.Entry<GateTable, List<Gate>> t : table.gates().entrySet()) {
            for (Gate g : t.getValue()) {
                found.decidable(g.at("condition"), "gate " + g.table().yamlName() + "/" + g.handler(),
                        () -> gates.gate(g));
            }
            duplicateGates(t.getValue());
        }
        gates.paranoidIst();
        FredRules.check(table, found.problems(), (e, rule) -> found.waived(e, e.waivers(), rule));
        waivers();
    }

    private void symbolRange() {
        for (Symbol s : table.symbols().values()) {
            if (s.number() < 0 || s.number() > 256) {
                found.add(s.pos(), Rule.VECTOR_RANGE, "symbol " + s.name() + " is " + s.number()
                        + ", outside 0..256");
            }
        }
    }

    /** The symbols the range rules need are there. */
    private void rangeSymbols() {
        // The symbols mapping starts at its first symbol; an empty one has no position of its own.
        Pos symbolsAt = table.symbols().values().stream().map(Symbol::pos).findFirst()
                .orElse(new Pos(table.file(), 1, 1));
        for (String needed : List.of("FIRST_EXTERNAL_VECTOR", "FIRST_SYSTEM_VECTOR", "NR_VECTORS")) {
            if (!table.symbols().containsKey(needed)) {
                found.add(symbolsAt, Rule.UNKNOWN_SYMBOL, "symbols has no " + needed
                        + ": the vector range rules need it");
            }
        }
    }

    private void duplicateEntries() {
        List<Entry> es = table.entries();
        for (int i = 0; i < es.size(); i++) {
            for (int j = 0; j < i; j++) {
                Entry a = es.get(i);
                Entry b = es.get(j);
                found.decidable(a.at("condition"), "entry " + a.handler() + " against " + b.handler(),
                        () -> entries.duplicate(a, b));
            }
        }
    }

    private void duplicateGates(List<Gate> list) {
        for (int i = 0; i < list.size(); i++) {
            for (int j = 0; j < i; j++) {
                Gate a = list.get(i);
                Gate b = list.get(j);
                Integer va = gates.gateVector(a);
                if (va == null || !va.equals(gates.gateVector(b))) {
                    continue;
                }
                found.decidable(a.at("condition"), "gate " + a.table().yamlName() + "/" + a.handler() + " against "
                        + b.handler(), () -> gates.duplicateGate(a, b, va));
            }
        }
    }

    // ---- waivers --------------------------------------------------------------

    /** A waiver names a waivable rule. */
    private void waiverIds(Map<String, String> waivers, Pos at) {
        for (String rule : waivers.keySet()) {
            if (Rule.of(rule).filter(Rule::waivable).isEmpty()) {
                found.add(at, Rule.WAIVER, "rule '" + rule + "' cannot be waived (waivable: "
                        + String.join(", ", new TreeSet<>(WAIVABLE.stream().map(Rule::id).toList())) + ")");
            }
        }
    }

    private void waivers() {
        for (Entry e : table.entries()) {
            unused(e, e.waivers(), e.at("waive"), "entry " + e.handler());
        }
        for (List<Gate> gs : table.gates().values()) {
            for (Gate g : gs) {
                waiverIds(g.waivers(), g.at("waive"));
                unused(g, g.waivers(), g.at("waive"), "gate " + g.table().yamlName() + "/" + g.handler());
            }
        }
    }

    /** A waiver waives a problem the entry or gate has. */
    private void unused(Object owner, Map<String, String> waivers, Pos at, String who) {
        Set<String> used = found.used(owner);
        for (String id : waivers.keySet()) {
            Rule rule = Rule.of(id).filter(Rule::waivable).orElse(null);
            // FRED's rules run only on a kernel with FRED: elsewhere their waivers have nothing to waive
            boolean checked = rule != null && (!FredRules.WAIVABLE.contains(rule) || table.fred());
            if (checked && !used.contains(id)) {
                found.add(at, Rule.WAIVER, who + " waives " + id + " but does not break it: remove the waiver");
            }
        }
    }
}
