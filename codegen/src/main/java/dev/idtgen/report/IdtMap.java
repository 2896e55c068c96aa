package dev.idtgen.report;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.Ktap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IDT map of one booted kernel: its 256 vectors as the KUnit audit saw
 * them (each vector case logs what the live descriptor holds and what the
 * table expected, "idt 0xNN present=.. type=.. dpl=.. ist=.. seg=..
 * expected=TARGET table=TABLE"), with the audit's, the delivery test's and
 * the vector's entry verdicts.
 */
public final class IdtMap {

    /** What a vector holds, by the gate table or stub array its expected gate comes from. */
    public enum Kind {
        EXCEPTION("exception"), USER("user"), SYSTEM("system vector"), DEVICE("device interrupt"),
        SPURIOUS("spurious"), RESERVED("reserved"), ABSENT("not present"), UNKNOWN("no audit result");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public String css() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One vector: the live descriptor's fields (-1 when the audit logged none), the expected target and table,
     * and the verdicts ({@code null}: no such test for it); {@code delivery} is the in-kernel result: the
     * self-IPI's at 0x20-0xff, the kernel-mode raise's at 0x00-0x1f.
     */
    public record Cell(int vector, Kind kind, boolean present, int type, int dpl, int ist, String expected,
                       String table, TestResult audit, TestResult delivery, Verdicts.Cell entry, String handler) {

        /** The cell's verdict: a failure anywhere, else the audit's. */
        public String verdict() {
            if (failed(audit) || failed(delivery) || entry != null && entry.verdict() == Verdicts.Verdict.FAIL) {
                return "FAIL";
            }
            if (audit == null) {
                return "NONE";
            }
            return audit.status().name();
        }

        private static boolean failed(TestResult r) {
            return r != null && r.status() == Ktap.Status.FAIL;
        }
    }

    private static final Pattern IDT = Pattern.compile("idt 0x[0-9a-f]+ present=(\\d) type=(\\d+) dpl=(\\d) ist=(\\d)"
            + " seg=\\S+ expected=(\\S+) table=(\\S+)");

    private IdtMap() {
    }

    /**
     * The 256 cells of one kernel's run; {@code rows} are the entry verdicts of this kind of boot (a row's cell
     * of {@code run}'s arch and variant goes to the vector of its entry's number).
     */
    public static List<Cell> cells(Verdicts.Run run, List<Verdicts.Row> rows) {
        Map<Integer, TestResult> audit = byVector(run.results(), Coverage.AUDIT);
        Map<Integer, TestResult> delivery = byVector(run.results(), Coverage.DELIVERY);
        // the exceptions have no self-IPI: their in-kernel result is the kernel-mode raise
        byVector(run.results(), Coverage.ENTRY).forEach((v, r) -> {
            if (v < 32) {
                delivery.putIfAbsent(v, r);
            }
        });
        Map<Integer, Verdicts.Row> entries = new LinkedHashMap<>();
        for (Verdicts.Row r : rows) {
            Verdicts.Cell c = r.cell(run.arch(), run.variant());
            if (r.entry().number() != null && c != null && c.verdict() != Verdicts.Verdict.NOT_BUILT) {
                entries.putIfAbsent(r.entry().number(), r);
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int v = 0; v < 256; v++) {
            TestResult a = audit.get(v);
            Matcher m = a == null ? null : a.diagnostics().stream().map(IDT::matcher).filter(Matcher::find)
                    .findFirst().orElse(null);
            Verdicts.Row row = entries.get(v);
            Verdicts.Cell entry = row == null ? null : row.cell(run.arch(), run.variant());
            String handler = row == null ? "" : row.entry().handler();
            if (m == null) {
                cells.add(new Cell(v, Kind.UNKNOWN, false, -1, -1, -1, "", "", a, delivery.get(v), entry, handler));
                continue;
            }
            boolean present = m.group(1).equals("1");
            int dpl = Integer.parseInt(m.group(3));
            String table = m.group(6);
            cells.add(new Cell(v, kind(v, present, dpl, table), present, Integer.parseInt(m.group(2)), dpl,
                    Integer.parseInt(m.group(4)), m.group(5), table, a, delivery.get(v), entry, handler));
        }
        return cells;
    }

    static Kind kind(int vector, boolean present, int dpl, String table) {
        return switch (table) {
            case "-" -> present ? Kind.UNKNOWN : Kind.ABSENT;
            case "idt_setup_early_handler" -> Kind.RESERVED;
            case "irq_entries_start" -> Kind.DEVICE;
            case "spurious_entries_start" -> Kind.SPURIOUS;
            case "apic_idts" -> Kind.SYSTEM;
            default -> dpl == 3 ? Kind.USER : vector < 32 ? Kind.EXCEPTION : Kind.SYSTEM;
        };
    }

    private static Map<Integer, TestResult> byVector(List<TestResult> results, String prefix) {
        Map<Integer, TestResult> m = new LinkedHashMap<>();
        for (TestResult r : results) {
            if (r.name().startsWith(prefix + "0x")) {
                try {
                    m.putIfAbsent(Integer.parseInt(r.name().substring(prefix.length() + 2), 16), r);
                } catch (NumberFormatException e) {
                    // not a vector case
                }
            }
        }
        return m;
    }
}
