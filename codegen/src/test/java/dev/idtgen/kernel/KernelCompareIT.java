package dev.idtgen.kernel;

import dev.idtgen.cli.Main;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.idtgen.testsupport.EveryKernel;
import dev.idtgen.validate.Tables;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds stock and generated kernels of each kernel series (linux-source-6.1
 * and 6.12, the latter's full profile with FRED) and proves the entry code
 * equal, symbol by symbol, with objtool clean; then shows that
 * the comparison has teeth: altered (but valid) tables make it fail and
 * name the symbol. Slow: several kernel builds (ccache makes the second
 * variant of each configuration cheap).
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelCompareIT {

    /** The kernels the main job uses too, so `./idtgen run` and the tests share builds. */
    static final Path WORK = Path.of("work");
    /** Kernels built from altered tables live apart, so they never pollute the real ones. */
    static final Path NEGATIVE_WORK = Path.of("target", "it-negative-work");

    record Run(int exit, String out) {
    }

    static Run idtgen(String... args) {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw, true);
        int rc = Main.run(pw, pw, args);
        pw.flush();
        String s = sw.toString();
        System.out.println(s);
        return new Run(rc, s);
    }

    private static Run assertIdentical(String kernel, String arch, String profile) {
        Run r = idtgen("kernel", "compare", "--kernel", kernel, "--arch", arch, "--profile", profile, "--work",
                WORK.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("compare " + arch + "/" + profile + ": "), r.out());
        assertTrue(r.out().matches("(?s).*: \\d{3,} symbols compared, 0 differences, 0 objtool warnings only in generated.*"),
                r.out());
        assertTrue(r.out().contains("vmlinux: every allocated section is byte-identical"), r.out());
        return r;
    }

    /** Every kernel series of the table, tiny, both arches (the full profile: the newest series, below). */
    static List<Arguments> tinyKernels() throws Exception {
        List<Arguments> l = new java.util.ArrayList<>();
        for (String k : Tables.kernels(Path.of("vectors.yaml"))) {
            l.add(Arguments.of(k, "x86_64", "tiny"));
            l.add(Arguments.of(k, "i386", "tiny"));
        }
        return l;
    }

    @ParameterizedTest(name = "linux {0} {1}/{2} is identical")
    @MethodSource("tinyKernels")
    @Order(1)
    void isIdentical(String kernel, String arch, String profile) {
        assertIdentical(kernel, arch, profile);
    }

    /**
     * The full profile of the newest series (FullProfileIT's kernels), with CONFIG_X86_FRED: the generated FRED
     * dispatch (fred_hwexc, sysvec_table, ...) is compared too.
     */
    @Test
    @Order(8)
    void theNewestFullProfileWithFredIsIdentical() throws Exception {
        assertTrue(EveryKernel.table(EveryKernel.newestKernel()).table().fred(), "the newest series has FRED");
        Run r = assertIdentical(EveryKernel.newestKernel(), "x86_64", "full");
        // GCC compiles fred_hwexc(), fred_swexc() and fred_intx() as clones (fred_hwexc.constprop.0)
        for (String fred : new String[] {"fred_hwexc", "fred_swexc", "fred_intx", "sysvec_table",
                "fred_entry_from_user", "fred_entry_from_kernel", "fred_extint", "cpu_init_fred_rsps"}) {
            assertTrue(r.out().matches("(?s).*fred symbol " + fred + "(\\.[a-z0-9.]+)?: identical.*"),
                    fred + "\n" + r.out());
        }
        assertFalse(r.out().matches("(?s).*fred symbol \\S+: differs.*"), r.out());
    }

    /** Generates from vectors.yaml with replacements (from, to, from, to, ...) applied, into a fresh directory. */
    private static Path generateAltered(String name, String... fromTo) throws Exception {
        Path dir = NEGATIVE_WORK.resolve(name);
        Files.createDirectories(dir);
        String table = Files.readString(Path.of("vectors.yaml"), StandardCharsets.UTF_8);
        for (int i = 0; i < fromTo.length; i += 2) {
            assertTrue(table.contains(fromTo[i]), "the test's anchor is gone from vectors.yaml: " + fromTo[i]);
            table = table.replace(fromTo[i], fromTo[i + 1]);
        }
        Path altered = dir.resolve("vectors.yaml");
        Files.writeString(altered, table, StandardCharsets.UTF_8);
        Run v = idtgen("validate", "--vectors", altered.toString());
        assertEquals(0, v.exit(), "the altered table must be valid, or the test proves nothing: " + v.out());
        Path out = dir.resolve("generated");
        Run g = idtgen("generate", "--vectors", altered.toString(), "--out", out.toString());
        assertEquals(0, g.exit(), g.out());
        return out;
    }

    @Test
    @Order(4)
    void reorderedStubsAreCaught() throws Exception {
        String overflow = "  - {handler: exc_overflow, vector: X86_TRAP_OF, number: 4, kind: plain, error_code: none,"
                + " arches: [x86_64, i386], fred: {routes: [swexc, intx]}}\n";
        String bounds = "  - {handler: exc_bounds, vector: X86_TRAP_BR, number: 5, kind: plain, error_code: none,"
                + " arches: [x86_64, i386], fred: {routes: [hwexc]}}\n";
        Path gen = generateAltered("reordered", overflow + bounds, bounds + overflow);
        Run r = idtgen("kernel", "compare", "--arch", "x86_64", "--profile", "tiny", "--work",
                NEGATIVE_WORK.resolve("kernels").toString(), "--generated", gen.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("difference: asm_exc_overflow: at .entry.text+0x"), r.out());
        assertTrue(r.out().contains("difference: asm_exc_bounds: at .entry.text+0x"), r.out());
    }

    @Test
    @Order(5)
    void aUserCallableGateIsCaught() throws Exception {
        // FRED's INT n set follows the DPL 3 gates (fred-intx): #BR gets an intx route too, for a valid table
        Path gen = generateAltered("dpl3",
                "    - {handler: exc_bounds, type: interrupt}\n",
                "    - {handler: exc_bounds, type: system, dpl: 3, waive: {dpl3: \"negative test of compare\"}}\n",
                "arches: [x86_64, i386], fred: {routes: [hwexc]}}\n  - {handler: exc_device_not_available",
                "arches: [x86_64, i386], fred: {routes: [hwexc, intx]}}\n  - {handler: exc_device_not_available");
        Run r = idtgen("kernel", "compare", "--arch", "x86_64", "--profile", "tiny", "--work",
                NEGATIVE_WORK.resolve("kernels").toString(), "--generated", gen.toString());
        assertEquals(1, r.exit(), r.out());
        // per slot: the table, the vector (#BR, 5) and the field
        assertTrue(r.out().contains("difference: def_idts[0x5]: differs (stock -> generated): dpl 0 -> 3"), r.out());
    }
}
