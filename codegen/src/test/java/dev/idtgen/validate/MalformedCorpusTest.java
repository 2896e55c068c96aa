package dev.idtgen.validate;

import dev.idtgen.model.Problem;
import dev.idtgen.model.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every table of the malformed corpus (codegen/src/test/resources/malformed) through
 * {@link Tables#read} and compares the problems with the ones the file declares in its
 * leading comments:
 * <pre>
 *   # expect: LINE:COLUMN RULE
 *   # expect: LINE RULE                 (any column)
 *   # expect: LINE:COLUMN RULE ~ TEXT   (and the message contains TEXT)
 * </pre>
 * one line per expected problem. The problems reported must be exactly the expected ones,
 * no more and no fewer.
 */
class MalformedCorpusTest {

    static final Path CORPUS = Path.of("codegen", "src", "test", "resources", "malformed");

    private static final Pattern EXPECT = Pattern.compile(
            "#\\s*expect:\\s*(\\d+)(?::(\\d+))?\\s+([a-z0-9-]+)(?:\\s+~\\s+(.+?))?\\s*");
    private static final Pattern FORMAT = Pattern.compile("^.+:\\d+:\\d+: [a-z0-9-]+: .+$");

    /** The rule ids the loader and the validator can emit; each needs a corpus file. */
    static final Set<String> RULES = Set.of(
            // TableLoader
            "yaml-syntax", "unknown-key", "missing-key", "duplicate-key", "wrong-type", "bad-value",
            "c-identifier", "bad-condition", "unknown-kernel",
            // Validator
            "unknown-symbol", "vector-mismatch", "vector-range", "symbol-condition", "kind-arch",
            "kind-error-code", "error-code", "system-vector-range", "device-vector-range", "otherwise",
            "duplicate-handler", "duplicate-vector", "stub-target", "gate-table-arch", "gate-target",
            "gate-type", "dpl3", "ist-arch", "ist-kind", "ist-missing", "duplicate-gate", "waiver",
            // FredRules
            "fred-route", "fred-sysvec", "fred-fallback", "fred-intx", "fred-stack-level", "fred-guard");

    /** One {@code # expect:} line. */
    record Expected(int line, Integer column, String rule, String text) {
        boolean matches(Problem p) {
            return p.pos().line() == line && (column == null || p.pos().column() == column)
                    && p.rule().id().equals(rule) && (text == null || p.message().contains(text));
        }

        @Override
        public String toString() {
            return line + (column == null ? "" : ":" + column) + " " + rule + (text == null ? "" : " ~ " + text);
        }
    }

    static List<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static List<Expected> expectations(Path file) throws IOException {
        List<Expected> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.matches("#\\s*expect:.*")) {
                Matcher m = EXPECT.matcher(line);
                if (!m.matches()) {
                    fail(file + ": malformed expectation: " + line);
                }
                out.add(new Expected(Integer.parseInt(m.group(1)),
                        m.group(2) == null ? null : Integer.valueOf(m.group(2)), m.group(3), m.group(4)));
            }
        }
        return out;
    }

    @Test
    void corpusHasAtLeastThirtyTables() throws IOException {
        List<Path> files = corpus();
        assertTrue(files.size() >= 30, "only " + files.size() + " tables in " + CORPUS);
        for (Path f : files) {
            assertTrue(f.getFileName().toString().matches("\\d\\d-[a-z0-9-]+\\.yaml"),
                    f + " is not named NN-short-name.yaml");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reportsExactlyTheExpectedProblems(Path file) throws IOException {
        List<Expected> expected = expectations(file);
        assertFalse(expected.isEmpty(), file + " declares no '# expect:' line: every corpus table must");
        for (Expected e : expected) {
            assertTrue(RULES.contains(e.rule()), file + ": expects unknown rule " + e.rule());
        }

        // every kernel's projection: a problem that only one kernel has counts too
        java.util.Map<String, Tables.Checked> all = assertDoesNotThrow(() -> Tables.readAll(file, List.of(), null),
                file.toString());
        List<Problem> problems = Tables.problems(all);
        assertFalse(problems.isEmpty(), file + " validates clean");
        for (Tables.Checked checked : all.values()) {
            if (!checked.problems().isEmpty()) {
                assertNull(checked.table(), file + ": a table with problems is no table");
            }
        }

        String report = problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
        for (Problem p : problems) {
            String s = p.toString();
            assertTrue(s.startsWith(file + ":"), "does not start with the file: " + s);
            assertTrue(FORMAT.matcher(s).matches(), "not file:line:column: rule: message: " + s);
        }

        // in line order (the order of the file), every one in a single run
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt((Problem p) -> p.pos().line()).thenComparingInt(p -> p.pos().column()));
        assertEquals(sorted, problems, file + ": problems out of line order:" + report);

        // exact match: expectations with a column first, then those with any column
        List<Problem> left = new ArrayList<>(problems);
        List<Expected> missing = new ArrayList<>();
        List<Expected> ordered = new ArrayList<>(expected);
        ordered.sort(Comparator.comparing(e -> e.column() == null));
        for (Expected e : ordered) {
            Problem hit = left.stream().filter(e::matches).findFirst().orElse(null);
            if (hit == null) {
                missing.add(e);
            } else {
                left.remove(hit);
            }
        }
        if (!missing.isEmpty() || !left.isEmpty()) {
            fail(file + ":\n missing: " + missing + "\n unexpected: " + left.stream().map(Problem::toString)
                    .collect(Collectors.joining("\n             ")) + "\n reported:" + report);
        }
    }

    @Test
    void everyRuleHasACorpusTable() throws IOException {
        Set<String> covered = new TreeSet<>();
        for (Path f : corpus()) {
            expectations(f).forEach(e -> covered.add(e.rule()));
        }
        Set<String> uncovered = new TreeSet<>(RULES);
        uncovered.removeAll(covered);
        assertEquals(Set.of(), uncovered, "rules without a malformed table");
    }

    /** Guards {@link #RULES}: every rule of {@link Rule} but io (an unreadable file) is in it, and no other. */
    @Test
    void rulesListsEveryRule() {
        Set<String> ids = new TreeSet<>();
        for (Rule r : Rule.values()) {
            ids.add(r.id());
        }
        ids.remove("io");
        assertEquals(new TreeSet<>(RULES), ids, "the rules of Rule and of the corpus differ");
    }

    @Test
    void unreadableFileIsAProblemNotAnException() {
        Path missing = CORPUS.resolve("no-such-table.yaml");
        Tables.Checked c = assertDoesNotThrow(() -> Tables.read(missing));
        assertFalse(c.ok());
        assertEquals(1, c.problems().size());
        assertEquals("io", c.problems().get(0).rule().id());
        assertTrue(c.problems().get(0).toString().startsWith(missing.toString()));
    }

    @Test
    void deeplyNestedYamlIsASyntaxProblemNotACrash() {
        for (String text : List.of("note: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n",
                "note: " + "{a: ".repeat(100_000) + "}".repeat(100_000) + "\n")) {
            Tables.Checked c = assertDoesNotThrow(() -> Tables.check("deep.yaml", text));
            assertEquals(List.of("deep.yaml:1:1: yaml-syntax: the YAML nests too deeply to read"),
                    c.problems().stream().map(Problem::toString).toList());
        }
    }

    @Test
    void severalErrorsAreAllReportedInOneRun() throws IOException {
        for (String name : List.of("69-several-errors.yaml", "70-several-loader-errors.yaml")) {
            Path f = CORPUS.resolve(name);
            List<Problem> problems = Tables.read(f).problems();
            assertEquals(expectations(f).size(), problems.size(), name);
            assertTrue(problems.size() >= 8, name + " should hold many mistakes");
            Set<String> rules = problems.stream().map(p -> p.rule().id()).collect(Collectors.toSet());
            assertTrue(rules.size() >= 5, name + " should break several different rules: " + rules);
        }
    }
}
