package dev.idtgen.lava;

import dev.idtgen.boot.GuestPrograms;
import dev.idtgen.boot.Ktap;
import dev.idtgen.model.VectorTable;
import dev.idtgen.report.Verdicts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-vector verdicts of one kernel series' LAVA results through one delivery, judged as {@code run} judges its
 * boots, and what they mean for the exit code: 1 on a FAIL cell or a failed result (the kernel's own selftests
 * aside: they have a suite of their own), 3 when only a hang detector fired.
 */
public record LavaVerdicts(String name, List<Verdicts.Row> rows, List<LavaReport.LavaKernel> kernels) {

    /** The verdicts of {@code kernels} (one series, one delivery; {@code name}: SERIES or SERIES-fred). */
    public static LavaVerdicts judge(String name, VectorTable table, List<LavaReport.LavaKernel> kernels,
                                     Map<String, String> untestable) {
        return new LavaVerdicts(name, LavaReport.rows(table, kernels, untestable), kernels);
    }

    /** Failed results of a kernel, other than the selftests'. */
    public static long failed(LavaReport.LavaKernel k) {
        return k.results().stream().filter(x -> x.status() == Ktap.Status.FAIL
                && !x.unit().id().startsWith(GuestPrograms.SELFTEST)).count();
    }

    /** 1 on a FAIL cell or a failed result, 3 on a TIMEOUT cell only, else 0. */
    public int exitCode() {
        boolean timeout = false;
        for (Verdicts.Row r : rows) {
            for (var m : r.cells().values()) {
                for (var c : m.values()) {
                    if (c.verdict() == Verdicts.Verdict.FAIL) {
                        return 1;
                    }
                    timeout |= c.verdict() == Verdicts.Verdict.TIMEOUT;
                }
            }
        }
        if (kernels.stream().anyMatch(k -> failed(k) > 0)) {
            return 1;
        }
        return timeout ? 3 : 0;
    }

    /** The lines to print: the series, one row per vector with its cells, then each kernel's counts. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("lava: kernel " + name + ":");
        for (Verdicts.Row r : rows) {
            StringBuilder line = new StringBuilder(String.format("%-6s %-36s",
                    r.entry().number() == null ? "-" : String.format("0x%02x", r.entry().number()),
                    r.entry().handler()));
            r.cells().forEach((a, m) -> m.forEach((v, c) -> line.append(String.format(" %s/%s %s",
                    a.yamlName(), v.cliName(), c.verdict()))));
            out.add(line.toString());
        }
        for (LavaReport.LavaKernel k : kernels) {
            out.add(String.format("lava: %s: %d results, %d failed", k.id(), k.results().size(), failed(k)));
        }
        return out;
    }

    /** The JUnit XML of these verdicts. */
    public String junit() {
        return LavaReport.junit(rows, kernels);
    }
}
