package dev.idtgen.config;

import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.math.BigInteger;

/**
 * A value of an input YAML file and where it stands: a scalar, a list
 * ({@link ListNode}) or a mapping ({@link MapNode}). {@link #path} names it
 * in messages ({@code limits.margin}); a value of the wrong kind is a
 * {@link ConfigException} with rule {@code wrong-type} at the value.
 */
public class ConfigNode {

    private final Source source;
    private final Node node;
    private final String path;
    private final Pos pos;

    ConfigNode(Source source, Node node, String path, Pos pos) {
        this.source = source;
        this.node = node;
        this.path = path;
        this.pos = pos;
    }

    static ConfigNode of(Source source, Node node, String path) throws ConfigException {
        return of(source, node, path, new Pos(source.file(), 0, 0));
    }

    static ConfigNode of(Source source, Node node, String path, Pos fallback) throws ConfigException {
        Pos at = source.pos(node, fallback);
        if (node instanceof MappingNode m) {
            return new MapNode(source, m, path, at);
        }
        if (node instanceof SequenceNode s) {
            return new ListNode(source, s, path, at);
        }
        return new ConfigNode(source, node, path, at);
    }

    /** An empty document: a null value. */
    static ConfigNode empty(Source source, Pos at, String path) {
        return new ConfigNode(source, null, path, at);
    }

    /** Where the value starts (1-based line and column; line 0 for data that had no file). */
    public Pos pos() {
        return pos;
    }

    /** The value's name in messages: {@code the file}, {@code limits}, {@code boots[2].cpus}. */
    public String path() {
        return path;
    }

    /** True for an empty document or a {@code ~}/{@code null}/empty value. */
    public boolean isNull() {
        return node == null || node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public MapNode asMap() throws ConfigException {
        if (this instanceof MapNode m) {
            return m;
        }
        throw wrongType("a mapping");
    }

    public ListNode asList() throws ConfigException {
        if (this instanceof ListNode l) {
            return l;
        }
        throw wrongType("a list");
    }

    /** A scalar as text, as Load would give it after {@code String.valueOf} ({@code 512} for 512, {@code true}). */
    public String asString() throws ConfigException {
        if (!(node instanceof ScalarNode) || isNull()) {
            throw wrongType("a string");
        }
        return String.valueOf(source.value(node, pos));
    }

    /** A whole number that fits an int. */
    public int asInt() throws ConfigException {
        Object v = scalar();
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long || v instanceof BigInteger) {
            throw bad(path + " is " + v + ", too large");
        }
        throw wrongType("a whole number");
    }

    /** Any number, as a double. */
    public double asNumber() throws ConfigException {
        if (scalar() instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType("a number");
    }

    public boolean asBool() throws ConfigException {
        if (scalar() instanceof Boolean b) {
            return b;
        }
        throw wrongType("true or false");
    }

    /** The value as Load would give it: maps, lists and scalars (for data handed on as it is). */
    public Object plain() throws ConfigException {
        return node == null ? null : source.value(node, pos);
    }

    private Object scalar() throws ConfigException {
        return node instanceof ScalarNode ? source.value(node, pos) : null;
    }

    /** A {@code wrong-type} problem at this value: it must be {@code expected}. */
    public ConfigException wrongType(String expected) {
        return new ConfigException(new Problem(pos, Rule.WRONG_TYPE, path + " must be " + expected + ", not "
                + describe()));
    }

    /** A {@code bad-value} problem at this value. */
    public ConfigException bad(String message) {
        return new ConfigException(new Problem(pos, Rule.BAD_VALUE, message));
    }

    /** What the value is, for messages: {@code a mapping}, {@code a list}, {@code nothing}, {@code 'text'}. */
    String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull()) {
            return "nothing";
        }
        String v = ((ScalarNode) node).getValue();
        return "'" + (v.length() > 40 ? v.substring(0, 40) + "..." : v).replace("\n", "\\n") + "'";
    }
}
