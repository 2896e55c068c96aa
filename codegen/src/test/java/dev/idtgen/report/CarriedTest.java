package dev.idtgen.report;

import dev.idtgen.boot.TestResult;import dev.idtgen.boot.Unit;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.boot.Ktap;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A result a change-aware run carried from a baseline is marked as such wherever it is reported. */
class CarriedTest {

    private static final String ID = "2026-12-03T01:00:00Z 6.1 x86_64/tiny generated";

    private static List<TestResult> results() {
        List<TestResult> rs = new ArrayList<>();
        rs.add(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 1, "exc_divide_error idiv", Ktap.Status.PASS, "", List.of(), ID));
        rs.add(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 2, "exc_bounds bound", Ktap.Status.PASS, "", List.of()));
        rs.add(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 3, "exc_overflow into", Ktap.Status.PASS, "", List.of(), ID));
        rs.add(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 4, "exc_overflow int4", Ktap.Status.PASS, "", List.of()));
        rs.add(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 5, "exc_invalid_op ud2", Ktap.Status.SKIP, "not here", List.of(), ID));
        return rs;
    }

    private static List<Verdicts.Row> rows() throws Exception {
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"), List.of(), "6.1");
        VectorTable table = t.table();
        Set<String> in = Set.of("exc_divide_error", "exc_bounds", "exc_overflow", "exc_invalid_op");
        return Verdicts.rows(table, List.of(new Verdicts.Run(Arch.X86_64, Variant.GENERATED, results(), in)),
                java.util.Map.of());
    }

    private static Verdicts.Cell cell(List<Verdicts.Row> rows, String handler) {
        return rows.stream().filter(r -> r.entry().handler().equals(handler)).findFirst().orElseThrow()
                .cell(Arch.X86_64, Variant.GENERATED);
    }

    @Test
    void aVerdictSaysWhichOfItsResultsWereCarried() throws Exception {
        List<Verdicts.Row> rows = rows();
        assertEquals("idiv; carried from " + ID, cell(rows, "exc_divide_error").detail());
        assertEquals("bound", cell(rows, "exc_bounds").detail(), "a fresh result is not marked");
        assertEquals("into, int4; 1 of 2 carried from " + ID, cell(rows, "exc_overflow").detail());
        assertEquals("not here; carried from " + ID, cell(rows, "exc_invalid_op").detail());
    }

    @Test
    void junitMarksCarriedCasesAndOnlyThose() throws Exception {
        List<Verdicts.Row> rows = rows();
        String xml = ReportWriter.junit(rows, List.of(new ReportWriter.Suite("guest", Arch.X86_64, Variant.GENERATED,
                results())));
        String divide = xml.lines().filter(l -> l.contains("name=\"exc_divide_error\"")).findFirst().orElseThrow();
        assertTrue(divide.contains("<system-out>carried from " + ID), divide);
        String bounds = xml.lines().filter(l -> l.contains("name=\"exc_bounds\"")).findFirst().orElseThrow();
        assertFalse(bounds.contains("carried"), bounds);
        String bound = xml.lines().filter(l -> l.contains("name=\"exc_bounds bound\"")).findFirst().orElseThrow();
        assertFalse(bound.contains("carried"), bound);
        String ud2 = xml.lines().filter(l -> l.contains("name=\"exc_invalid_op ud2\"")).findFirst().orElseThrow();
        assertTrue(ud2.contains("<skipped") && ud2.contains("carried from"), ud2);
    }

    @Test
    void junitSaysWhereACreditedVariantsResultsCameFromAndNothingElseDoes() throws Exception {
        List<Verdicts.Row> rows = rows();
        String note = "identical image: booted once as stock, the result credited to generated (proof: p)";
        String xml = ReportWriter.junit(rows, List.of(new ReportWriter.Suite("guest", Arch.X86_64, Variant.GENERATED,
                results())), ReportWriter.Fred.NONE, java.util.Map.of(new ReportWriter.Credited(false, Arch.X86_64,
                Variant.GENERATED), note));
        String bounds = xml.lines().filter(l -> l.contains("name=\"exc_bounds\"")).findFirst().orElseThrow();
        assertTrue(bounds.contains("<system-out>" + note + "</system-out>"), bounds);
        String divide = xml.lines().filter(l -> l.contains("name=\"exc_divide_error\"")).findFirst().orElseThrow();
        assertTrue(divide.contains("<system-out>carried from " + ID) && divide.contains(note), divide);
        String bound = xml.lines().filter(l -> l.contains("name=\"exc_bounds bound\"")).findFirst().orElseThrow();
        assertTrue(bound.contains(note), "the suites' cases too: " + bound);
        String fred = ReportWriter.junit(rows, List.of(), ReportWriter.Fred.NONE, java.util.Map.of(
                new ReportWriter.Credited(true, Arch.X86_64, Variant.GENERATED), note));
        assertFalse(fred.contains(note), "a FRED credit is not the IDT boots'");
    }

    @Test
    void theCoverageLineCountsTheCarriedResults() {
        Coverage c = Coverage.of("x86_64/tiny generated", new Verdicts.Run(Arch.X86_64, Variant.GENERATED, results(),
                Set.of()), List.of());
        assertTrue(c.line().endsWith("; 3 of 5 results carried from " + ID + ", not run this time"), c.line());
        Coverage fresh = Coverage.of("x86_64/tiny generated", new Verdicts.Run(Arch.X86_64, Variant.GENERATED,
                results().stream().filter(r -> !r.isCarried()).toList(), Set.of()), List.of());
        assertFalse(fresh.line().contains("carried"), fresh.line());
    }

    @Test
    void carryingKeepsTheBaselineThatProducedTheResult() {
        TestResult r = results().get(0);
        assertEquals(ID, r.carriedFrom("a later baseline").carried());
        assertEquals("later", results().get(1).carriedFrom("later").carried());
        assertEquals(" (carried from " + ID + ")", r.carriedNote());
        assertEquals("", results().get(1).carriedNote());
    }
}
