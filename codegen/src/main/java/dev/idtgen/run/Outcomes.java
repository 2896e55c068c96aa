package dev.idtgen.run;

import dev.idtgen.kernel.Variant;
import dev.idtgen.boot.Ktap;
import dev.idtgen.report.ReportWriter;
import dev.idtgen.report.Verdicts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a run fail, and what makes it time out. A failure is a FAIL or
 * UNTESTED cell, a failed suite result, or stock and generated disagreeing
 * (after the disagreement protocol). A timeout is its own outcome: a hang
 * detector fired, on one kernel or both; it is listed apart and never
 * counted as a failure.
 */
final class Outcomes {

    private Outcomes() {
    }

    static List<String> failures(List<Verdicts.Row> rows, List<ReportWriter.Suite> suites) {
        List<String> f = new ArrayList<>();
        for (Verdicts.Row r : rows) {
            r.cells().forEach((a, m) -> m.forEach((v, c) -> {
                if (c.verdict() == Verdicts.Verdict.FAIL || c.verdict() == Verdicts.Verdict.UNTESTED) {
                    f.add(r.entry().handler() + " " + a.yamlName() + " " + v.cliName() + ": " + c.verdict() + " "
                            + c.detail());
                }
            }));
            if (!r.agree() && !involvesTimeout(r)) {
                f.add(r.entry().handler() + ": stock and generated disagree");
            }
        }
        for (ReportWriter.Suite s : suites) {
            if (s.name().endsWith("x86 selftests")) {
                continue; // some fail on the stock kernel under TCG: what counts is that both kernels agree
            }
            s.results().stream().filter(x -> x.status() == Ktap.Status.FAIL).forEach(x -> f.add(s.name() + " "
                    + s.arch().yamlName() + " " + s.variant().cliName() + ": " + x.name() + " "
                    + String.join("; ", x.diagnostics())));
        }
        selftestDiffs(suites).stream().filter(d -> !d.timeout()).map(SelftestDiff::text).forEach(f::add);
        return f;
    }

    static List<String> timeouts(List<Verdicts.Row> rows, List<ReportWriter.Suite> suites) {
        List<String> t = new ArrayList<>();
        for (Verdicts.Row r : rows) {
            r.cells().forEach((a, m) -> m.forEach((v, c) -> {
                if (c.verdict() == Verdicts.Verdict.TIMEOUT) {
                    t.add(r.entry().handler() + " " + a.yamlName() + " " + v.cliName() + ": " + c.detail());
                }
            }));
        }
        for (ReportWriter.Suite s : suites) {
            s.results().stream().filter(x -> x.status() == Ktap.Status.TIMEOUT).forEach(x -> t.add(s.name() + " "
                    + s.arch().yamlName() + " " + s.variant().cliName() + ": " + x.name() + ": " + x.reason()));
        }
        return t;
    }

    private static boolean involvesTimeout(Verdicts.Row r) {
        return r.cells().values().stream().flatMap(m -> m.values().stream())
                .anyMatch(c -> c.verdict() == Verdicts.Verdict.TIMEOUT);
    }

    /** A selftest whose result differs between the two kernels; a timeout on either side is not a failure. */
    record SelftestDiff(String text, boolean timeout) {
    }

    /** Selftests whose result differs between the stock and the generated kernel of an arch. */
    static List<String> selftestDisagreements(List<ReportWriter.Suite> suites) {
        return selftestDiffs(suites).stream().map(SelftestDiff::text).toList();
    }

    private static List<SelftestDiff> selftestDiffs(List<ReportWriter.Suite> suites) {
        List<SelftestDiff> f = new ArrayList<>();
        for (ReportWriter.Suite a : suites) {
            for (ReportWriter.Suite b : suites) {
                if (!a.name().endsWith("x86 selftests") || !b.name().equals(a.name()) || a.arch() != b.arch()
                        || a.variant() != Variant.STOCK || b.variant() != Variant.GENERATED) {
                    continue;
                }
                Map<String, Ktap.Status> sa = new LinkedHashMap<>();
                a.results().forEach(x -> sa.put(x.unit().id(), x.status()));
                Map<String, Ktap.Status> sb = new LinkedHashMap<>();
                b.results().forEach(x -> sb.put(x.unit().id(), x.status()));
                for (String k : union(sa, sb)) {
                    Ktap.Status x = sa.get(k);
                    Ktap.Status y = sb.get(k);
                    if (x != y) {
                        boolean timeout = x == Ktap.Status.TIMEOUT || y == Ktap.Status.TIMEOUT;
                        f.add(new SelftestDiff(a.name() + " " + a.arch().yamlName() + ": " + k + ": stock " + x
                                + ", generated " + y + (timeout ? " (a timeout: a hang detector fired, not a verdict)"
                                : ""), timeout));
                    }
                }
            }
        }
        return f;
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        List<String> u = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(u::add);
        return u;
    }
}
