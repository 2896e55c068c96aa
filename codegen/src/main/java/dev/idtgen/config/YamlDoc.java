package dev.idtgen.config;

import dev.idtgen.model.Pos;
import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an input YAML file into {@link ConfigNode}s that keep where each value
 * stands. snakeyaml-engine parses; a syntax error is a {@link ConfigException}
 * with rule {@code yaml-syntax}.
 */
public final class YamlDoc {

    private YamlDoc() {
    }

    /** The document of {@code file}, which must be a mapping. */
    public static MapNode read(Path file) throws ConfigException {
        return readAny(file).asMap();
    }

    /** The document of {@code file}, any kind of node; an empty file is a null node. */
    public static ConfigNode readAny(Path file) throws ConfigException {
        return parse(file.toString(), text(file));
    }

    /** The text of {@code file}; a file that cannot be read is an {@code io} problem. */
    private static String text(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new Problem(Pos.of(file.toString()), Rule.IO, "no such file"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(new Problem(Pos.of(file.toString()), Rule.IO, "not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(new Problem(Pos.of(file.toString()), Rule.IO, "cannot read it: "
                    + e.getMessage()));
        }
    }

    /** The document {@code text}, its positions naming {@code file}. */
    public static ConfigNode parse(String file, String text) throws ConfigException {
        Optional<Node> single = compose(file, text);
        Source source = new Source(file, settings(file));
        if (single.isEmpty()) {
            return ConfigNode.empty(source, new Pos(file, 1, 1), "the file");
        }
        try {
            return ConfigNode.of(source, single.get(), "the file");
        } catch (StackOverflowError e) {
            throw tooDeep(file);
        }
    }

    /**
     * The single document of {@code text} as snakeyaml-engine's node, with the marks of its lines and columns
     * (empty for a text without a document); bad YAML is a {@code yaml-syntax} problem.
     */
    public static Optional<Node> compose(String file, String text) throws ConfigException {
        LoadSettings settings = settings(file);
        try {
            return new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            Pos at = e.getProblemMark().or(e::getContextMark).map(m -> new Pos(file, m.getLine() + 1,
                    m.getColumn() + 1)).orElse(new Pos(file, 1, 1));
            String what = e.getProblem() == null ? "malformed YAML" : e.getProblem();
            throw new ConfigException(new Problem(at, Rule.YAML_SYNTAX,
                    (e.getContext() == null ? "" : e.getContext() + ": ") + what));
        } catch (YamlEngineException e) {
            throw new ConfigException(new Problem(new Pos(file, 1, 1), Rule.YAML_SYNTAX, e.getMessage()));
        } catch (StackOverflowError e) {
            // the YAML reader recurses on nested collections and has no depth limit of its own
            throw tooDeep(file);
        }
    }

    private static LoadSettings settings(String file) {
        return LoadSettings.builder().setLabel(file).setUseMarks(true).setAllowDuplicateKeys(true)
                .setCodePointLimit(Integer.MAX_VALUE).build();
    }

    private static ConfigException tooDeep(String file) {
        return new ConfigException(new Problem(new Pos(file, 1, 1), Rule.YAML_SYNTAX,
                "the YAML nests too deeply to read"));
    }

    /** Data already loaded (maps, lists, scalars) as a mapping node without positions, naming {@code file}. */
    public static MapNode of(String file, Map<String, Object> data) throws ConfigException {
        Node n = new StandardRepresenter(DumpSettings.builder().build()).represent(data);
        return ConfigNode.of(new Source(file, LoadSettings.builder().setLabel(file).build()), n, "the file").asMap();
    }
}
