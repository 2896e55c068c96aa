package dev.idtgen.config;

import dev.idtgen.model.Pos;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;

/** A list of an input YAML file: its items in order, each named {@code path[i]}. */
public final class ListNode extends ConfigNode {

    private final List<ConfigNode> items;

    ListNode(Source source, SequenceNode node, String path, Pos pos) throws ConfigException {
        super(source, node, path, pos);
        List<ConfigNode> l = new ArrayList<>();
        List<Node> value = node.getValue();
        for (int i = 0; i < value.size(); i++) {
            l.add(ConfigNode.of(source, value.get(i), path + "[" + i + "]", pos));
        }
        this.items = List.copyOf(l);
    }

    public List<ConfigNode> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    /** Every item as text (each a scalar). */
    public List<String> strings() throws ConfigException {
        List<String> out = new ArrayList<>();
        for (ConfigNode n : items) {
            out.add(n.asString());
        }
        return List.copyOf(out);
    }
}
