package dev.idtgen.report;

import dev.idtgen.boot.TestResult;import dev.idtgen.boot.Unit;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.boot.Ktap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {

    private static TestResult audit(int v, Ktap.Status s, String diag) {
        return new TestResult(dev.idtgen.boot.Unit.parse("audit-64"), v + 1, String.format("idt_audit vector_0x%02x", v), s, "",
                List.of(String.format("# vector_0x%02x: %s", v, diag)));
    }

    static List<TestResult> results() {
        List<TestResult> rs = new ArrayList<>();
        for (int v = 0; v < 256; v++) {
            String d;
            if (v == 3) {
                d = "idt 0x03 present=1 type=14 dpl=3 ist=0 seg=0x10 expected=asm_exc_int3 table=early_idts";
            } else if (v == 8) {
                d = "idt 0x08 present=1 type=14 dpl=0 ist=1 seg=0x10 expected=asm_exc_double_fault table=def_idts";
            } else if (v == 0x14) {
                d = "idt 0x14 present=1 type=14 dpl=0 ist=0 seg=0x10 expected=early_idt_handler_array"
                        + " table=idt_setup_early_handler";
            } else if (v >= 0x20 && v < 0xec) {
                d = String.format("idt 0x%02x present=1 type=14 dpl=0 ist=0 seg=0x10 expected=irq_entries_start"
                        + " table=irq_entries_start", v);
            } else {
                d = String.format("idt 0x%02x present=1 type=14 dpl=0 ist=0 seg=0x10 expected=<x>&\"y\""
                        + " table=apic_idts", v);
            }
            rs.add(audit(v, v == 0x81 ? Ktap.Status.FAIL : Ktap.Status.PASS, d));
        }
        rs.add(new TestResult(dev.idtgen.boot.Unit.parse("audit-64"), 300, "idt_delivery deliver_0x21", Ktap.Status.FAIL, "", List.of()));
        rs.add(new TestResult(dev.idtgen.boot.Unit.parse("audit-64"), 301, "idt_entry raise_0x01", Ktap.Status.FAIL, "", List.of()));
        return rs;
    }

    @Test
    void everyGridHas256CellsWithTheirKindVerdictAndMarks() {
        List<IdtMap.Cell> cells = IdtMap.cells(new Verdicts.Run(Arch.X86_64, Variant.STOCK, results(), Set.of()),
                List.of());
        String html = HtmlReport.html("6.1", List.of(new HtmlReport.Grid("x86_64-tiny-stock", "x86_64/tiny stock",
                cells)), List.of());
        Matcher m = Pattern.compile("<td class=\"([^\"]*)\" data-vector=\"(0x[0-9a-f]{2})\" data-verdict=\"(\\w+)\"")
                .matcher(html);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(m.group(2) + " " + m.group(3) + " " + m.group(1));
        }
        assertEquals(256, seen.size());
        assertEquals("0x03 PASS user v-pass dpl3", seen.get(3));
        assertEquals("0x08 PASS exception v-pass ist", seen.get(8));
        assertEquals("0x14 PASS reserved v-pass", seen.get(0x14));
        assertEquals("0x21 FAIL device v-fail", seen.get(0x21), "a failed delivery fails the cell");
        assertTrue(seen.get(0x01).startsWith("0x01 FAIL "), "a failed kernel-mode raise fails the cell");
        assertEquals("0x81 FAIL device v-fail", seen.get(0x81));
        assertEquals("0xfd PASS system v-pass", seen.get(0xfd));
        assertTrue(html.contains("id=\"x86_64-tiny-stock-0x81\""), "each cell's row is an anchor");
        assertTrue(html.contains("&lt;x&gt;&amp;&quot;y&quot;"), "escaped");
        assertFalse(html.contains("<x>"));
        assertFalse(html.matches("(?s).*(<script|https?://|src=).*"), "self-contained, no script");
    }
}
