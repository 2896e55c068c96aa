package dev.idtgen.load;

import dev.idtgen.model.Rule;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Condition;
import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.common.ScalarStyle;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The typed values of the table's YAML nodes (strings, numbers, C identifiers,
 * enum values, conditions, architectures, lists and mappings): each reads one
 * node and reports what is wrong with it, at its file:line:column, to the
 * load's problems.
 */
class NodeReader {

    /** A plain C identifier (at most 64 characters). */
    static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Set<String> C_KEYWORDS = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
            "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
            "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
            "union", "unsigned", "void", "volatile", "while", "_Bool", "_Static_assert", "asm",
            "defined");

    final String file;
    final List<Problem> problems;

    NodeReader(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    Set<Arch> arches(Node node) {
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


    Condition condition(Node node) {
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


    <E> E enumValue(Node node, String what, Function<String, Optional<E>> parse, E[] all,
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


    String identifier(Node node, String what) {
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


    static String printable(String s) {
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


    String string(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            wrongType(node, what, "a string");
            return null;
        }
        return s.getValue();
    }


    Integer integer(Node node, String what) {
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


    <T> List<T> list(Node node, String what, Function<Node, T> each) {
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
    Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed, Set<String> required) {
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


    static Node value(Map<String, NodeTuple> f, String key) {
        NodeTuple t = f.get(key);
        return t == null ? null : t.getValueNode();
    }


    Map<String, Pos> where(Map<String, NodeTuple> f) {
        Map<String, Pos> out = new LinkedHashMap<>();
        f.forEach((k, t) -> out.put(k, pos(t.getValueNode())));
        return out;
    }


    void wrongType(Node node, String what, String expected) {
        if (node == null) {
            return;
        }
        String got = node instanceof MappingNode ? "a mapping" : node instanceof SequenceNode ? "a list"
                : ((ScalarNode) node).getScalarStyle() == ScalarStyle.PLAIN ? "'" + printable(((ScalarNode) node).getValue()) + "'"
                : "the quoted string '" + printable(((ScalarNode) node).getValue()) + "'";
        problems.add(new Problem(pos(node), Rule.WRONG_TYPE, what + " must be " + expected + ", not " + got));
    }


    Pos pos(Node node) {
        return node.getStartMark().map(this::pos).orElse(new Pos(file, 1, 1));
    }


    Pos pos(Mark m) {
        return new Pos(file, m.getLine() + 1, m.getColumn() + 1);
    }
}
