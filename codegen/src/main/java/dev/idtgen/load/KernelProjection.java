package dev.idtgen.load;

import dev.idtgen.model.Rule;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Projects a table that describes several kernels onto one of them, on the
 * YAML nodes (so that every position stays the file's). Two forms say what
 * differs between kernels:
 * <ul>
 * <li>a row (a symbol, a kconfig fact, an entry, a stub array, a gate) with
 * {@code kernels: [6.12]} exists in the kernels it lists only;</li>
 * <li>a value written as a mapping whose keys are all kernel series,
 * {@code condition: {6.1: CONFIG_X86_KERNEL_IBT, 6.12: CONFIG_X86_CET}}, takes
 * the projected kernel's value; a kernel it does not list has no such key.</li>
 * </ul>
 * Every series named must be one of the table's {@code kernels}.
 */
final class KernelProjection {

    /** A kernel series: {@code 6.1}, {@code 6.12}. */
    static final Pattern SERIES = Pattern.compile("[0-9]+\\.[0-9]+");

    private final String file;
    private final List<String> kernels;
    private final String kernel;
    private final List<Problem> problems;

    /**
     * @param kernels the table's kernels (empty: a table without per-kernel rows or values)
     * @param kernel  the kernel to project onto, one of {@code kernels} (null when there are none)
     */
    KernelProjection(String file, List<String> kernels, String kernel, List<Problem> problems) {
        this.file = file;
        this.kernels = kernels;
        this.kernel = kernel;
        this.problems = problems;
    }

    /** The rows of a list section that exist in the kernel, each with its per-kernel values resolved. */
    Node rows(Node section) {
        if (!(section instanceof SequenceNode s)) {
            return section;
        }
        List<Node> kept = new ArrayList<>();
        for (Node n : s.getValue()) {
            Node r = row(n);
            if (r != null) {
                kept.add(r);
            }
        }
        return new SequenceNode(s.getTag(), true, kept, s.getFlowStyle(), s.getStartMark(), s.getEndMark());
    }

    /** A mapping section whose values are rows (symbols, kconfig): the tuples that exist in the kernel. */
    Node namedRows(Node section) {
        if (!(section instanceof MappingNode m)) {
            return section;
        }
        List<NodeTuple> kept = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            Node v = t.getValueNode();
            if (v instanceof MappingNode && !perKernel(v)) {
                v = row(v);
            } else {
                v = value(v);
            }
            if (v != null) {
                kept.add(new NodeTuple(t.getKeyNode(), v));
            }
        }
        return new MappingNode(m.getTag(), true, kept, m.getFlowStyle(), m.getStartMark(), m.getEndMark());
    }

    /**
     * A mapping of sections (gates): each value is a list of rows. A section
     * whose rows all belong to other kernels does not exist in this one (6.12's
     * ia32_idt in a 6.1 projection).
     */
    Node sections(Node node, Function<Node, Node> each) {
        if (!(node instanceof MappingNode m)) {
            return node;
        }
        List<NodeTuple> out = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            Node v = each.apply(t.getValueNode());
            if (t.getValueNode() instanceof SequenceNode before && !before.getValue().isEmpty()
                    && v instanceof SequenceNode after && after.getValue().isEmpty()) {
                continue;
            }
            out.add(new NodeTuple(t.getKeyNode(), v));
        }
        return new MappingNode(m.getTag(), true, out, m.getFlowStyle(), m.getStartMark(), m.getEndMark());
    }

    /** One row: null when its {@code kernels} leave the kernel out; otherwise without that key, values resolved. */
    private Node row(Node node) {
        if (!(node instanceof MappingNode m)) {
            return node;
        }
        List<NodeTuple> out = new ArrayList<>();
        boolean present = true;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("kernels")) {
                present = listed(t.getValueNode());
                continue;
            }
            Node v = value(t.getValueNode());
            if (v != null) {
                out.add(new NodeTuple(t.getKeyNode(), v));
            }
        }
        if (!present) {
            return null;
        }
        return new MappingNode(m.getTag(), true, out, m.getFlowStyle(), m.getStartMark(), m.getEndMark());
    }

    /** Whether a row's {@code kernels} list names the kernel (and every series in it is the table's). */
    private boolean listed(Node node) {
        if (!(node instanceof SequenceNode s) || s.getValue().isEmpty()) {
            problems.add(new Problem(pos(node), Rule.WRONG_TYPE, "kernels must be a non-empty list of kernel series "
                    + "(" + String.join(", ", kernels) + ")"));
            return true;
        }
        boolean found = false;
        for (Node n : s.getValue()) {
            String series = series(n);
            if (series != null && series.equals(kernel)) {
                found = true;
            }
        }
        return found;
    }

    /** A value with every per-kernel mapping in it resolved; null when the kernel has none. */
    private Node value(Node node) {
        if (node instanceof MappingNode m) {
            if (perKernel(node)) {
                Node chosen = null;
                for (NodeTuple t : m.getValue()) {
                    String series = series(t.getKeyNode());
                    if (series != null && series.equals(kernel)) {
                        chosen = t.getValueNode();
                    }
                }
                return chosen == null ? null : value(chosen);
            }
            List<NodeTuple> out = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                Node v = value(t.getValueNode());
                if (v != null) {
                    out.add(new NodeTuple(t.getKeyNode(), v));
                }
            }
            return new MappingNode(m.getTag(), true, out, m.getFlowStyle(), m.getStartMark(), m.getEndMark());
        }
        return node;
    }

    /** A mapping whose keys are all kernel series (never a C identifier, so never anything else). */
    private static boolean perKernel(Node node) {
        if (!(node instanceof MappingNode m) || m.getValue().isEmpty()) {
            return false;
        }
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !SERIES.matcher(k.getValue()).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The series a scalar names, when it is one of the table's kernels; otherwise a problem and null. */
    private String series(Node node) {
        if (!(node instanceof ScalarNode s)) {
            problems.add(new Problem(pos(node), Rule.WRONG_TYPE, "a kernel series must be a scalar such as 6.12"));
            return null;
        }
        if (!kernels.contains(s.getValue())) {
            problems.add(new Problem(pos(node), Rule.UNKNOWN_KERNEL, "kernel " + s.getValue()
                    + (kernels.isEmpty() ? " is not declared: the table has no top-level kernels list"
                    : " is not one of the table's kernels (" + String.join(", ", kernels) + ")")));
            return null;
        }
        return s.getValue();
    }

    private Pos pos(Node node) {
        return node.getStartMark().map(m -> new Pos(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new Pos(file, 1, 1));
    }
}
