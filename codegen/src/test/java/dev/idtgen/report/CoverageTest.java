package dev.idtgen.report;

import dev.idtgen.boot.TestResult;import dev.idtgen.boot.Unit;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.boot.Ktap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CoverageTest {

    private static TestResult r(String name, Ktap.Status s) {
        return new TestResult(dev.idtgen.boot.Unit.parse("audit-64"), 1, name, s, "", List.of());
    }

    @Test
    void countsTheAuditsVectorCasesAndTheDeliveries() {
        List<TestResult> rs = new ArrayList<>();
        for (int v = 0; v < 256; v++) {
            rs.add(r(String.format("idt_audit vector_0x%02x", v), v == 0x81 ? Ktap.Status.FAIL : Ktap.Status.PASS));
        }
        rs.add(r("idt_audit idt_loaded", Ktap.Status.PASS));
        for (int v = 0x20; v < 256; v++) {
            rs.add(r(String.format("idt_delivery deliver_0x%02x", v), v == 0xf8 ? Ktap.Status.SKIP
                    : Ktap.Status.PASS));
        }
        for (int v = 0; v < 32; v++) {
            rs.add(r(String.format("idt_entry raise_0x%02x", v), v == 1 ? Ktap.Status.FAIL
                    : v == 0 || v == 3 || v == 4 ? Ktap.Status.PASS : Ktap.Status.SKIP));
        }
        Coverage c = Coverage.of("x86_64/tiny stock", new Verdicts.Run(Arch.X86_64, Variant.STOCK, rs, Set.of()),
                List.of());
        assertEquals("vector coverage x86_64/tiny stock: 255/256 audited, 1 mismatch, 223 delivered (1 skipped),"
                + " 3 raised from kernel mode, 1 failed (28 skipped), 0 raised from user space", c.line());
    }

    @Test
    void aKernelWithoutTheAuditSaysSo() {
        Coverage c = Coverage.of("i386/tiny generated", new Verdicts.Run(Arch.I386, Variant.GENERATED, List.of(),
                Set.of()), List.of());
        assertEquals("vector coverage i386/tiny generated: not audited (no IDT audit results), delivery not tested,"
                + " 0 raised from user space", c.line());
    }
}
