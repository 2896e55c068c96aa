package dev.idtgen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generate, check and list through the command line: exit codes, atomic and minimal writes, staleness. */
class GenerateCheckCliTest {

    record Run(int exit, String out, String err) {
    }

    static Run idtgen(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            exit = Main.run(o, e, args);
        }
        return new Run(exit, out.toString(), err.toString());
    }

    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        if (!Files.exists(dir)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p) + "@" + Files.getLastModifiedTime(p).toMillis(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void committedGeneratedTreeIsUpToDate() {
        Run r = idtgen("check", "--vectors", "vectors.yaml", "--templates", "templates", "--out", "generated");
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void generateMatchesTheCommittedTreeAndCheckCatchesAnyChangedByte(@TempDir Path out) throws IOException {
        Run g = idtgen("generate", "--vectors", "vectors.yaml", "--templates", "templates", "--out", out.toString());
        assertEquals(0, g.exit(), g.err());
        assertTrue(g.out().contains("13 files, 13 changed"), g.out());
        try (Stream<Path> s = Files.walk(Path.of("generated"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(out.resolve(Path.of("generated")
                        .relativize(p).toString())), p.toString());
            }
        }
        assertEquals(0, idtgen("check", "--out", out.toString(), "--vectors", "vectors.yaml", "--templates",
                "templates").exit());
        Path s64 = out.resolve("6.12/arch/x86/entry/idtentry_64.S");
        byte[] b = Files.readAllBytes(s64);
        for (int at : new int[] {0, b.length / 3, b.length - 1}) {
            byte[] c = b.clone();
            c[at] ^= 0x20;
            Files.write(s64, c);
            Run r = idtgen("check", "--out", out.toString(), "--vectors", "vectors.yaml", "--templates", "templates");
            assertEquals(1, r.exit(), "a changed byte at " + at + " must fail check");
            assertTrue(r.err().contains("idtentry_64.S: differs from line "), r.err());
            assertTrue(r.err().contains("1 generated file out of date"), r.err());
        }
        Files.delete(s64);
        Run r = idtgen("check", "--out", out.toString(), "--vectors", "vectors.yaml", "--templates", "templates");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("idtentry_64.S: missing"), r.err());
    }

    @Test
    void secondGenerateWritesNothingAndKeepsMtimes(@TempDir Path out) throws IOException {
        assertEquals(0, idtgen("generate", "--out", out.toString(), "--vectors", "vectors.yaml", "--templates",
                "templates").exit());
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
            }
        }
        Map<String, byte[]> before = snapshot(out);
        Run r = idtgen("generate", "--out", out.toString(), "--vectors", "vectors.yaml", "--templates", "templates");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("13 files, 0 changed"), r.out());
        Map<String, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet(), "names and mtimes");
    }

    @Test
    void malformedTableChangesNothingAndNamesTheProblem(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, idtgen("generate", "--out", out.toString(), "--vectors", "vectors.yaml", "--templates",
                "templates").exit());
        Map<String, byte[]> before = snapshot(out);
        String table = Files.readString(Path.of("vectors.yaml"), StandardCharsets.UTF_8);
        String bad = table.replace("{handler: exc_general_protection, vector: X86_TRAP_GP, number: 13, kind: errorcode,"
                + " error_code: cpu", "{handler: exc_general_protection, vector: X86_TRAP_GP, number: 13, kind: plain,"
                + " error_code: none");
        Path vec = dir.resolve("vectors.yaml");
        Files.writeString(vec, bad);
        int line = (int) table.substring(0, table.indexOf("handler: exc_general_protection")).lines().count();
        Run r = idtgen("generate", "--out", out.toString(), "--vectors", vec.toString(), "--templates", "templates");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(vec + ":" + line + ":"), r.err());
        assertTrue(r.err().contains(": error-code: "), r.err());
        assertEquals(before.keySet(), snapshot(out).keySet(), "nothing under the output directory changed");
        Run c = idtgen("check", "--out", out.toString(), "--vectors", vec.toString(), "--templates", "templates");
        assertEquals(1, c.exit());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, idtgen("generate", "--no-such-option").exit());
        assertEquals(2, idtgen("list", "--json", "extra").exit());
        assertEquals(2, idtgen("kernel", "build", "--arch", "arm64").exit());
        assertEquals(2, idtgen().exit());
        assertEquals(0, idtgen("check", "--help").exit());
        assertEquals(0, idtgen("kernel", "compare", "--help").exit());
    }

    @Test
    void listJsonHasEveryEntryWithItsGates() throws Exception {
        Run r = idtgen("list", "--json", "--vectors", "vectors.yaml");
        assertEquals(0, r.exit(), r.err());
        var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(61, rows.size(), "59 entries and 2 stub arrays");
        int gates = 0;
        for (var row : rows) {
            for (String k : new String[] {"vector", "name", "kind", "handler", "arches", "condition", "gates"}) {
                assertTrue(row.has(k), k + " in " + row);
            }
            for (var g : row.get("gates")) {
                for (String k : new String[] {"table", "type", "dpl", "ist"}) {
                    assertTrue(g.has(k), k + " in " + g);
                }
                gates++;
            }
        }
        var gp = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                .filter(x -> x.get("handler").asText().equals("exc_int3")).findFirst().orElseThrow();
        assertEquals(3, gp.get("vector").asInt());
        assertEquals("X86_TRAP_BP", gp.get("name").asText());
        assertEquals(1, gp.get("gates").size(), "SYSG in early_idts only");
        assertEquals("early", gp.get("gates").get(0).get("table").asText());
        assertEquals(3, gp.get("gates").get(0).get("dpl").asInt());
        assertTrue(gates >= 44, "every gate line appears");
        assertTrue(!rows.get(0).has("fred"), "6.1, the table's first kernel, has no FRED");
    }

    @Test
    void listJsonOf612CarriesTheFredRoutes() throws Exception {
        Run r = idtgen("list", "--json", "--vectors", "vectors.yaml", "--kernel", "6.12");
        assertEquals(0, r.exit(), r.err());
        var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        var db = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                .filter(x -> x.get("handler").asText().equals("exc_debug") && x.get("fred").isObject()).findFirst()
                .orElseThrow();
        assertEquals("[\"hwexc\",\"priv_swexc\"]", db.get("fred").get("routes").toString());
        assertEquals("fred_exc_debug", db.get("fred").get("call").asText());
        assertEquals(1, db.get("fred").get("stack_level").asInt());
        var mf = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                .filter(x -> x.get("handler").asText().equals("exc_coproc_segment_overrun")).findFirst().orElseThrow();
        assertTrue(mf.get("fred").get("none").asText().startsWith("vector 9"), mf.toString());
    }
}
