package dev.idtgen.edit;

import dev.idtgen.cli.Main;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
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
 * The recipes for changing the entry code through the table (README.md, qemu-tests/fixtures/README.md), run as a
 * user runs them: on a copy of the project, the recipe's files put where the recipe says, then {@code idtgen run
 * --kernel 6.12 --changed} (the launcher's command, with the copy as the project). Each must exit 0 with the changed vector judged PASS on the
 * generated kernel, reported as "changed by the table", and every other entry symbol and gate proven identical to
 * stock. In order: the stock kernel is the same in every recipe, so from the second on its results are carried from
 * the last recipe that passed (its gate sweep boots again), as they are for a user iterating on an edit.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
    void addADpl3SoftwareInterrupt() throws Exception {
        Path project = copyProject(Path.of("target", "it-recipes", "dpl3"));
        String output = runOverlayRecipe(project, FIXTURE);
        assertTrue(output.contains("0x81") && output.contains("exc_idtgen_demo"), tail(output));
        assertEquals(files(Path.of("generated", KERNEL)), files(project.resolve("generated").resolve(KERNEL)),
                "an overlay is not the table: the project's generated/ is left as the table makes it");
        String row = reportRow("0x81");
        assertTrue(row.contains("changed by the table") && row.contains("PASS"), "report row of 0x81: " + row);
    }

    static final Path SYSVEC = Path.of("qemu-tests", "fixtures", "system-vector").toAbsolutePath();

    /**
     * Add a system vector with its handler: the table fragment as an overlay (entry, APIC gate, FRED route), the
     * number's #define and the handler as the local series; no test code and no delivery.yaml line: the delivery
     * test proves it by the APIC (requested, then out of service by the handler's EOI), on QEMU through the IDT
     * and on Bochs through FRED's dispatch.
     */
    @Test
    @Order(2)
    void addASystemVector() throws Exception {
        String output = runOverlayRecipe(copyProject(Path.of("target", "it-recipes", "sysvec")), SYSVEC);
        assertTrue(output.contains("0xf5 sysvec_idtgen_demo: added"), tail(output));
        String row = reportRow("0xf5");
        assertTrue(row.contains("changed by the table") && row.contains("deliver_0xf5"), "report row of 0xf5: " + row);
        assertTrue(!row.contains("FAIL") && !row.contains("UNTESTED"), "report row of 0xf5: " + row);
    }

    /**
     * Move a system vector: IRQ_WORK_VECTOR from 0xf6 to the free 0xf5 in vectors.yaml (the symbol and the
     * entry's number), the kernel's #define in the local series. The delivery test's self-IPI at 0xf5 must count
     * in irq_work's own irq_stat count; 0xf6 falls back to the spurious stubs.
     */
    @Test
    @Order(4)
    void moveASystemVector() throws Exception {
        Path project = copyProject(Path.of("target", "it-recipes", "move"));
        copyInto(project, Path.of("qemu-tests", "fixtures", "move-vector").toAbsolutePath(), List.of());
        Path vectors = project.resolve("vectors.yaml");
        String text = Files.readString(vectors, StandardCharsets.UTF_8);
        for (String[] e : List.of(new String[] {"  IRQ_WORK_VECTOR: 0xf6\n", "  IRQ_WORK_VECTOR: 0xf5\n"},
                new String[] {"vector: IRQ_WORK_VECTOR, number: 0xf6,", "vector: IRQ_WORK_VECTOR, number: 0xf5,"})) {
            assertTrue(text.indexOf(e[0]) >= 0 && text.indexOf(e[0]) == text.lastIndexOf(e[0]), e[0]);
            text = text.replace(e[0], e[1]);
        }
        Files.writeString(vectors, text, StandardCharsets.UTF_8);

        String output = run(project, "--vectors", vectors.toString(), "--generated",
                project.resolve("generated").toString());
        assertTrue(output.contains("0xf6 -> 0xf5 sysvec_irq_work: number 0xf6 -> 0xf5"), tail(output));
        assertExplained(output);
        String row = reportRow("0xf5");
        assertTrue(row.contains("sysvec_irq_work") && row.contains("changed by the table")
                && row.contains("deliver_0xf5") && !row.contains("FAIL"), "report row of 0xf5: " + row);
    }

    /**
     * A mistake: the recipe's system vector with a handler that does nothing, not even the EOI. The run must fail
     * naming the vector, the handler and what it did not do.
     */
    @Test
    @Order(3)
    void aHandlerThatSendsNoEoiFailsNamingTheVector() throws Exception {
        Path project = copyProject(Path.of("target", "it-recipes", "no-eoi"));
        Path mistakes = Path.of("qemu-tests", "fixtures", "edit-mistakes").toAbsolutePath();
        copyInto(project, SYSVEC.resolve("patches"), List.of("series"));
        copyInto(project, mistakes, List.of());
        Path overlay = project.resolve("my-vector.yaml");
        Files.copy(SYSVEC.resolve("overlay.yaml"), overlay);

        Result r = runAllowingFailure(project, "--overlay", overlay.toString(), "--vectors",
                project.resolve("vectors.yaml").toString());
        assertEquals(1, r.rc(), "a handler that sends no EOI fails the run:\n" + tail(r.output()));
        assertTrue(r.output().lines().anyMatch(l -> l.startsWith("FAIL IDT delivery x86_64 generated: ")
                && l.contains("vector 0xf5 on CPU0: asm_sysvec_idtgen_demo sent no EOI: the vector stayed in service")),
                tail(r.output()));
        assertTrue(r.output().lines().anyMatch(l -> l.startsWith("FAIL sysvec_idtgen_demo i386 generated: ")),
                tail(r.output()));
        String row = reportRow("0xf5");
        assertTrue(row.contains("FAIL") && row.contains("deliver_0xf5"), "report row of 0xf5: " + row);
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
    @Order(5)
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
     * {@code idtgen run --kernel 6.12 --changed} on the copy {@code project} with {@code args}; requires exit 0 and
     * an edit of one vector, and returns what it printed.
     */
    static String run(Path project, String... args) {
        Result r = runAllowingFailure(project, args);
        assertEquals(0, r.rc(), "run exits 0:\n" + tail(r.output()));
        assertTrue(r.output().contains("edit: the table changes 1 vector(s)"), tail(r.output()));
        return r.output();
    }

    record Result(int rc, String output) {
    }

    /** {@code idtgen run --kernel 6.12 --changed} on the copy {@code project} with {@code args}: exit code, output. */
    static Result runAllowingFailure(Path project, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("run", "--kernel", KERNEL, "--changed", "--project",
                project.toString(), "--templates", project.resolve("templates").toString(), "--work",
                WORK.toString()));
        all.addAll(List.of(args));
        StringWriter o = new StringWriter();
        int rc = Main.run(new PrintWriter(o, true), new PrintWriter(o, true), all.toArray(String[]::new));
        String output = o.toString();
        System.out.println(output);
        return new Result(rc, output);
    }

    /**
     * An overlay recipe as the README gives it: the fixture's patches into the local series, its overlay as
     * my-vector.yaml, then run with it; requires exit 0 and the comparison explaining every difference.
     */
    static String runOverlayRecipe(Path project, Path fixture) throws IOException {
        copyInto(project, fixture.resolve("patches"), List.of());
        Path overlay = project.resolve("my-vector.yaml");
        Files.copy(fixture.resolve("overlay.yaml"), overlay);
        String output = run(project, "--overlay", overlay.toString(), "--vectors",
                project.resolve("vectors.yaml").toString());
        assertExplained(output);
        return output;
    }

    /** The files of {@code from} but {@code except}, copied into the copy's local series of 6.12. */
    static void copyInto(Path project, Path from, List<String> except) throws IOException {
        Path local = project.resolve("kernel-patch").resolve(KERNEL).resolve("local");
        Files.createDirectories(local);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (!except.contains(p.getFileName().toString())) {
                    Files.copy(p, local.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The row of vector {@code number} ("0xf5") in the last run's report.md. */
    static String reportRow(String number) throws IOException {
        String report = Files.readString(WORK.resolve("reports").resolve(KERNEL).resolve("report.md"),
                StandardCharsets.UTF_8);
        return report.lines().filter(l -> l.startsWith("| " + number + " |")).findFirst().orElse("");
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
