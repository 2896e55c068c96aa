package dev.idtgen.config;

import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping of an input YAML file, its keys in file order. A required key that
 * is absent (or has no value) is a {@code missing-key} problem at the mapping,
 * a key outside {@link #allowOnly} an {@code unknown-key} problem at the key,
 * a key given twice a {@code duplicate-key} problem.
 */
public final class MapNode extends ConfigNode {

    private final Map<String, ConfigNode> values = new LinkedHashMap<>();
    private final Map<String, Pos> keyPos = new LinkedHashMap<>();

    MapNode(Source source, MappingNode node, String path, Pos pos) throws ConfigException {
        super(source, node, path, pos);
        for (NodeTuple t : node.getValue()) {
            ConfigNode k = ConfigNode.of(source, t.getKeyNode(), path + " key", pos);
            if (!(t.getKeyNode() instanceof ScalarNode s) || k.isNull()) {
                throw k.wrongType("a name");
            }
            String key = s.getValue();
            if (values.containsKey(key)) {
                throw new ConfigException(new Problem(k.pos(), Rule.DUPLICATE_KEY, "key '" + key
                        + "' appears twice in " + path));
            }
            keyPos.put(key, k.pos());
            values.put(key, ConfigNode.of(source, t.getValueNode(), child(path, key), pos));
        }
    }

    private static String child(String path, String key) {
        return path.equals("the file") ? key : path + "." + key;
    }

    /** The keys in file order. */
    public List<String> keys() {
        return List.copyOf(values.keySet());
    }

    /** Key to value, in file order. */
    public Map<String, ConfigNode> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** True when {@code key} is there with a value. */
    public boolean has(String key) {
        return values.containsKey(key) && !values.get(key).isNull();
    }

    /** Where {@code key} stands (the mapping's position when it is absent). */
    public Pos keyPos(String key) {
        return keyPos.getOrDefault(key, pos());
    }

    /** Every key must be one of {@code allowed}: the others are {@code unknown-key} problems. */
    public MapNode allowOnly(Set<String> allowed) throws ConfigException {
        List<Problem> problems = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) {
                problems.add(new Problem(keyPos.get(k), Rule.UNKNOWN_KEY, "unknown key '" + k + "' in " + path()
                        + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return this;
    }

    public MapNode allowOnly(String... allowed) throws ConfigException {
        return allowOnly(Set.copyOf(Arrays.asList(allowed)));
    }

    /** The value of a required key. */
    public ConfigNode get(String key) throws ConfigException {
        if (!has(key)) {
            throw missing(key);
        }
        return values.get(key);
    }

    /** The value of an optional key; empty when it is absent or has no value. */
    public Optional<ConfigNode> optional(String key) {
        return has(key) ? Optional.of(values.get(key)) : Optional.empty();
    }

    /** A {@code missing-key} problem at this mapping. */
    public ConfigException missing(String key) {
        String what = values.containsKey(key) ? " has no value for '" : " has no '";
        return new ConfigException(new Problem(values.containsKey(key) ? keyPos.get(key) : pos(),
                Rule.MISSING_KEY, path() + what + key + "'"));
    }

    /** A {@code missing-key} problem at this mapping: it needs one of {@code keys}. */
    public ConfigException missingOneOf(List<String> keys) {
        return new ConfigException(new Problem(pos(), Rule.MISSING_KEY, path() + ": needs one of "
                + String.join(", ", keys)));
    }

    public String string(String key) throws ConfigException {
        return get(key).asString();
    }

    public Optional<String> optionalString(String key) throws ConfigException {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    public String string(String key, String otherwise) throws ConfigException {
        return has(key) ? string(key) : otherwise;
    }

    public int integer(String key) throws ConfigException {
        return get(key).asInt();
    }

    public int integer(String key, int otherwise) throws ConfigException {
        return has(key) ? integer(key) : otherwise;
    }

    public double number(String key) throws ConfigException {
        return get(key).asNumber();
    }

    public boolean bool(String key) throws ConfigException {
        return get(key).asBool();
    }

    public boolean bool(String key, boolean otherwise) throws ConfigException {
        return has(key) ? bool(key) : otherwise;
    }

    public ListNode list(String key) throws ConfigException {
        return get(key).asList();
    }

    public MapNode map(String key) throws ConfigException {
        return get(key).asMap();
    }

    /** An optional mapping; empty when absent. */
    public Optional<MapNode> optionalMap(String key) throws ConfigException {
        return has(key) ? Optional.of(map(key)) : Optional.empty();
    }

    /** A required list of scalars, as text. */
    public List<String> stringList(String key) throws ConfigException {
        return list(key).strings();
    }

    /** A required mapping of scalars, as text, in file order. */
    public Map<String, String> stringMap(String key) throws ConfigException {
        return map(key).strings();
    }

    /** This mapping's values as text (each a scalar), in file order. */
    public Map<String, String> strings() throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : values.keySet()) {
            out.put(key, string(key));
        }
        return out;
    }

    /** This mapping as Load would give it (for data handed on as it is). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> plainMap() throws ConfigException {
        return (Map<String, Object>) plain();
    }
}
