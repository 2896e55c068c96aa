package dev.idtgen.load;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.YamlDoc;
import dev.idtgen.model.Rule;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Entry;
import dev.idtgen.model.Gate;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.StubArray;
import dev.idtgen.model.Symbol;
import dev.idtgen.model.VectorTable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads vectors.yaml into a {@link VectorTable}. Checks the shape of the
 * file (syntax, keys, types, enum values, C identifiers, conditions) and
 * reports every problem with its file:line:column; the semantic rules are
 * {@link dev.idtgen.validate.Validator}'s. The rows are {@link RowReader}'s,
 * the values {@link NodeReader}'s.
 */
public final class TableLoader extends NodeReader {

    /** The result of a load: the table (when the shape allowed one) and the problems found. */
    public record Loaded(VectorTable table, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static final Pattern C_IDENTIFIER = NodeReader.C_IDENTIFIER;

    private static final Set<String> TOP_KEYS = Set.of("format", "kernels", "fred", "kconfig", "symbols", "entries",
            "stub_arrays", "gates");

    private final boolean overlay;
    /** The kernel to project onto (null: the table's first); an overlay's base table's kernels. */
    private final String kernel;
    private final List<String> baseKernels;
    private final boolean baseFred;

    private TableLoader(String file, boolean overlay, String kernel, List<String> baseKernels, boolean baseFred) {
        super(file, new ArrayList<>());
        this.overlay = overlay;
        this.kernel = kernel;
        this.baseKernels = baseKernels;
        this.baseFred = baseFred;
    }

    /** Loads {@code text}, naming it {@code file} in positions, projected onto its first kernel. */
    public static Loaded load(String file, String text) {
        return load(file, text, null);
    }

    /**
     * Loads {@code text} projected onto {@code kernel}, a series of its top-level
     * {@code kernels} list (null: the first one). See {@link KernelProjection}.
     */
    public static Loaded load(String file, String text, String kernel) {
        return new TableLoader(file, false, kernel, List.of(), false).run(text);
    }

    /**
     * Loads an overlay: a table fragment whose symbols, kconfig facts, entries,
     * stub arrays and gates are added to a base table's (see {@link #merge}).
     * It needs none of the top-level keys; its rows may use the base table's
     * kernels, and it is projected onto the base table's kernel.
     */
    public static Loaded loadOverlay(String file, String text, VectorTable base) {
        return new TableLoader(file, true, base.kernel(), base.kernels(), base.fred()).run(text);
    }

    /** An overlay for a table without kernels. */
    public static Loaded loadOverlay(String file, String text) {
        return new TableLoader(file, true, null, List.of(), false).run(text);
    }

    /**
     * The base table with an overlay added: entries, stub arrays and gates
     * appended (each gate table's list in order), symbols and kconfig facts
     * added; a symbol or fact defined in both is a duplicate-key problem.
     */
    public static Loaded merge(VectorTable base, VectorTable add) {
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
        return new Loaded(new VectorTable(base.format(), base.kernel(), base.kernels(), kconfig, symbols, entries, arrays, gates,
                base.file(), base.fred()), problems);
    }

    private Loaded run(String text) {
        Node root = compose(text);
        if (root == null) {
            return result(null);
        }
        Map<String, NodeTuple> top = mapping(root, overlay ? "the overlay" : "the table", TOP_KEYS,
                overlay ? Set.of() : Set.of("format", "symbols", "entries", "gates"));
        if (top == null) {
            return result(null);
        }
        int format = format(top);
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
        return result(table(top, format, kernels, projected));
    }

    /** The document's root node, or null with a yaml-syntax problem (or a missing-key one for an empty file). */
    private Node compose(String text) {
        try {
            Optional<Node> single = YamlDoc.compose(file, text);
            if (single.isEmpty()) {
                problems.add(new Problem(new Pos(file, 1, 1), Rule.MISSING_KEY, "the table is empty"));
                return null;
            }
            return single.get();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private int format(Map<String, NodeTuple> top) {
        if (!top.containsKey("format")) {
            return 1;
        }
        Integer f = integer(top.get("format").getValueNode(), "format");
        if (f != null && f != 1) {
            problems.add(new Problem(pos(top.get("format").getValueNode()), Rule.BAD_VALUE,
                    "format " + f + " is not supported (this idtgen reads format 1)"));
        }
        return f == null ? 1 : f;
    }

    /** The sections of the table, projected onto kernel {@code projected}. */
    private VectorTable table(Map<String, NodeTuple> top, int format, List<String> kernels, String projected) {
        KernelProjection k = new KernelProjection(file, kernels, projected, problems);
        boolean fredKernel = overlay ? baseFred : top.containsKey("fred")
                && fredKernels(top.get("fred").getValueNode(), kernels).contains(projected);
        RowReader rows = new RowReader(file, problems, fredKernel);
        Map<String, Condition> kconfig = top.containsKey("kconfig")
                ? rows.kconfig(k.namedRows(top.get("kconfig").getValueNode())) : Map.of();
        Map<String, Symbol> symbols = top.containsKey("symbols")
                ? rows.symbols(k.namedRows(top.get("symbols").getValueNode())) : Map.of();
        List<Entry> entries = top.containsKey("entries")
                ? list(k.rows(top.get("entries").getValueNode()), "entries", rows::entry) : List.of();
        List<StubArray> arrays = top.containsKey("stub_arrays")
                ? list(k.rows(top.get("stub_arrays").getValueNode()), "stub_arrays", rows::stubArray) : List.of();
        Map<GateTable, List<Gate>> gates = top.containsKey("gates")
                ? rows.gates(k.sections(top.get("gates").getValueNode(), k::rows)) : Map.of();
        return new VectorTable(format, projected, kernels, kconfig, symbols, entries, arrays, gates, file, fredKernel);
    }

    private Loaded result(VectorTable t) {
        List<Problem> sorted = new ArrayList<>(problems);
        Collections.sort(sorted);
        return new Loaded(t, List.copyOf(sorted));
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
}
