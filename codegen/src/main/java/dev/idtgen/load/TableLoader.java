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
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.common.ScalarStyle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads vectors.yaml into a {@link VectorTable}. Checks the shape of the
 * file (syntax, keys, types, enum values, C identifiers, conditions) and
 * reports every problem with its file:line:column; the semantic rules are
 * {@link dev.idtgen.validate.Validator}'s.
 */
public final class TableLoader {

    /** The result of a load: the table (when the shape allowed one) and the problems found. */
    public record Result(VectorTable table, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Set<String> C_KEYWORDS = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
            "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
            "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
            "union", "unsigned", "void", "volatile", "while", "_Bool", "_Static_assert", "asm",
            "defined");

    private static final Set<String> TOP_KEYS = Set.of("format", "kernels", "fred", "kconfig", "symbols", "entries", "stub_arrays",
            "gates");
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

    private final String file;
    private final boolean overlay;
    /** The kernel to project onto (null: the table's first); an overlay's base table's kernels. */
    private final String kernel;
    private final List<String> baseKernels;
    private final boolean baseFred;
    private final List<Problem> problems = new ArrayList<>();
    /** Whether the projected kernel has FRED: entries keep their fred routes only then. */
    private boolean fredKernel;

    private TableLoader(String file, boolean overlay, String kernel, List<String> baseKernels, boolean baseFred) {
        this.file = file;
        this.overlay = overlay;
        this.kernel = kernel;
        this.baseKernels = baseKernels;
        this.baseFred = baseFred;
    }

    /** Loads {@code text}, naming it {@code file} in positions, projected onto its first kernel. */
    public static Result load(String file, String text) {
        return load(file, text, null);
    }

    /**
     * Loads {@code text} projected onto {@code kernel}, a series of its top-level
     * {@code kernels} list (null: the first one). See {@link KernelProjection}.
     */
    public static Result load(String file, String text, String kernel) {
        return new TableLoader(file, false, kernel, List.of(), false).run(text);
    }

    /**
     * Loads an overlay: a table fragment whose symbols, kconfig facts, entries,
     * stub arrays and gates are added to a base table's (see {@link #merge}).
     * It needs none of the top-level keys; its rows may use the base table's
     * kernels, and it is projected onto the base table's kernel.
     */
    public static Result loadOverlay(String file, String text, VectorTable base) {
        return new TableLoader(file, true, base.kernel(), base.kernels(), base.fred()).run(text);
    }

    /** An overlay for a table without kernels. */
    public static Result loadOverlay(String file, String text) {
        return new TableLoader(file, true, null, List.of(), false).run(text);
    }

    /**
     * The base table with an overlay added: entries, stub arrays and gates
     * appended (each gate table's list in order), symbols and kconfig facts
     * added; a symbol or fact defined in both is a duplicate-key problem.
     */
    public static Result merge(VectorTable base, VectorTable add) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Condition> kconfig = new LinkedHashMap<>(base.kconfig());
        add.kconfig().forEach((k, v) -> {
            if (kconfig.putIfAbsent(k, v) != null) {
                problems.add(new Problem(new Pos(add.file(), 1, 1), Rule.DUPLICATE_KEY, k + " is already in the kconfig"
                        + " facts of " + base.file()));
            }
        });
        Map<String, Symbol> symbols = new LinkedHashMap<>(base.symbols());
        add.symbols().forEach((k, v) -> {
            if (symbols.putIfAbsent(k, v) != null) {
                problems.add(new Problem(v.pos(), Rule.DUPLICATE_KEY, "symbol " + k + " is already defined in "
                        + base.file()));
            }
        });
        List<Entry> entries = new ArrayList<>(base.entries());
        entries.addAll(add.entries());
        List<StubArray> arrays = new ArrayList<>(base.stubArrays());
        arrays.addAll(add.stubArrays());
        Map<GateTable, List<Gate>> gates = new EnumMap<>(GateTable.class);
        base.gates().forEach((k, v) -> gates.put(k, new ArrayList<>(v)));
        add.gates().forEach((k, v) -> gates.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return new Result(new VectorTable(base.format(), base.kernel(), base.kernels(), kconfig, symbols, entries, arrays, gates,
                base.file(), base.fred()), problems);
    }

    private Result run(String text) {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).setUseMarks(true)
                    .setAllowDuplicateKeys(true).build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            Optional<Node> single = composer.getSingleNode();
            if (single.isEmpty()) {
                problems.add(new Problem(new Pos(file, 1, 1), Rule.MISSING_KEY, "the table is empty"));
                return result(null);
            }
            root = single.get();
        } catch (MarkedYamlEngineException e) {
            Pos at = e.getProblemMark().or(e::getContextMark).map(this::pos).orElse(new Pos(file, 1, 1));
            String what = e.getProblem() == null ? "malformed YAML" : e.getProblem();
            problems.add(new Problem(at, Rule.YAML_SYNTAX, (e.getContext() == null ? "" : e.getContext() + ": ") + what));
            return result(null);
        } catch (YamlEngineException e) {
            problems.add(new Problem(new Pos(file, 1, 1), Rule.YAML_SYNTAX, e.getMessage()));
            return result(null);
        } catch (StackOverflowError e) {
            // the YAML reader recurses on nested collections and has no depth limit of its own
            problems.add(new Problem(new Pos(file, 1, 1), Rule.YAML_SYNTAX, "the YAML nests too deeply to read"));
            return result(null);
        }
        Map<String, NodeTuple> top = mapping(root, overlay ? "the overlay" : "the table", TOP_KEYS,
                overlay ? Set.of() : Set.of("format", "symbols", "entries", "gates"));
        if (top == null) {
            return result(null);
        }
        int format = 1;
        if (top.containsKey("format")) {
            Integer f = integer(top.get("format").getValueNode(), "format");
            if (f != null && f != 1) {
                problems.add(new Problem(pos(top.get("format").getValueNode()), Rule.BAD_VALUE,
                        "format " + f + " is not supported (this idtgen reads format 1)"));
            }
            format = f == null ? 1 : f;
        }
        List<String> kernels = overlay ? baseKernels
                : top.containsKey("kernels") ? kernels(top.get("kernels").getValueNode()) : List.of();
        if (kernels == null) {
            kernels = List.of(); // reported; the rest of the table is still checked
        }
        String projected = kernel;
        if (projected == null) {
            projected = kernels.isEmpty() ? null : kernels.get(0);
        } else if (!kernels.contains(projected)) {
            problems.add(new Problem(new Pos(file, 1, 1), Rule.UNKNOWN_KERNEL, "kernel " + projected
                    + (kernels.isEmpty() ? " is not described: the table has no kernels list"
                    : " is not one of the table's kernels (" + String.join(", ", kernels) + ")")));
            return result(null);
        }
        KernelProjection k = new KernelProjection(file, kernels, projected, problems);
        fredKernel = overlay ? baseFred : top.containsKey("fred") && fredKernels(top.get("fred").getValueNode(), kernels)
                .contains(projected);
        Map<String, Condition> kconfig = top.containsKey("kconfig")
                ? kconfig(k.namedRows(top.get("kconfig").getValueNode())) : Map.of();
        Map<String, Symbol> symbols = top.containsKey("symbols")
                ? symbols(k.namedRows(top.get("symbols").getValueNode())) : Map.of();
        List<Entry> entries = top.containsKey("entries")
                ? list(k.rows(top.get("entries").getValueNode()), "entries", this::entry) : List.of();
        List<StubArray> arrays = top.containsKey("stub_arrays")
                ? list(k.rows(top.get("stub_arrays").getValueNode()), "stub_arrays", this::stubArray) : List.of();
        Map<GateTable, List<Gate>> gates = top.containsKey("gates")
                ? gates(k.sections(top.get("gates").getValueNode(), k::rows)) : Map.of();
        return result(new VectorTable(format, projected, kernels, kconfig, symbols, entries, arrays, gates, file,
                fredKernel));
    }

    private Result result(VectorTable t) {
        List<Problem> sorted = new ArrayList<>(problems);
        Collections.sort(sorted);
        return new Result(t, List.copyOf(sorted));
    }

    // ---- sections -------------------------------------------------------

    /** The top-level fred list: the kernels (of {@code kernels}) that have FRED event delivery. */
    private List<String> fredKernels(Node node, List<String> kernels) {
        List<String> out = new ArrayList<>();
        if (!(node instanceof SequenceNode s)) {
            wrongType(node, "fred", "a list of the kernels with FRED (6.12)");
            return out;
        }
        for (Node n : s.getValue()) {
            String v = string(n, "kernel series");
            if (v != null && !kernels.contains(v)) {
                problems.add(new Problem(pos(n), Rule.UNKNOWN_KERNEL, "kernel " + printable(v)
                        + " is not one of the table's kernels (" + String.join(", ", kernels) + ")"));
            } else if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** The top-level kernels list: distinct series such as 6.1 and 6.12, in the table's order. */
    private List<String> kernels(Node node) {
        if (!(node instanceof SequenceNode s) || s.getValue().isEmpty()) {
            wrongType(node, "kernels", "a non-empty list of kernel series (6.1, 6.12)");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node n : s.getValue()) {
            String v = string(n, "kernel series");
            if (v == null) {
                return null;
            }
            if (!KernelProjection.SERIES.matcher(v).matches()) {
                problems.add(new Problem(pos(n), Rule.BAD_VALUE, "kernel series '" + printable(v)
                        + "' is not MAJOR.MINOR (6.1, 6.12)"));
                return null;
            }
            if (out.contains(v)) {
                problems.add(new Problem(pos(n), Rule.DUPLICATE_KEY, "kernel " + v + " is listed twice"));
                return null;
            }
            out.add(v);
        }
        return out;
    }

    private Map<String, Condition> kconfig(Node node) {
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

    private Map<String, Symbol> symbols(Node node) {
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

    private Entry entry(Node node) {
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
    private Fred fred(Node node) {
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

    private StubArray stubArray(Node node) {
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

    private Map<GateTable, List<Gate>> gates(Node node) {
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

    private Gate gate(GateTable table, Node node) {
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

    // ---- typed values -----------------------------------------------------

    private Set<Arch> arches(Node node) {
        if (!(node instanceof SequenceNode s)) {
            wrongType(node, "arches", "a list of architectures (x86_64, i386)");
            return null;
        }
        Set<Arch> out = EnumSet.noneOf(Arch.class);
        for (Node n : s.getValue()) {
            Arch a = enumValue(n, "arch", Arch::fromYaml, Arch.values(), Arch::yamlName);
            if (a != null && !out.add(a)) {
                problems.add(new Problem(pos(n), Rule.DUPLICATE_KEY, "architecture " + a.yamlName() + " is listed twice"));
            }
        }
        if (s.getValue().isEmpty()) {
            problems.add(new Problem(pos(node), Rule.BAD_VALUE, "arches is empty: name at least one architecture"));
        }
        return out;
    }

    private Condition condition(Node node) {
        String text = string(node, "condition");
        if (text == null) {
            return null;
        }
        try {
            return ConditionParser.parse(text);
        } catch (ConditionParser.SyntaxError e) {
            Pos p = pos(node);
            ScalarNode sn = (ScalarNode) node;
            ScalarStyle style = sn.getScalarStyle();
            int quote = style == ScalarStyle.PLAIN ? 0 : 1;
            // The offset maps onto the source only when the scalar is the text itself on one line:
            // plain or quoted without escapes, not folded over lines, not a block scalar.
            Mark start = sn.getStartMark().orElse(null);
            Mark end = sn.getEndMark().orElse(null);
            boolean verbatim = start != null && end != null && start.getLine() == end.getLine()
                    && (style == ScalarStyle.PLAIN || style == ScalarStyle.SINGLE_QUOTED
                    || style == ScalarStyle.DOUBLE_QUOTED)
                    && end.getIndex() - start.getIndex() == text.length() + 2 * quote;
            Pos at = verbatim ? new Pos(file, p.line(), p.column() + quote + e.offset()) : p;
            problems.add(new Problem(at, Rule.BAD_CONDITION, e.getMessage() + " in condition '" + text + "'"));
            return null;
        }
    }

    private Map<String, String> otherwise(Node node) {
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

    private Map<String, String> waivers(Node node) {
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

    private <E> E enumValue(Node node, String what, Function<String, Optional<E>> parse, E[] all,
                            Function<E, String> name) {
        String s = string(node, what);
        if (s == null) {
            return null;
        }
        Optional<E> v = parse.apply(s);
        if (v.isEmpty()) {
            StringBuilder allowed = new StringBuilder();
            for (E e : all) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(name.apply(e));
            }
            problems.add(new Problem(pos(node), Rule.BAD_VALUE, "unknown " + what + " '" + s + "' (one of: " + allowed + ")"));
            return null;
        }
        return v.get();
    }

    private String identifier(Node node, String what) {
        String s = string(node, what);
        if (s == null) {
            return null;
        }
        if (!C_IDENTIFIER.matcher(s).matches() || C_KEYWORDS.contains(s)) {
            problems.add(new Problem(pos(node), Rule.C_IDENTIFIER, what + " '" + printable(s)
                    + "' is not a plain C identifier ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters, no keyword)"));
            return null;
        }
        return s;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private String string(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            wrongType(node, what, "a string");
            return null;
        }
        return s.getValue();
    }

    private Integer integer(Node node, String what) {
        if (!(node instanceof ScalarNode s) || s.getScalarStyle() != ScalarStyle.PLAIN) {
            wrongType(node, what, "a number (decimal or 0x hex)");
            return null;
        }
        String v = s.getValue();
        try {
            if (v.matches("-?0[xX][0-9a-fA-F]+")) {
                boolean neg = v.startsWith("-");
                int n = Integer.parseInt(v.substring(neg ? 3 : 2), 16);
                return neg ? -n : n;
            }
            if (v.matches("-?[0-9]+")) {
                return Integer.parseInt(v);
            }
        } catch (NumberFormatException e) {
            // too large: fall through to the message
        }
        wrongType(node, what, "a number (decimal or 0x hex), not '" + printable(v) + "'");
        return null;
    }

    // ---- structure ------------------------------------------------------

    private <T> List<T> list(Node node, String what, Function<Node, T> each) {
        List<T> out = new ArrayList<>();
        if (!(node instanceof SequenceNode s)) {
            wrongType(node, what, "a list");
            return out;
        }
        for (Node n : s.getValue()) {
            T t = each.apply(n);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** Checks a mapping's keys; returns key to tuple in file order, or null when it is no mapping. */
    private Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed, Set<String> required) {
        if (!(node instanceof MappingNode m)) {
            wrongType(node, what, "a mapping");
            return null;
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = string(t.getKeyNode(), "key");
            if (key == null) {
                continue;
            }
            if (!allowed.contains(key)) {
                problems.add(new Problem(pos(t.getKeyNode()), Rule.UNKNOWN_KEY, "unknown key '" + printable(key)
                        + "' in " + what + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
            } else if (out.containsKey(key)) {
                problems.add(new Problem(pos(t.getKeyNode()), Rule.DUPLICATE_KEY, "key '" + key + "' appears twice in " + what));
            } else {
                out.put(key, t);
            }
        }
        for (String r : new java.util.TreeSet<>(required)) {
            if (!out.containsKey(r)) {
                problems.add(new Problem(pos(node), Rule.MISSING_KEY, what + " has no '" + r + "'"));
            }
        }
        return out;
    }

    private static Node value(Map<String, NodeTuple> f, String key) {
        NodeTuple t = f.get(key);
        return t == null ? null : t.getValueNode();
    }

    private Map<String, Pos> where(Map<String, NodeTuple> f) {
        Map<String, Pos> out = new LinkedHashMap<>();
        f.forEach((k, t) -> out.put(k, pos(t.getValueNode())));
        return out;
    }

    private void wrongType(Node node, String what, String expected) {
        if (node == null) {
            return;
        }
        String got = node instanceof MappingNode ? "a mapping" : node instanceof SequenceNode ? "a list"
                : ((ScalarNode) node).getScalarStyle() == ScalarStyle.PLAIN ? "'" + printable(((ScalarNode) node).getValue()) + "'"
                : "the quoted string '" + printable(((ScalarNode) node).getValue()) + "'";
        problems.add(new Problem(pos(node), Rule.WRONG_TYPE, what + " must be " + expected + ", not " + got));
    }

    private Pos pos(Node node) {
        return node.getStartMark().map(this::pos).orElse(new Pos(file, 1, 1));
    }

    private Pos pos(Mark m) {
        return new Pos(file, m.getLine() + 1, m.getColumn() + 1);
    }
}
