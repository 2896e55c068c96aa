package dev.idtgen.boot;

import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FRED boot counts only with FRED active: a boot whose console lacks
 * qemu-tests/bochs.yaml's evidence line fails everything it reported, and the
 * chain's {@code fred_active harness} says why; an IDT boot needs no evidence.
 * Judged from strings: the boot's console and test stream, no files.
 */
class FredEvidenceTest {

    private static final List<String> STREAM = List.of(
            "# idtgen: begin traps-64",
            "KTAP version 1",
            "1..2",
            "ok 1 exc_divide_error idiv",
            "ok 2 exc_bounds bound # SKIP bound is invalid in 64-bit mode",
            "# idtgen: end traps-64 exit=0",
            "# idtgen: done");

    /** The judge of the project's boot plans (qemu-tests/boots.yaml, bochs.yaml), fed one boot from strings. */
    private static List<TestResult> results(Delivery d, String console) throws Exception {
        Backend fred = BochsPlan.load(Path.of(BochsPlan.FILE)).backend(null);
        BootPlan idt = BootPlan.load(Path.of("qemu-tests/boots.yaml"));
        Judge judge = new Judge(new JobPlanner(Map.of(Delivery.IDT, idt, Delivery.FRED, fred.plan())),
                Map.of(Delivery.FRED, fred.evidence()));
        Path dir = Path.of("unused");
        BootKernel k = new BootKernel("x86_64-tiny stock fred", Arch.X86_64, Variant.STOCK,
                Profile.TINY, dir.resolve("bzImage"), dir, Set.of("exc_divide_error"), List.of("traps-64"), dir, d);
        BootRecord r = new BootRecord(k.tag(), Arch.X86_64, Variant.STOCK, "fred", 0, 0, null, List.of("traps-64"),
                1, "wildcat_lake", 0, null, 5, 5, List.of(), Map.of(), dir.resolve("fred"));
        return judge.chain(k, List.of(new BootLog(r, console, STREAM)));
    }

    private static TestResult named(List<TestResult> rs, String name) {
        return rs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                name + " not in " + rs));
    }

    @Test
    void withTheEvidenceEverythingCountsAsReported() throws Exception {
        List<TestResult> rs = results(Delivery.FRED, "[    0.2] Initialize FRED on CPU0\n");
        assertEquals(Ktap.Status.PASS, named(rs, "exc_divide_error idiv").status());
        assertEquals(Ktap.Status.SKIP, named(rs, "exc_bounds bound").status());
        assertEquals(Ktap.Status.PASS, named(rs, "fred_active harness").status());
    }

    @Test
    void withoutItEveryPassIsAFailureAndTheHarnessSaysWhy() throws Exception {
        List<TestResult> rs = results(Delivery.FRED, "[    0.2] Linux version 6.12\n");
        TestResult de = named(rs, "exc_divide_error idiv");
        assertEquals(Ktap.Status.FAIL, de.status());
        assertTrue(String.join(" ", de.diagnostics()).contains("FRED was not active"), de.toString());
        assertEquals(Ktap.Status.SKIP, named(rs, "exc_bounds bound").status(), "a skip stays a skip");
        TestResult h = named(rs, "fred_active harness");
        assertEquals(Ktap.Status.FAIL, h.status());
        assertTrue(String.join(" ", h.diagnostics()).contains("Initialize FRED on CPU0"), h.toString());
    }

    @Test
    void anIdtBootNeedsNoEvidence() throws Exception {
        List<TestResult> rs = results(Delivery.IDT, "no FRED here\n");
        assertEquals(Ktap.Status.PASS, named(rs, "exc_divide_error idiv").status());
        assertTrue(rs.stream().noneMatch(r -> r.name().equals("fred_active harness")), rs.toString());
    }
}
