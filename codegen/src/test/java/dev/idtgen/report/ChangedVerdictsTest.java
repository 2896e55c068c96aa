package dev.idtgen.report;

import dev.idtgen.boot.Ktap;
import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.Unit;
import dev.idtgen.edit.TableDiff;
import dev.idtgen.kernel.Variant;
import dev.idtgen.load.TableLoader;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vector the edit adds is judged on the generated kernel by its own test points (the audit of its slot, its
 * delivery case, the sweep of its number), and, with none, fails with what the user must add rather than
 * UNTESTED.
 */
class ChangedVerdictsTest {

    private static final Path SYSVEC = Path.of("qemu-tests", "fixtures", "system-vector", "overlay.yaml");

    /** The real table on 6.12 with {@code overlay} merged, and its diff against the table without it. */
    private static VectorTable edited(String overlay) throws Exception {
        VectorTable base = Tables.read(Path.of("vectors.yaml"), List.of(), "6.12").table();
        TableLoader.Loaded o = TableLoader.loadOverlay("overlay.yaml", overlay, base);
        assertTrue(o.ok(), () -> o.problems().toString());
        TableLoader.Loaded m = TableLoader.merge(base, o.table());
        assertTrue(m.ok(), () -> m.problems().toString());
        return m.table();
    }

    private static Verdicts.Cell cell(String overlay, String handler, List<TestResult> results) throws Exception {
        VectorTable base = Tables.read(Path.of("vectors.yaml"), List.of(), "6.12").table();
        VectorTable t = edited(overlay);
        List<Verdicts.Row> rows = Verdicts.rows(t, TableDiff.between(base, t),
                List.of(new Verdicts.Run(Arch.X86_64, Variant.GENERATED, results, Set.of(handler))), Map.of());
        Verdicts.Row row = rows.stream().filter(r -> r.entry().handler().equals(handler)).findFirst().orElseThrow();
        assertTrue(row.changed());
        return row.cell(Arch.X86_64, Variant.GENERATED);
    }

    private static TestResult result(String name, Ktap.Status s) {
        return new TestResult(Unit.parse("audit-64"), 1, name, s, "", List.of());
    }

    @Test
    void anAddedSystemVectorIsJudgedByItsAuditAndDeliveryCases() throws Exception {
        String overlay = Files.readString(SYSVEC);
        Verdicts.Cell c = cell(overlay, "sysvec_idtgen_demo", List.of(
                result("idt_audit vector_0xf5", Ktap.Status.PASS), result("idt_delivery deliver_0xf5", Ktap.Status.PASS),
                result("idt_delivery deliver_0xf6", Ktap.Status.FAIL)));
        assertEquals(Verdicts.Verdict.PASS, c.verdict(), c.detail());
        assertEquals("vector_0xf5, deliver_0xf5", c.detail());

        Verdicts.Cell failed = cell(overlay, "sysvec_idtgen_demo", List.of(
                result("idt_audit vector_0xf5", Ktap.Status.PASS),
                result("idt_delivery deliver_0xf5", Ktap.Status.FAIL)));
        assertEquals(Verdicts.Verdict.FAIL, failed.verdict(), "the handler sent no EOI: " + failed.detail());
    }

    @Test
    void aRemovedVectorHasARowAndItsFreedNumberJudgesTheGeneratedKernel() throws Exception {
        VectorTable base = Tables.read(Path.of("vectors.yaml"), List.of(), "6.12").table();
        VectorTable stock = edited(Files.readString(SYSVEC));
        List<TestResult> gen = List.of(result("idt_audit vector_0xf5", Ktap.Status.PASS),
                result("idt_delivery deliver_0xf5", Ktap.Status.PASS));
        List<TestResult> st = List.of(result("idt_audit vector_0xf5", Ktap.Status.PASS),
                result("sysvec_idtgen_demo count", Ktap.Status.PASS));
        List<Verdicts.Row> rows = Verdicts.rows(base, stock, TableDiff.between(stock, base), List.of(
                new Verdicts.Run(Arch.X86_64, Variant.STOCK, st, Set.of("sysvec_idtgen_demo")),
                new Verdicts.Run(Arch.X86_64, Variant.GENERATED, gen, Set.of())), Map.of());
        Verdicts.Row row = rows.stream().filter(r -> r.entry().handler().equals("sysvec_idtgen_demo")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for the removed vector"));
        assertTrue(row.removed() && row.changed());
        assertEquals(Verdicts.Verdict.PASS, row.cell(Arch.X86_64, Variant.STOCK).verdict());
        Verdicts.Cell g = row.cell(Arch.X86_64, Variant.GENERATED);
        assertEquals(Verdicts.Verdict.PASS, g.verdict());
        assertEquals("removed by the table; its number: vector_0xf5, deliver_0xf5", g.detail());
    }

    @Test
    void anAddedVectorNoTestReachesFailsSayingWhatToAdd() throws Exception {
        String overlay = """
                symbols:
                  IDTGEN_QUIET_VECTOR: 0x82
                entries:
                  - {handler: exc_idtgen_quiet, vector: IDTGEN_QUIET_VECTOR, number: 0x82, kind: plain, error_code: none, arches: [x86_64, i386], fred: {none: no event}}
                gates:
                  def:
                    - {handler: exc_idtgen_quiet, type: interrupt}
                """;
        Verdicts.Cell c = cell(overlay, "exc_idtgen_quiet", List.of(result("idt_audit vector_0x81", Ktap.Status.PASS)));
        assertEquals(Verdicts.Verdict.FAIL, c.verdict());
        assertTrue(c.detail().startsWith("no test reached 0x82 exc_idtgen_quiet, which the edit changes: its gates "
                + "have DPL 0"), c.detail());
        assertTrue(c.detail().contains("qemu-tests/untestable.yaml, e.g. `exc_idtgen_quiet: \""), c.detail());
        assertTrue(c.detail().contains("KTAP case names start with \"exc_idtgen_quiet \""), c.detail());
    }
}
