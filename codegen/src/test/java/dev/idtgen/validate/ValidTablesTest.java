package dev.idtgen.validate;

import dev.idtgen.model.Entry;
import dev.idtgen.model.GateTable;
import dev.idtgen.model.Kind;
import dev.idtgen.model.Problem;
import dev.idtgen.model.VectorTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real vectors.yaml and the tables under resources/valid/ validate without a problem. */
class ValidTablesTest {

    static final Path VALID = Path.of("codegen", "src", "test", "resources", "valid");

    private static VectorTable clean(Path file) {
        Tables.Checked c = Tables.read(file);
        assertEquals("", c.problems().stream().map(Problem::toString).collect(Collectors.joining("\n")),
                file + " has problems");
        assertTrue(c.ok());
        assertNotNull(c.table(), file + ": a clean check yields the table");
        return c.table();
    }

    @Test
    void realTableValidatesClean() {
        VectorTable t = clean(Path.of("vectors.yaml"));
        assertEquals(59, t.entries().size(), "entries");
        assertEquals(58, t.entries().stream().filter(e -> e.kind() != Kind.EXTERNAL).count(),
                "entries that are not kind external");
        assertEquals(44, t.gates().values().stream().mapToInt(List::size).sum(), "gates");
        assertEquals(Map.of(GateTable.EARLY, 4, GateTable.DEF, 23, GateTable.APIC, 16, GateTable.EARLY_PF, 1),
                t.gates().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())));
        assertEquals(2, t.stubArrays().size(), "stub arrays");
        for (String s : List.of("FIRST_EXTERNAL_VECTOR", "FIRST_SYSTEM_VECTOR", "NR_VECTORS")) {
            assertTrue(t.symbols().containsKey(s), s);
        }
    }

    @Test
    void realTableKeepsItsEntryOrder() {
        VectorTable t = clean(Path.of("vectors.yaml"));
        List<String> handlers = t.entries().stream().map(Entry::handler).toList();
        assertEquals("exc_divide_error", handlers.get(0));
        assertEquals("entry_INT80_32", handlers.get(handlers.size() - 1));
    }

    static List<Path> validTables() throws IOException {
        try (Stream<Path> s = Files.list(VALID)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void validFolderHoldsTables() throws IOException {
        assertTrue(validTables().size() >= 5, "too few tables in " + VALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validTables")
    void validTableValidatesClean(Path file) {
        clean(file);
    }
}
