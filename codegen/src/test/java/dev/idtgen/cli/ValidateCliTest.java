package dev.idtgen.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes and output of {@code idtgen validate}: 0 ok, 1 problems, 2 usage error. */
class ValidateCliTest {

    private static final Path MALFORMED = Path.of("codegen", "src", "test", "resources", "malformed");

    /** The exit code and what the command printed. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out:\n" + out + "\n--- err:\n" + err;
        }
    }

    private static Run idtgen(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            exit = Main.run(o, e, args);
        }
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void realTableExitsZero() {
        Run r = idtgen("validate", "--vectors", "vectors.yaml");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("vectors.yaml [6.1]: 59 entries, 44 gates, 2 stub arrays: ok"), r.toString());
        assertTrue(r.out().contains("vectors.yaml [6.12]: 59 entries, 44 gates, 2 stub arrays: ok"), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void defaultTableIsVectorsYaml() {
        Run r = idtgen("validate");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s)(\\./)?vectors\\.yaml \\[6\\.1\\]: 59 entries, .*: ok\\R.*\\[6\\.12\\].*: ok\\R"),
                r.toString());
    }

    @Test
    void malformedTableExitsOneAndNamesFileLineColumn() {
        Path file = MALFORMED.resolve("62-dpl3-gp.yaml");
        Run r = idtgen("validate", "--vectors", file.toString());
        assertEquals(1, r.exit(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.toString());
        assertTrue(Pattern.matches(Pattern.quote(file.toString()) + ":14:60: dpl3: .+", lines.get(0)), r.toString());
        assertEquals("1 problem in " + file, lines.get(1));
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void everyProblemIsPrintedInOneRunInLineOrder() {
        Path file = MALFORMED.resolve("69-several-errors.yaml");
        Run r = idtgen("validate", "--vectors", file.toString());
        assertEquals(1, r.exit(), r.toString());
        List<String> lines = r.err().lines().toList();
        List<String> problems = lines.subList(0, lines.size() - 1);
        assertEquals(10, problems.size(), r.toString());
        assertEquals("10 problems in " + file, lines.get(lines.size() - 1));
        int last = 0;
        for (String p : problems) {
            assertTrue(p.matches(Pattern.quote(file.toString()) + ":\\d+:\\d+: [a-z0-9-]+: .+"), p);
            int line = Integer.parseInt(p.substring(file.toString().length() + 1).split(":")[0]);
            assertTrue(line >= last, "out of line order: " + p);
            last = line;
        }
    }

    @Test
    void yamlSyntaxErrorExitsOne() {
        Path file = MALFORMED.resolve("01-yaml-tab-indent.yaml");
        Run r = idtgen("validate", "--vectors", file.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().startsWith(file + ":6:1: yaml-syntax: "), r.toString());
    }

    @Test
    void missingFileExitsOne() {
        Path file = MALFORMED.resolve("no-such-table.yaml");
        Run r = idtgen("validate", "--vectors", file.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().startsWith(file + ": io: "), r.toString());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = idtgen("validate", "--no-such-option");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--no-such-option"), r.toString());
    }

    @Test
    void missingOptionValueIsAUsageError() {
        Run r = idtgen("validate", "--vectors");
        assertEquals(2, r.exit(), r.toString());
    }

    @Test
    void unknownSubcommandAndNoSubcommandAreUsageErrors() {
        assertEquals(2, idtgen("no-such-command").exit());
        assertEquals(2, idtgen().exit());
    }

    @Test
    void helpExitsZero() {
        Run top = idtgen("--help");
        assertEquals(0, top.exit(), top.toString());
        assertTrue(top.out().contains("validate"), top.toString());
        Run sub = idtgen("validate", "--help");
        assertEquals(0, sub.exit(), sub.toString());
        assertTrue(sub.out().contains("--vectors"), sub.toString());
        Run help = idtgen("help", "validate");
        assertEquals(0, help.exit(), help.toString());
    }

    @Test
    void runWithoutWritersUsesTheSameExitCodes() {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run("validate", "--vectors", "vectors.yaml"));
            assertEquals(1, Main.run("validate", "--vectors", MALFORMED.resolve("62-dpl3-gp.yaml").toString()));
            assertEquals(2, Main.run("validate", "--no-such-option"));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("59 entries"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("62-dpl3-gp.yaml:14:60: dpl3: "));
    }
}
