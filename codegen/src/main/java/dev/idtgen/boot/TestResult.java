package dev.idtgen.boot;

import java.util.List;

/**
 * One test point of one program. {@code carried}: empty for a result this run produced; else the id of the
 * baseline whose run produced it, for a result a change-aware run carried over instead of re-running it
 * (never to be shown as freshly run).
 */
public record TestResult(Unit unit, int number, String name, Ktap.Status status, String reason,
                         List<String> diagnostics, String carried) {
    public TestResult {
        carried = carried == null ? "" : carried;
    }

    /** A result of this run. */
    public TestResult(Unit unit, int number, String name, Ktap.Status status, String reason,
                      List<String> diagnostics) {
        this(unit, number, name, status, reason, diagnostics, "");
    }

    /**
     * True when this test point is about {@code handler}: the guest names a point after the entry it tests,
     * the handler alone or the handler and what it checks ({@code exc_int3 int3}). The one place a result is
     * attributed to an entry of the table.
     */
    public boolean isAbout(String handler) {
        return name.equals(handler) || name.startsWith(handler + " ");
    }

    /** The key that tells this result apart from the others of a kernel's run, with its occurrence. */
    public TestKey key(int occurrence) {
        return new TestKey(unit, name, occurrence);
    }

    /** The same result with another status and diagnostics (a judgement that overrides the guest's). */
    public TestResult judged(Ktap.Status newStatus, String newReason, List<String> newDiagnostics) {
        return new TestResult(unit, number, name, newStatus, newReason, newDiagnostics, carried);
    }

    public boolean isCarried() {
        return !carried.isEmpty();
    }

    /** This result carried from baseline {@code id} (a result already carried keeps its own baseline). */
    public TestResult carriedFrom(String id) {
        return isCarried() ? this : new TestResult(unit, number, name, status, reason, diagnostics, id);
    }

    /** " (carried from ID)" for a carried result, else empty: what every report appends to it. */
    public String carriedNote() {
        return isCarried() ? " (carried from " + carried + ")" : "";
    }
}
