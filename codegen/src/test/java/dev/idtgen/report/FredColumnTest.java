package dev.idtgen.report;

import dev.idtgen.boot.TestResult;
import dev.idtgen.model.Entry;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's FRED column: every vector of a FRED kernel says how FRED delivers it, never a silent gap. */
class FredColumnTest {

    private static Entry entry(VectorTable t, String handler) {
        return t.entries().stream().filter(e -> e.handler().equals(handler)).findFirst().orElseThrow();
    }

    @Test
    void everyX86_64EntryOf612HasAFredCellAnd61HasNone() {
        VectorTable t612 = Tables.read(Path.of("vectors.yaml"), List.of(), "6.12").table();
        assertTrue(t612.fred());
        for (Entry e : t612.entries()) {
            if (e.arches().contains(dev.idtgen.model.Arch.X86_64)) {
                String cell = ReportWriter.fredCell(e);
                assertTrue(cell.startsWith("none: ") || cell.endsWith("not executed (no FRED in QEMU 7.2 TCG)"),
                        e.handler() + ": " + cell);
            }
        }
        assertEquals("hwexc (generated); not executed (no FRED in QEMU 7.2 TCG)",
                ReportWriter.fredCell(entry(t612, "exc_divide_error")));
        assertEquals("hwexc (generated), priv_swexc (hand-written dispatch); not executed (no FRED in QEMU 7.2 TCG)",
                ReportWriter.fredCell(entry(t612, "exc_debug")));
        assertTrue(ReportWriter.fredCell(entry(t612, "exc_coproc_segment_overrun")).startsWith("none: vector 9"));

        VectorTable t61 = Tables.read(Path.of("vectors.yaml"), List.of(), "6.1").table();
        assertTrue(!t61.fred() && t61.entries().stream().allMatch(e -> e.fred() == null),
                "6.1 has no FRED: no entry carries routes");
    }

    @Test
    void theFredBootsVerdictsStandNextToTheRouteOrWhyThereAreNone() {
        VectorTable t = Tables.read(Path.of("vectors.yaml"), List.of(), "6.12").table();
        Entry de = entry(t, "exc_divide_error");
        java.util.Set<String> built = java.util.Set.of("exc_divide_error");
        List<TestResult> pass = List.of(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 1,
                "exc_divide_error idiv", dev.idtgen.boot.Ktap.Status.PASS, "", List.of()));
        List<TestResult> fail = List.of(new TestResult(dev.idtgen.boot.Unit.parse("traps-64"), 1,
                "exc_divide_error idiv", dev.idtgen.boot.Ktap.Status.FAIL, "", List.of("SIGSEGV, not SIGFPE")));
        var arch = dev.idtgen.model.Arch.X86_64;
        var rows = Verdicts.rows(t, List.of(
                new Verdicts.Run(arch, dev.idtgen.kernel.Variant.STOCK, pass, built),
                new Verdicts.Run(arch, dev.idtgen.kernel.Variant.GENERATED, pass, built)), java.util.Map.of());
        assertEquals("hwexc (generated); Bochs: PASS (idiv)",
                ReportWriter.fredCell(de, new ReportWriter.Fred(rows, "")));
        var differ = Verdicts.rows(t, List.of(
                new Verdicts.Run(arch, dev.idtgen.kernel.Variant.STOCK, pass, built),
                new Verdicts.Run(arch, dev.idtgen.kernel.Variant.GENERATED, fail, built)), java.util.Map.of());
        assertTrue(ReportWriter.fredCell(de, new ReportWriter.Fred(differ, "")).contains("generated **FAIL**"),
                ReportWriter.fredCell(de, new ReportWriter.Fred(differ, "")));
        assertEquals("hwexc (generated); not executed: IDTGEN_BOCHS is not set",
                ReportWriter.fredCell(de, new ReportWriter.Fred(List.of(), "not executed: IDTGEN_BOCHS is not set")));
        assertTrue(ReportWriter.fredCell(entry(t, "exc_coproc_segment_overrun"), new ReportWriter.Fred(rows, ""))
                .startsWith("none: vector 9"), "an exempt vector keeps its reason");
    }
}
