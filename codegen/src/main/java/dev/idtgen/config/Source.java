package dev.idtgen.config;

import dev.idtgen.model.Pos;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.Optional;

/** The file a document came from, and how its nodes become values (as snakeyaml-engine's Load makes them). */
final class Source {

    private final String file;
    private final StandardConstructor constructor;

    Source(String file, LoadSettings settings) {
        this.file = file;
        this.constructor = new StandardConstructor(settings);
    }

    String file() {
        return file;
    }

    /** The value Load would give for {@code node}: a String, Integer, Long, Double, Boolean, null, list or map. */
    Object value(Node node, Pos at) throws ConfigException {
        try {
            return constructor.constructSingleDocument(Optional.of(node));
        } catch (YamlEngineException e) {
            throw new ConfigException(new Problem(at, Rule.BAD_VALUE, e.getMessage().replace('\n', ' ')));
        }
    }

    Pos pos(Mark m) {
        return new Pos(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** Where {@code node} starts; {@code fallback} for a node made from data, which has no marks. */
    Pos pos(Node node, Pos fallback) {
        return node.getStartMark().map(this::pos).orElse(fallback);
    }
}
