package dev.idtgen.report;

import dev.idtgen.edit.TableDiff;
import java.util.Optional;

import dev.idtgen.boot.TestResult;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.model.Entry;
import dev.idtgen.model.VectorTable;
import dev.idtgen.boot.Ktap;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-vector verdicts: every entry of the table, on every architecture, on
 * both kernels. A test point belongs to the entry whose handler its name
 * starts with; an entry that no test point covers is skipped with the reason
 * from qemu-tests/untestable.yaml, or UNTESTED when there is none (a vector
 * the user's edit changes: FAIL, saying what to add).
 */
public final class Verdicts {

    /**
     * The verdict of one entry on one kernel. TIMEOUT: a hang detector fired on a test of it (or on the program
     * that should have tested it) and nothing failed: its own outcome, never a FAIL.
     */
    public enum Verdict { PASS, FAIL, SKIP, NOT_BUILT, UNTESTED, TIMEOUT }

    /** One cell: a verdict and why (the cases, or the reason). */
    public record Cell(Verdict verdict, String detail, List<TestResult> results) {
    }

    /**
     * One row: an entry and its cells per (arch, variant), and how the user's edit of the table changes it (empty
     * for a vector the edit leaves as upstream has it).
     */
    public record Row(Entry entry, Map<Arch, Map<Variant, Cell>> cells, Optional<TableDiff.VectorChange> change) {

        public Row(Entry entry, Map<Arch, Map<Variant, Cell>> cells) {
            this(entry, cells, Optional.empty());
        }

        public Cell cell(Arch a, Variant v) {
            Map<Variant, Cell> m = cells.get(a);
            return m == null ? null : m.get(v);
        }

        /** Whether the edit removes this vector: the generated kernel is judged by its freed number. */
        public boolean removed() {
            return change.filter(c -> c.how() == TableDiff.How.REMOVED).isPresent();
        }

        /** Whether the edit changes this vector: it is judged on the generated kernel alone. */
        public boolean changed() {
            return change.isPresent();
        }

        /**
         * True when both kernels got the same verdict on every architecture, or when the edit changes the vector
         * (stock keeps upstream's vector, the generated kernel the edited one: they are not meant to agree).
         */
        public boolean agree() {
            if (changed()) {
                return true;
            }
            for (Map<Variant, Cell> m : cells.values()) {
                Cell s = m.get(Variant.STOCK);
                Cell g = m.get(Variant.GENERATED);
                if (s != null && g != null && s.verdict() != g.verdict()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** What one kernel was tested with: its results and the entries it has compiled in. */
    public record Run(Arch arch, Variant variant, List<TestResult> results, Set<String> compiledIn) {
    }

    private Verdicts() {
    }

    /** One row per entry of the table, in table order (entries sharing a handler share a row). */
    public static List<Row> rows(VectorTable t, List<Run> runs, Map<String, String> untestable) {
        return rows(t, new TableDiff(List.of()), runs, untestable);
    }

    /**
     * As {@link #rows(VectorTable, List, Map)} for an edited table {@code t}: a vector the edit changes is marked,
     * and also judged by the gate audit of its slot and the int $n sweep of its number (what the table now says of
     * its gate, checked in the kernel, and user space's reach).
     */
    public static List<Row> rows(VectorTable t, TableDiff diff, List<Run> runs, Map<String, String> untestable) {
        return rows(t, t, diff, runs, untestable);
    }

    /**
     * As {@link #rows(VectorTable, TableDiff, List, Map)}, with a row for each vector the edit removes from
     * {@code reference} (the stock kernel's own table) after the edited table's: the stock kernel judged as any
     * other, the generated one by its test points of the freed number (the audit of its slot, its delivery case,
     * the sweep), which must show the number as the edited table leaves it.
     */
    public static List<Row> rows(VectorTable t, VectorTable reference, TableDiff diff, List<Run> runs,
                                 Map<String, String> untestable) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Entry e : t.entries()) {
            rows.computeIfAbsent(e.handler(), h -> new Row(e, new EnumMap<>(Arch.class), diff.of(h)));
        }
        for (Entry e : reference.entries()) {
            diff.of(e.handler()).filter(c -> c.how() == TableDiff.How.REMOVED && !rows.containsKey(e.handler()))
                    .ifPresent(c -> rows.put(e.handler(), new Row(e, new EnumMap<>(Arch.class), Optional.of(c))));
        }

        for (Run run : runs) {
            List<String> timedOut = run.results().stream().filter(r -> r.status() == Ktap.Status.TIMEOUT)
                    .map(r -> r.unit().id()).distinct().toList();
            for (Row row : rows.values()) {
                String h = row.entry().handler();
                List<TestResult> mine = new ArrayList<>();
                for (TestResult r : run.results()) {
                    if (r.isAbout(h) || row.changed()
                            && dev.idtgen.edit.EditedTests.aboutNumber(r.name(), row.entry().number())) {
                        mine.add(r);
                    }
                }
                Cell c;
                if (row.removed() && run.variant() == Variant.GENERATED) {
                    c = removed(mine);
                } else if (!run.compiledIn().contains(h)) {
                    c = new Cell(Verdict.NOT_BUILT, "not compiled into this kernel", mine);
                } else if (mine.stream().anyMatch(r -> r.status() == Ktap.Status.FAIL)) {
                    c = new Cell(Verdict.FAIL, summary(mine), mine);
                } else if (mine.stream().anyMatch(r -> r.status() == Ktap.Status.TIMEOUT)) {
                    c = new Cell(Verdict.TIMEOUT, summary(mine), mine);
                } else if (mine.stream().anyMatch(r -> r.status() == Ktap.Status.PASS)) {
                    c = new Cell(Verdict.PASS, summary(mine), mine);
                } else if (!mine.isEmpty()) {
                    c = new Cell(Verdict.SKIP, mine.get(0).reason() + carried(mine), mine);
                } else if (untestable.containsKey(h)) {
                    c = new Cell(Verdict.SKIP, untestable.get(h), mine);
                } else if (!timedOut.isEmpty()) {
                    c = new Cell(Verdict.TIMEOUT, "no result: " + String.join(", ", timedOut)
                            + " timed out before reporting", mine);
                } else if (row.changed() && run.variant() == Variant.GENERATED) {
                    c = new Cell(Verdict.FAIL, dev.idtgen.edit.ProofAdvice.of(row.entry(), t), mine);
                } else {
                    c = new Cell(Verdict.UNTESTED, "no boot test covers it and no reason is given", mine);
                }
                row.cells().computeIfAbsent(run.arch(), a -> new EnumMap<>(Variant.class)).put(run.variant(), c);
            }
        }
        return new ArrayList<>(rows.values());
    }

    /** The generated kernel's cell of a removed vector: what its freed number's test points say. */
    private static Cell removed(List<TestResult> mine) {
        String what = "removed by the table" + (mine.isEmpty() ? "" : "; its number: " + summary(mine));
        if (mine.stream().anyMatch(r -> r.status() == Ktap.Status.FAIL)) {
            return new Cell(Verdict.FAIL, what, mine);
        }
        if (mine.stream().anyMatch(r -> r.status() == Ktap.Status.PASS)) {
            return new Cell(Verdict.PASS, what, mine);
        }
        return new Cell(Verdict.NOT_BUILT, what, mine);
    }

    private static String summary(List<TestResult> rs) {
        StringBuilder b = new StringBuilder();
        for (TestResult r : rs) {
            String c = r.name().contains(" ") ? r.name().substring(r.name().indexOf(' ') + 1) : r.name();
            b.append(b.length() == 0 ? "" : ", ").append(c).append(r.status() == Ktap.Status.PASS ? ""
                    : " " + r.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        return b + carried(rs);
    }

    /**
     * "; carried from ID" when every one of a cell's results was carried from a baseline, "; K of N carried from
     * ID" when some were, else empty: a carried verdict is never shown as freshly run.
     */
    static String carried(List<TestResult> rs) {
        java.util.Set<String> from = new java.util.TreeSet<>();
        int n = 0;
        for (TestResult r : rs) {
            if (r.isCarried()) {
                n++;
                from.add(r.carried());
            }
        }
        if (n == 0) {
            return "";
        }
        return "; " + (n == rs.size() ? "" : n + " of " + rs.size() + " ") + "carried from " + String.join(", ", from);
    }
}
