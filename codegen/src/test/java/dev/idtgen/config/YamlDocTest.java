package dev.idtgen.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed reader's accessors and the problems they report, from strings. */
class YamlDocTest {

    private static MapNode doc(String text) throws ConfigException {
        return YamlDoc.parse("f.yaml", text).asMap();
    }

    private static String problem(String text, ThrowingRead read) {
        ConfigException e = assertThrows(ConfigException.class, () -> read.read(doc(text)));
        return e.getMessage();
    }

    interface ThrowingRead {
        Object read(MapNode m) throws ConfigException;
    }

    @Test
    void valuesAndTheirPositions() throws ConfigException {
        MapNode m = doc("a: text\nb: 12\nc: 1.5\nd: true\ne: [x, 7]\nf: {k: v}\ng:\n");
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), m.keys());
        assertEquals("text", m.string("a"));
        assertEquals("12", m.string("b"));
        assertEquals(12, m.integer("b"));
        assertEquals(1.5, m.number("c"));
        assertEquals(12.0, m.number("b"));
        assertTrue(m.bool("d"));
        assertEquals(List.of("x", "7"), m.stringList("e"));
        assertEquals(Map.of("k", "v"), m.stringMap("f"));
        assertEquals("f.yaml:5:4", m.get("e").pos().toString());
        assertEquals("f.yaml:6:1", m.keyPos("f").toString());
        assertEquals("f.yaml:5:8", m.list("e").items().get(1).pos().toString());
        assertFalse(m.has("g"));
        assertEquals(Optional.empty(), m.optionalString("g"));
        assertEquals(Optional.of("text"), m.optionalString("a"));
        assertEquals("dflt", m.string("zz", "dflt"));
        assertEquals(3, m.integer("zz", 3));
        assertTrue(m.get("e").isList());
        assertEquals(Map.of("k", "v"), m.map("f").plainMap());
    }

    @Test
    void eachKindOfMistakeIsOneRule() {
        assertEquals("f.yaml:1:4: wrong-type: a must be a whole number, not 'x'", problem("a: x", m -> m.integer("a")));
        assertEquals("f.yaml:1:4: wrong-type: a must be a string, not a list", problem("a: [x]", m -> m.string("a")));
        assertEquals("f.yaml:1:1: missing-key: the file has no 'b'", problem("a: 1", m -> m.string("b")));
        assertEquals("f.yaml:1:1: missing-key: the file has no value for 'a'", problem("a:\n", m -> m.string("a")));
        assertEquals("f.yaml:1:4: bad-value: a is 9999999999, too large", problem("a: 9999999999", m -> m.integer("a")));
        assertEquals("f.yaml:1:14: wrong-type: m.b must be true or false, not 'yes'",
                problem("m: {a: 1, b: yes}", m -> m.map("m").bool("b")));
    }

    @Test
    void everyUnknownKeyIsReported() {
        assertEquals("f.yaml:2:1: unknown-key: unknown key 'b' in the file (allowed: a)\n"
                + "f.yaml:3:1: unknown-key: unknown key 'c' in the file (allowed: a)",
                problem("a: 1\nb: 2\nc: 3\n", m -> m.allowOnly("a")));
    }

    @Test
    void syntaxAndDuplicateKeys() {
        ConfigException dup = assertThrows(ConfigException.class, () -> doc("a: 1\nb: 2\na: 3\n"));
        assertEquals("f.yaml:3:1: duplicate-key: key 'a' appears twice in the file", dup.getMessage());
        ConfigException syntax = assertThrows(ConfigException.class, () -> doc("a: [1\n"));
        assertEquals(1, syntax.problems().size());
        assertTrue(syntax.getMessage().startsWith("f.yaml:2:1: yaml-syntax: while parsing a flow sequence"),
                syntax.getMessage());
        ConfigException notMap = assertThrows(ConfigException.class, () -> doc("- a\n"));
        assertEquals("f.yaml:1:1: wrong-type: the file must be a mapping, not a list", notMap.getMessage());
    }

    @Test
    void emptyDocumentIsNull() throws ConfigException {
        assertTrue(YamlDoc.parse("f.yaml", "# nothing\n").isNull());
    }
}
