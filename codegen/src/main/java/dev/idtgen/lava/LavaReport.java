package dev.idtgen.lava;

import dev.idtgen.boot.TestResult;
import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.BootStore;
import dev.idtgen.report.ReportWriter;
import dev.idtgen.report.Verdicts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LAVA jobs' results as the direct runner's per-vector verdicts: every
 * kernel's results gathered from its jobs, judged by {@link Verdicts} with
 * what the kernel has compiled in (its kernel.yaml under the jobs' directory).
 */
public final class LavaReport {

    /** One kernel's results through LAVA. */
    public record LavaKernel(String id, Arch arch, Variant variant, dev.idtgen.boot.Delivery delivery,
                         List<TestResult> results, java.util.Set<String> compiledIn) {
    }

    private LavaReport() {
    }

    /**
     * Each kernel's results from its jobs' result files ({@code files}: job id to file), the QEMU jobs' or, with
     * {@code board}, the board jobs' (their programs, and no console check).
     */
    public static List<LavaKernel> kernels(Path out, List<LavaIndex.Written> index, Map<String, Path> files,
                                       boolean board) throws IOException {
        Map<String, LavaKernel> byKernel = new LinkedHashMap<>();
        for (LavaIndex.Written w : index) {
            Path f = files.get(w.id());
            if (f == null || (board ? w.boardJob() : w.qemuJob()).isEmpty()) {
                continue;
            }
            String kid = LavaIndex.kernelId(w);
            LavaKernel k = byKernel.get(kid);
            if (k == null) {
                BootKernel saved = BootStore.loadKernel(out.resolve("kernels").resolve(kid));
                k = new LavaKernel(kid, saved.arch(), saved.variant(), saved.delivery(), new ArrayList<>(),
                        saved.compiledIn());
                byKernel.put(kid, k);
            }
            k.results().addAll(LavaResults.read(f, w.programs(board), board ? null : w.console()));
        }
        return new ArrayList<>(byKernel.values());
    }

    /** The verdict rows of one kernel series' kernels. */
    public static List<Verdicts.Row> rows(VectorTable table, List<LavaKernel> kernels, Map<String, String> untestable) {
        List<String> handlers = table.entries().stream().map(dev.idtgen.model.Entry::handler).distinct()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
        List<Verdicts.Run> runs = new ArrayList<>();
        for (LavaKernel k : kernels) {
            List<TestResult> named = new ArrayList<>();
            for (TestResult r : k.results()) {
                named.add(unslug(r, handlers));
            }
            runs.add(new Verdicts.Run(k.arch(), k.variant(), named, k.compiledIn()));
        }
        return Verdicts.rows(table, runs, untestable);
    }

    /**
     * A result whose name is LAVA's slug (a server's results without {@code extra.test_case_id}:
     * {@code exc_int3_int3}) named as the guest did ({@code exc_int3 int3}) when a handler of the table begins it,
     * so that it counts for that handler.
     */
    static TestResult unslug(TestResult r, List<String> handlers) {
        for (String h : handlers) {
            if (r.isAbout(h)) {
                return r;
            }
        }
        for (String h : handlers) {
            if (r.name().startsWith(h + "_")) {
                return new TestResult(r.unit(), r.number(), h + " " + r.name().substring(h.length() + 1),
                        r.status(), r.reason(), r.diagnostics(), r.carried());
            }
        }
        return r;
    }

    /** JUnit XML of the rows and each kernel's results as one suite. */
    public static String junit(List<Verdicts.Row> rows, List<LavaKernel> kernels) {
        List<ReportWriter.Suite> suites = new ArrayList<>();
        for (LavaKernel k : kernels) {
            suites.add(new ReportWriter.Suite("LAVA " + k.id(), k.arch(), k.variant(), k.results()));
        }
        return ReportWriter.junit(rows, suites);
    }
}
