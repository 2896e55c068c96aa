package dev.idtgen.run;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;
import dev.idtgen.qemu.BootSuite;
import dev.idtgen.qemu.Ktap;
import dev.idtgen.report.ReportWriter;
import dev.idtgen.report.Verdicts;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main job after generation: builds stock and generated kernels for
 * every architecture (reusing what is built), boots each with the guest
 * tests, and turns the results into per-vector verdicts and reports.
 */
public final class MainJob {

    /** The verdicts, the other suites and where the reports went. */
    public record Result(List<Verdicts.Row> rows, List<ReportWriter.Suite> suites, List<BootSuite.Outcome> outcomes,
                         Path reports, double bootSeconds) {
        /** Failures: a FAIL or UNTESTED cell, stock and generated disagreeing, a failed suite result. */
        public List<String> failures() {
            List<String> f = new ArrayList<>();
            for (Verdicts.Row r : rows) {
                r.cells().forEach((a, m) -> m.forEach((v, c) -> {
                    if (c.verdict() == Verdicts.Verdict.FAIL || c.verdict() == Verdicts.Verdict.UNTESTED) {
                        f.add(r.entry().handler() + " " + a.yamlName() + " " + v.cliName() + ": " + c.verdict() + " "
                                + c.detail());
                    }
                }));
                if (!r.agree()) {
                    f.add(r.entry().handler() + ": stock and generated disagree");
                }
            }
            for (ReportWriter.Suite s : suites) {
                if (s.name().equals("x86 selftests")) {
                    continue; // some fail on the stock kernel under TCG: what counts is that both kernels agree
                }
                s.results().stream().filter(x -> x.status() == Ktap.Status.FAIL).forEach(x -> f.add(s.name() + " "
                        + s.arch().yamlName() + " " + s.variant().cliName() + ": " + x.name() + " "
                        + String.join("; ", x.diagnostics())));
            }
            f.addAll(selftestDisagreements());
            return f;
        }

        /** Selftests whose result differs between the stock and the generated kernel of an arch. */
        public List<String> selftestDisagreements() {
            List<String> f = new ArrayList<>();
            for (ReportWriter.Suite a : suites) {
                for (ReportWriter.Suite b : suites) {
                    if (!a.name().equals("x86 selftests") || !b.name().equals(a.name()) || a.arch() != b.arch()
                            || a.variant() != Variant.STOCK || b.variant() != Variant.GENERATED) {
                        continue;
                    }
                    Map<String, Ktap.Status> sa = new LinkedHashMap<>();
                    a.results().forEach(x -> sa.put(x.name(), x.status()));
                    Map<String, Ktap.Status> sb = new LinkedHashMap<>();
                    b.results().forEach(x -> sb.put(x.name(), x.status()));
                    if (!sa.equals(sb)) {
                        f.add("x86 selftests " + a.arch().yamlName() + ": stock " + sa + " but generated " + sb);
                    }
                }
            }
            return f;
        }
    }

    private final Workspace ws;
    private final VectorTable table;
    private final Path generated;
    private final PrintWriter out;

    public MainJob(Workspace ws, VectorTable table, Path generated, PrintWriter out) {
        this.ws = ws;
        this.table = table;
        this.generated = generated;
        this.out = out;
    }

    public Result run(List<Arch> arches, Profile profile) throws IOException, InterruptedException, Step.Failed {
        KernelBuilder kb = new KernelBuilder(ws, out);
        List<KernelBuilder.Build> builds = new ArrayList<>();
        for (Arch a : arches) {
            for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                KernelBuilder.Build b = kb.build(v, a, profile, generated);
                out.printf("kernel: %s %s/%s ready (%.1f s, %d objects compiled)%n", v.cliName(), a.yamlName(),
                        profile.cliName(), b.seconds(), b.compiled());
                builds.add(b);
            }
        }
        BootSuite boots = new BootSuite(ws, table, out);
        List<BootSuite.Outcome> outcomes = new ArrayList<>();
        long t0 = System.nanoTime();
        for (KernelBuilder.Build b : builds) {
            outcomes.add(boots.run(b));
        }
        double bootSeconds = (System.nanoTime() - t0) / 1e9;
        List<Verdicts.Run> runs = new ArrayList<>();
        List<ReportWriter.Suite> suites = new ArrayList<>();
        for (BootSuite.Outcome o : outcomes) {
            runs.add(new Verdicts.Run(o.arch(), o.variant(), o.results(), o.compiledIn()));
            suites.add(new ReportWriter.Suite("gate sweep", o.arch(), o.variant(), o.named("sweep ")));
            suites.add(new ReportWriter.Suite("x86 selftests", o.arch(), o.variant(), o.named("selftest ")));
            suites.add(new ReportWriter.Suite("harness", o.arch(), o.variant(), o.results().stream()
                    .filter(r -> r.name().endsWith(" harness")).toList()));
        }
        List<Verdicts.Row> rows = Verdicts.rows(table, runs, untestable());
        Path reports = ws.root().resolve("reports");
        ReportWriter.write(reports, rows, suites, arches);
        return new Result(rows, suites, outcomes, reports, bootSeconds);
    }

    /** qemu-tests/untestable.yaml: handler to the reason no boot test can raise it. */
    Map<String, String> untestable() throws IOException {
        Path f = ws.project().resolve("qemu-tests/untestable.yaml");
        Object o = new Load(LoadSettings.builder().setLabel(f.toString()).build())
                .loadFromString(Files.readString(f, StandardCharsets.UTF_8));
        Map<String, String> m = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        }
        return m;
    }
}
