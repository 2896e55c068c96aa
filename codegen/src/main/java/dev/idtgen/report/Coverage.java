package dev.idtgen.report;

import dev.idtgen.boot.TestResult;
import dev.idtgen.boot.Ktap;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one booted kernel's run verified of its 256 vectors: the IDT audit's
 * vector cases (the KUnit suite idtgen_idt, relayed as "idt_audit
 * vector_0xNN"), the in-kernel delivery cases when the kernel has them
 * ("idt_delivery deliver_0xNN"), the exceptions raised from kernel mode
 * ("idt_entry raise_0xNN"), and the vectors whose table entry passed a
 * test that the guest's user space raised (a row's PASS).
 *
 * @param label       ARCH/PROFILE VARIANT, with "FRED " before it for a FRED boot
 * @param audited     vector cases that passed
 * @param mismatches  vector cases that failed: a descriptor the table does not describe
 * @param auditCases  vector cases reported (256 when the suite ran whole)
 * @param delivered   delivery cases that passed
 * @param undelivered delivery cases that failed: a self-IPI that did not reach the table's handler
 * @param deliveryCases delivery cases reported (0: the kernel has no delivery test)
 * @param entered     kernel-mode entry cases that passed: the handler ran and saw the frame the CPU pushed
 * @param notEntered  kernel-mode entry cases that failed
 * @param entryCases  kernel-mode entry cases reported (0: the kernel has no entry test)
 * @param raised      distinct vector numbers of the entries that passed a guest test
 * @param carried     empty when every result was produced by this run; else how many were carried from which
 *                    baseline by a change-aware run ("N of M results carried from ID")
 */
public record Coverage(String label, int audited, int mismatches, int auditCases, int delivered, int undelivered,
                       int deliveryCases, int entered, int notEntered, int entryCases, int raised, String carried) {

    public static final String AUDIT = "idt_audit vector_";
    public static final String DELIVERY = "idt_delivery deliver_";
    public static final String ENTRY = "idt_entry raise_";

    /** The coverage of one kernel's run, {@code run}, whose entries' verdicts are in {@code rows}. */
    public static Coverage of(String label, Verdicts.Run run, List<Verdicts.Row> rows) {
        List<TestResult> audit = run.results().stream().filter(r -> r.name().startsWith(AUDIT)).toList();
        List<TestResult> delivery = run.results().stream().filter(r -> r.name().startsWith(DELIVERY)).toList();
        List<TestResult> entry = run.results().stream().filter(r -> r.name().startsWith(ENTRY)).toList();
        Set<Integer> raised = new TreeSet<>();
        for (Verdicts.Row r : rows) {
            Verdicts.Cell c = r.cell(run.arch(), run.variant());
            if (c != null && c.verdict() == Verdicts.Verdict.PASS && r.entry().number() != null) {
                raised.add(r.entry().number());
            }
        }
        return new Coverage(label, count(audit, Ktap.Status.PASS), count(audit, Ktap.Status.FAIL), audit.size(),
                count(delivery, Ktap.Status.PASS), count(delivery, Ktap.Status.FAIL), delivery.size(),
                count(entry, Ktap.Status.PASS), count(entry, Ktap.Status.FAIL), entry.size(), raised.size(),
                carried(run.results()));
    }

    /** "N of M results carried from ID[, ID...]", or empty when none was carried. */
    public static String carried(List<TestResult> results) {
        Set<String> from = new java.util.TreeSet<>();
        long n = 0;
        for (TestResult r : results) {
            if (r.isCarried()) {
                n++;
                from.add(r.carried());
            }
        }
        return n == 0 ? "" : n + " of " + results.size() + " results carried from " + String.join(", ", from);
    }

    private static int count(List<TestResult> rs, Ktap.Status s) {
        return (int) rs.stream().filter(r -> r.status() == s).count();
    }

    /** {@code vector coverage ARCH/PROFILE VARIANT: N/256 audited, ...}: what {@code run} prints. */
    public String line() {
        String audit = auditCases == 0 ? "not audited (no IDT audit results)"
                : audited + "/256 audited, " + mismatches + " mismatch" + (mismatches == 1 ? "" : "es")
                + (auditCases - audited - mismatches > 0 ? ", " + (auditCases - audited - mismatches) + " skipped"
                : "") + (auditCases < 256 ? ", " + (256 - auditCases) + " without a result" : "");
        int rest = deliveryCases - delivered - undelivered;
        String delivery = deliveryCases == 0 ? "delivery not tested" : delivered + " delivered"
                + (undelivered > 0 ? ", " + undelivered + " not delivered" : "")
                + (rest > 0 ? " (" + rest + " skipped)" : "");
        int skipped = entryCases - entered - notEntered;
        String entry = entryCases == 0 ? "" : entered + " raised from kernel mode"
                + (notEntered > 0 ? ", " + notEntered + " failed" : "")
                + (skipped > 0 ? " (" + skipped + " skipped)" : "") + ", ";
        return "vector coverage " + label + ": " + audit + ", " + delivery + ", " + entry + raised
                + " raised from user space" + (carried.isEmpty() ? "" : "; " + carried + ", not run this time");
    }
}
