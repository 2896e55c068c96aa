package dev.idtgen.load;

import dev.idtgen.model.Rule;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.ErrorCode;
import dev.idtgen.model.Fred;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.GateType;
import dev.idtgen.model.Ist;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Problem;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of the table's sections: kconfig facts, symbols, entries (with
 * their fred mapping), stub arrays and gates, each checked for its keys and
 * values; a row with a problem is left out of the table.
 */
final class RowReader extends NodeReader {

    private static final Set<String> ENTRY_KEYS = Set.of("handler", "vector", "number", "kind", "error_code",
            "arches", "condition", "otherwise", "waive", "note", "fred");
    private static final Set<String> FRED_KEYS = Set.of("routes", "call", "guard", "fast_path", "stack_level", "none");
    private static final Set<String> ENTRY_REQUIRED = Set.of("handler", "vector", "kind", "error_code", "arches");
    private static final Set<String> GATE_KEYS = Set.of("handler", "type", "dpl", "ist", "tss", "arches",
            "condition", "waive", "note");
    private static final Set<String> GATE_REQUIRED = Set.of("handler", "type");
    private static final Set<String> ARRAY_KEYS = Set.of("name", "first", "end", "target", "arches", "condition");
    private static final Set<String> ARRAY_REQUIRED = Set.of("name", "first", "end", "target", "arches");
    private static final Set<String> SYMBOL_KEYS = Set.of("number", "condition");

    /** Whether the projected kernel has FRED: entries keep their fred routes only then. */
    private final boolean fredKernel;

    RowReader(String file, List<Problem> problems, boolean fredKernel) {
        super(file, problems);
        this.fredKernel = fredKernel;
    }

    Map<String, Condition> kconfig(Node node) {
        Map<String, Condition> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            wrongType(node, "kconfig", "a mapping of Kconfig symbol to the condition it depends on");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            Condition sym = condition(t.getKeyNode());
            Condition dep = condition(t.getValueNode());
            if (sym == null || dep == null) {
                continue;
            }
            if (!(sym instanceof Condition.Defined d)) {
                problems.add(new Problem(pos(t.getKeyNode()), Rule.BAD_CONDITION, "a kconfig key is one CONFIG_ symbol"));
                continue;
            }
            if (out.put(d.symbol(), dep) != null) {
                problems.add(new Problem(pos(t.getKeyNode()), Rule.DUPLICATE_KEY, d.symbol() + " appears twice in kconfig"));
            }
        }
        return out;
    }


    Map<String, Symbol> symbols(Node node) {
        Map<String, Symbol> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            wrongType(node, "symbols", "a mapping of symbol name to number");
            return out;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (NodeTuple t : m.getValue()) {
            String name = identifier(t.getKeyNode(), "symbol name");
            if (name == null) {
                continue;
            }
            if (!seen.add(name)) {
                problems.add(new Problem(pos(t.getKeyNode()), Rule.DUPLICATE_KEY, "symbol " + name + " is defined twice"));
                continue;
            }
            Node v = t.getValueNode();
            Integer number;
            Condition cond = Condition.ALWAYS;
            if (v instanceof MappingNode) {
                Map<String, NodeTuple> f = mapping(v, "symbol " + name, SYMBOL_KEYS, Set.of("number"));
                if (f == null || !f.containsKey("number")) {
                    continue;
                }
                number = integer(f.get("number").getValueNode(), "number");
                if (f.containsKey("condition")) {
                    cond = condition(f.get("condition").getValueNode());
                }
            } else {
                number = integer(v, "symbol " + name);
            }
            if (number != null && cond != null) {
                out.put(name, new Symbol(name, number, cond, pos(t.getKeyNode())));
            }
        }
        return out;
    }


    Entry entry(Node node) {
        Map<String, NodeTuple> f = mapping(node, "an entry", ENTRY_KEYS, ENTRY_REQUIRED);
        if (f == null) {
            return null;
        }
        int before = problems.size();
        String handler = identifier(value(f, "handler"), "handler");
        String vector = identifier(value(f, "vector"), "vector");
        Integer number = f.containsKey("number") ? integer(value(f, "number"), "number") : null;
        Kind kind = enumValue(value(f, "kind"), "kind", Kind::fromYaml, Kind.values(), Kind::yamlName);
        ErrorCode ec = enumValue(value(f, "error_code"), "error_code",
                s -> java.util.Arrays.stream(ErrorCode.values()).filter(e -> e.yamlName().equals(s)).findFirst(),
                ErrorCode.values(), ErrorCode::yamlName);
        Set<Arch> arches = arches(value(f, "arches"));
        Condition cond = f.containsKey("condition") ? condition(value(f, "condition")) : Condition.ALWAYS;
        Map<String, String> otherwise = f.containsKey("otherwise") ? otherwise(value(f, "otherwise")) : Map.of();
        Map<String, String> waive = f.containsKey("waive") ? waivers(value(f, "waive")) : Map.of();
        if (f.containsKey("note")) {
            string(value(f, "note"), "note");
        }
        Fred fred = f.containsKey("fred") ? fred(value(f, "fred")) : null;
        if (problems.size() != before || handler == null || vector == null || kind == null || ec == null
                || arches == null || cond == null) {
            return null;
        }
        return new Entry(handler, vector, number, kind, ec, arches, cond, otherwise, waive, pos(node), where(f),
                fredKernel ? fred : null);
    }


    /** An entry's fred mapping: {routes: [...], call, guard, fast_path, stack_level} or {none: reason}. */
    Fred fred(Node node) {
        Map<String, NodeTuple> f = mapping(node, "fred", FRED_KEYS, Set.of());
        if (f == null) {
            return null;
        }
        if (f.containsKey("none")) {
            String why = string(value(f, "none"), "reason");
            if (f.size() > 1) {
                problems.add(new Problem(pos(node), Rule.BAD_VALUE, "fred: none (an exemption with its reason) "
                        + "takes no other key"));
            }
            if (why != null && why.isBlank()) {
                problems.add(new Problem(pos(value(f, "none")), Rule.BAD_VALUE, "fred: none gives no reason"));
            }
            return why == null ? null : new Fred(List.of(), null, null, false, null, why, pos(node));
        }
        if (!f.containsKey("routes")) {
            problems.add(new Problem(pos(node), Rule.MISSING_KEY, "fred has neither 'routes' nor 'none' (the reason "
                    + "why FRED does not deliver this entry)"));
            return null;
        }
        List<Fred.Route> routes = new ArrayList<>();
        Node rs = value(f, "routes");
        if (!(rs instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            wrongType(rs, "routes", "a non-empty list of FRED routes");
            return null;
        }
        for (Node n : seq.getValue()) {
            Fred.Route r = enumValue(n, "FRED route", s -> java.util.Arrays.stream(Fred.Route.values())
                    .filter(x -> x.yamlName().equals(s)).findFirst(), Fred.Route.values(), Fred.Route::yamlName);
            if (r != null && routes.contains(r)) {
                problems.add(new Problem(pos(n), Rule.DUPLICATE_KEY, "route " + r.yamlName() + " is listed twice"));
            } else if (r != null) {
                routes.add(r);
            }
        }
        String call = f.containsKey("call") ? identifier(value(f, "call"), "call") : null;
        String guard = f.containsKey("guard") ? identifier(value(f, "guard"), "guard") : null;
        boolean fast = false;
        if (f.containsKey("fast_path")) {
            String b = string(value(f, "fast_path"), "fast_path");
            if (b != null && !b.equals("true") && !b.equals("false")) {
                wrongType(value(f, "fast_path"), "fast_path", "true or false");
            }
            fast = "true".equals(b);
        }
        Integer level = f.containsKey("stack_level") ? integer(value(f, "stack_level"), "stack_level") : null;
        if (level != null && (level < 0 || level > 3)) {
            problems.add(new Problem(pos(value(f, "stack_level")), Rule.BAD_VALUE, "a FRED stack level is 0 to 3, not "
                    + level));
        }
        return new Fred(routes, call, guard, fast, level, null, pos(node));
    }


    StubArray stubArray(Node node) {
        Map<String, NodeTuple> f = mapping(node, "a stub array", ARRAY_KEYS, ARRAY_REQUIRED);
        if (f == null) {
            return null;
        }
        int before = problems.size();
        String name = identifier(value(f, "name"), "name");
        String first = identifier(value(f, "first"), "first");
        String end = identifier(value(f, "end"), "end");
        String target = identifier(value(f, "target"), "target");
        Set<Arch> arches = arches(value(f, "arches"));
        Condition cond = f.containsKey("condition") ? condition(value(f, "condition")) : Condition.ALWAYS;
        if (problems.size() != before) {
            return null;
        }
        return new StubArray(name, first, end, target, arches, cond, pos(node), where(f));
    }


    Map<GateTable, List<Gate>> gates(Node node) {
        Map<GateTable, List<Gate>> out = new EnumMap<>(GateTable.class);
        if (!(node instanceof MappingNode m)) {
            wrongType(node, "gates", "a mapping of gate table to a list of gates");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            GateTable table = enumValue(t.getKeyNode(), "gate table", s -> java.util.Arrays.stream(GateTable.values())
                    .filter(g -> g.yamlName().equals(s)).findFirst(), GateTable.values(), GateTable::yamlName);
            if (table == null) {
                continue;
            }
            if (out.containsKey(table)) {
                problems.add(new Problem(pos(t.getKeyNode()), Rule.DUPLICATE_KEY,
                        "gate table " + table.yamlName() + " appears twice"));
                continue;
            }
            out.put(table, list(t.getValueNode(), "gates." + table.yamlName(), n -> gate(table, n)));
        }
        return out;
    }


    Gate gate(GateTable table, Node node) {
        Map<String, NodeTuple> f = mapping(node, "a gate", GATE_KEYS, GATE_REQUIRED);
        if (f == null) {
            return null;
        }
        int before = problems.size();
        String handler = identifier(value(f, "handler"), "handler");
        GateType type = enumValue(value(f, "type"), "type", s -> java.util.Arrays.stream(GateType.values())
                .filter(g -> g.yamlName().equals(s)).findFirst(), GateType.values(), GateType::yamlName);
        Integer dpl = f.containsKey("dpl") ? integer(value(f, "dpl"), "dpl") : Integer.valueOf(0);
        if (dpl != null && dpl != 0 && dpl != 3) {
            problems.add(new Problem(pos(value(f, "dpl")), Rule.BAD_VALUE, "dpl must be 0 or 3, not " + dpl));
        }
        Ist ist = f.containsKey("ist") ? enumValue(value(f, "ist"), "ist", s -> java.util.Arrays.stream(Ist.values())
                .filter(i -> i.name().equals(s)).findFirst(), Ist.values(), Ist::name) : null;
        String tss = f.containsKey("tss") ? identifier(value(f, "tss"), "tss") : null;
        Set<Arch> arches = f.containsKey("arches") ? arches(value(f, "arches")) : EnumSet.allOf(Arch.class);
        Condition cond = f.containsKey("condition") ? condition(value(f, "condition")) : Condition.ALWAYS;
        Map<String, String> waive = f.containsKey("waive") ? waivers(value(f, "waive")) : Map.of();
        if (f.containsKey("note")) {
            string(value(f, "note"), "note");
        }
        if (problems.size() != before) {
            return null;
        }
        return new Gate(table, handler, type, dpl, ist, tss, arches, cond, waive, pos(node), where(f));
    }


    Map<String, String> otherwise(Node node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            wrongType(node, "otherwise", "a mapping of macro name to the identifier it stands for");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String k = identifier(t.getKeyNode(), "otherwise macro");
            String v = identifier(t.getValueNode(), "otherwise value");
            if (k != null && v != null && out.put(k, v) != null) {
                problems.add(new Problem(pos(t.getKeyNode()), Rule.DUPLICATE_KEY, "macro " + k + " is defined twice"));
            }
        }
        return out;
    }


    Map<String, String> waivers(Node node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode m)) {
            wrongType(node, "waive", "a mapping of rule id to the reason");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String rule = string(t.getKeyNode(), "rule id");
            String why = string(t.getValueNode(), "reason");
            if (rule == null || why == null) {
                continue;
            }
            if (why.isBlank()) {
                problems.add(new Problem(pos(t.getValueNode()), Rule.BAD_VALUE, "the waiver of " + rule + " gives no reason"));
            }
            out.put(rule, why);
        }
        return out;
    }
}
