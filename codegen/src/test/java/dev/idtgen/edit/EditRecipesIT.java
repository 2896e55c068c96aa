package dev.idtgen.edit;

import dev.idtgen.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's recipes for changing the entry code through the table, run as a user runs them: on a copy of the
 * project, the recipe's files put where the recipe says, then {@code idtgen run --kernel 6.12} (the launcher's
 * command, with the copy as the project). Each must exit 0 with the changed vector judged PASS on the generated
 * kernel, reported as "changed by the table", and every other entry symbol and gate proven identical to stock.
 */
@Tag("slow")
class EditRecipesIT {

    static final String KERNEL = "6.12";
    /** CustomVectorIT's work directory: the same generated tree (the demo vector's patch), built once. */
    static final Path WORK = Path.of("target", "it-custom-vector").toAbsolutePath();
    static final Path FIXTURE = Path.of("qemu-tests", "fixtures", "custom-vector").toAbsolutePath();

    /**
     * Add a DPL 3 software interrupt: the table fragment as an overlay, the handler's C code as the local series
     * kernel-patch/6.12/local, then run.
     */
    @Test
    void addADpl3SoftwareInterrupt() throws Exception {
        Path project = copyProject(Path.of("target", "it-recipes", "dpl3"));
        Path local = project.resolve("kernel-patch").resolve(KERNEL).resolve("local");
        Files.createDirectories(local);
        try (Stream<Path> s = Files.list(FIXTURE.resolve("patches"))) {
            for (Path p : s.toList()) {
                Files.copy(p, local.resolve(p.getFileName()));
            }
        }
        Path overlay = project.resolve("my-vector.yaml");
        Files.copy(FIXTURE.resolve("overlay.yaml"), overlay);

        String output = run(project, "--overlay", overlay.toString(), "--vectors",
                project.resolve("vectors.yaml").toString());
        assertTrue(output.contains("0x81") && output.contains("exc_idtgen_demo"), tail(output));
        assertExplained(output);
        assertEquals(files(Path.of("generated", KERNEL)), files(project.resolve("generated").resolve(KERNEL)),
                "an overlay is not the table: the project's generated/ is left as the table makes it");
        String report = Files.readString(WORK.resolve("reports").resolve(KERNEL).resolve("report.md"),
                StandardCharsets.UTF_8);
        String row = report.lines().filter(l -> l.startsWith("| 0x81 |")).findFirst().orElse("");
        assertTrue(row.contains("changed by the table") && row.contains("PASS"), "report row of 0x81: " + row);
    }

    /** The README's #BR recipe: the two lines of vectors.yaml it changes, before and after. */
    static final String BR_ENTRY = "  - {handler: exc_bounds, vector: X86_TRAP_BR, number: 5, kind: plain, "
            + "error_code: none, arches: [x86_64, i386], fred: {routes: [hwexc";
    static final String BR_GATE = "    - {handler: exc_bounds, type: interrupt}";
    static final String BR_GATE_DPL3 = "    - {handler: exc_bounds, type: system, dpl: 3, waive: {dpl3: \"int $5 "
            + "raises #BR from user space, as int $4 raises #OF\"}}";

    /**
     * Change an exception's gate: #BR's def_idts gate becomes a DPL 3 system gate (with the FRED route intx that
     * INT n from user space takes under FRED), a table-only edit: user space's int $5 now reaches exc_bounds.
     */
    @Test
    void makeAnExceptionCallableFromUserSpace() throws Exception {
        Path project = copyProject(Path.of("target", "it-recipes", "br-dpl3"));
        Path vectors = project.resolve("vectors.yaml");
        String text = Files.readString(vectors, StandardCharsets.UTF_8);
        assertTrue(text.contains(BR_ENTRY + "]}}") && text.contains(BR_GATE + "\n"), "the recipe's lines");
        Files.writeString(vectors, text.replace(BR_ENTRY + "]}}", BR_ENTRY + ", intx]}}")
                .replace(BR_GATE + "\n", BR_GATE_DPL3 + "\n"), StandardCharsets.UTF_8);

        String output = run(project, "--vectors", vectors.toString(), "--generated",
                project.resolve("generated").toString());
        assertTrue(output.contains("0x05 exc_bounds") && output.contains("DPL 0 -> 3"), tail(output));
        assertExplained(output);
        String report = Files.readString(WORK.resolve("reports").resolve(KERNEL).resolve("report.md"),
                StandardCharsets.UTF_8);
        String row = report.lines().filter(l -> l.startsWith("| 0x05 |")).findFirst().orElse("");
        assertTrue(row.contains("changed by the table") && row.contains("PASS"), "report row of 0x05: " + row);
        assertTrue(row.contains("int_5"), "the sweep's int $5 judges the changed gate: " + row);
    }

    /**
     * {@code idtgen run --kernel 6.12} on the copy {@code project} with {@code args}; requires exit 0 and an edit
     * of one vector, and returns what it printed.
     */
    static String run(Path project, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("run", "--kernel", KERNEL, "--project",
                project.toString(), "--templates", project.resolve("templates").toString(), "--work",
                WORK.toString()));
        all.addAll(List.of(args));
        StringWriter o = new StringWriter();
        int rc = Main.run(new PrintWriter(o, true), new PrintWriter(o, true), all.toArray(String[]::new));
        String output = o.toString();
        System.out.println(output);
        assertEquals(0, rc, "run exits 0:\n" + tail(output));
        assertTrue(output.contains("edit: the table changes 1 vector(s)"), tail(output));
        return output;
    }

    /** On both arches, kernel compare found the edit's changes and nothing else. */
    static void assertExplained(String output) {
        for (String arch : List.of("x86_64", "i386")) {
            String line = output.lines().filter(l -> l.startsWith("compare: " + arch + ": kernel compare: "))
                    .findFirst().orElse("");
            assertTrue(line.contains(" changed by the table") && line.endsWith(", nothing else differs"),
                    "the comparison explains every difference on " + arch + ": " + line);
        }
        assertTrue(!output.contains("NOT explained by the edit"), tail(output));
    }

    /** The project's input files (the table, templates, patches, tests and generated files) in {@code dir}. */
    static Path copyProject(Path dir) throws IOException {
        Path to = dir.toAbsolutePath();
        dev.idtgen.io.FileTrees.delete(to);
        for (String top : List.of("vectors.yaml", "templates", "kernel-patch", "qemu-tests", "generated")) {
            Path from = Path.of(top);
            try (Stream<Path> s = Files.walk(from)) {
                for (Path f : s.toList()) {
                    Path t = to.resolve(f.toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.createDirectories(t.getParent());
                        Files.copy(f, t);
                    }
                }
            }
        }
        return to;
    }

    /** Every file under {@code dir}, relative path to content. */
    static java.util.Map<String, String> files(Path dir) throws IOException {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return m;
    }

    private static String tail(String s) {
        List<String> l = s.lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - 60), l.size()));
    }
}
