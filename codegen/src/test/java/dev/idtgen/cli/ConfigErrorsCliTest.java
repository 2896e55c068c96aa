package dev.idtgen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A malformed input file on the command line: its problem as file:line:column: rule: message, exit 1, no trace. */
class ConfigErrorsCliTest {

    record Run(int exit, String out, String err) {
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

    private static Path copyTemplates(Path dir) throws IOException {
        Path t = dir.resolve("templates");
        Files.createDirectories(t);
        try (Stream<Path> real = Files.list(Path.of("templates"))) {
            for (Path p : real.toList()) {
                Files.copy(p, t.resolve(p.getFileName().toString()));
            }
        }
        return t;
    }

    @Test
    void generateWithAnUnknownKeyInKernelsYamlExitsOne(@TempDir Path dir) throws IOException {
        Path templates = copyTemplates(dir);
        Path kernels = templates.resolve("kernels.yaml");
        Files.writeString(kernels, "\"6.1\":\n  outputs: {a.h: idtentry_defs.h.j2}\n  colour: red\n");
        Run r = idtgen("generate", "--vectors", "vectors.yaml", "--templates", templates.toString(),
                "--out", dir.resolve("out").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(kernels + ":3:3: unknown-key: unknown key 'colour' in 6.1 (allowed: features, outputs)\n",
                r.err().replace(System.lineSeparator(), "\n"));
        assertFalse(Files.exists(dir.resolve("out")), "nothing is generated");
    }

    @Test
    void lavaWithAWrongTypeInLavaYamlExitsOneWithoutATrace(@TempDir Path dir) throws IOException {
        Path lava = dir.resolve("qemu-tests/lava.yaml");
        Files.createDirectories(lava.getParent());
        Files.writeString(lava, Files.readString(Path.of("qemu-tests/lava.yaml"))
                .replaceFirst("(?m)^timeouts:\n  wall: 3", "timeouts:\n  wall: [3]"));
        int line = lineOf(lava, "  wall: [3]");
        Run r = idtgen("lava", "--vectors", "vectors.yaml", "--project", dir.toString(),
                "--work", dir.resolve("work").toString(), "--out", dir.resolve("jobs").toString());
        assertEquals(1, r.exit(), r.err());
        String err = r.err().replace(System.lineSeparator(), "\n");
        assertEquals(lava + ":" + line + ":9: wrong-type: timeouts.wall must be a number, not a list\n", err);
        assertTrue(!err.contains("Exception") && !err.contains("\tat "), err);
    }

    @Test
    void aConfigExceptionInsideAnotherIsFoundByTheHandler() {
        var p = new dev.idtgen.model.Problem(new dev.idtgen.model.Pos("f.yaml", 2, 3),
                dev.idtgen.model.Rule.MISSING_KEY, "the file has no 'x'");
        var inner = new dev.idtgen.config.ConfigException(p);
        assertEquals(inner, Main.configException(new RuntimeException(new IOException(inner))));
        assertEquals(null, Main.configException(new IOException("plain")));
        assertEquals("f.yaml:2:3: missing-key: the file has no 'x'", inner.getMessage());
    }

    private static int lineOf(Path file, String text) throws IOException {
        var lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(file + " has no line " + text);
    }
}
