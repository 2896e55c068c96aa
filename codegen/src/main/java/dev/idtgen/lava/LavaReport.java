package dev.idtgen.lava;

import dev.idtgen.kernel.Variant;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.qemu.BootSuite;
import dev.idtgen.qemu.Ktap;
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
    public record Kernel(String id, Arch arch, Variant variant, List<Ktap.Result> results,
                         java.util.Set<String> compiledIn) {
    }

    private LavaReport() {
    }

    /** Each kernel's results from its jobs' result files ({@code files}: job id to file). */
    public static List<Kernel> kernels(Path out, List<LavaJobs.Written> index, Map<String, Path> files)
            throws IOException {
        Map<String, Kernel> byKernel = new LinkedHashMap<>();
        for (LavaJobs.Written w : index) {
            Path f = files.get(w.id());
            if (f == null || w.qemuJob().isEmpty()) {
                continue;
            }
            String kid = LavaJobs.kernelId(w);
            Kernel k = byKernel.get(kid);
            if (k == null) {
                BootSuite.Kernel saved = BootSuite.loadKernel(out.resolve("kernels").resolve(kid));
                k = new Kernel(kid, saved.arch(), saved.variant(), new ArrayList<>(), saved.compiledIn());
                byKernel.put(kid, k);
            }
            k.results().addAll(LavaResults.read(f, w.programs()));
        }
        return new ArrayList<>(byKernel.values());
    }

    /** The verdict rows of one kernel series' kernels. */
    public static List<Verdicts.Row> rows(VectorTable table, List<Kernel> kernels, Map<String, String> untestable) {
        List<Verdicts.Run> runs = new ArrayList<>();
        for (Kernel k : kernels) {
            runs.add(new Verdicts.Run(k.arch(), k.variant(), k.results(), k.compiledIn()));
        }
        return Verdicts.rows(table, runs, untestable);
    }

    /** JUnit XML of the rows and each kernel's results as one suite. */
    public static String junit(List<Verdicts.Row> rows, List<Kernel> kernels) {
        List<ReportWriter.Suite> suites = new ArrayList<>();
        for (Kernel k : kernels) {
            suites.add(new ReportWriter.Suite("LAVA " + k.id(), k.arch(), k.variant(), k.results()));
        }
        return ReportWriter.junit(rows, suites);
    }
}
