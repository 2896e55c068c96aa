package dev.idtgen.run;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;
import dev.idtgen.kernel.EntryComparator;
import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.Delivery;
import dev.idtgen.boot.BootSuite;
import dev.idtgen.boot.Scheduler;
import dev.idtgen.boot.Ktap;
import dev.idtgen.report.Coverage;
import dev.idtgen.report.HtmlReport;
import dev.idtgen.report.IdtMap;
import dev.idtgen.report.ReportWriter;
import dev.idtgen.report.Verdicts;

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

    /** The verdicts, the other suites, the stage's figures and where the reports went. */
    public record Result(List<Verdicts.Row> rows, List<ReportWriter.Suite> suites, List<BootSuite.Outcome> outcomes,
                         BootStage.Result stage, Path reports, ReportWriter.Fred fred, List<Coverage> coverage) {
        public double bootSeconds() {
            return stage.wallSeconds();
        }

        /** Failures: a FAIL or UNTESTED cell, stock and generated disagreeing, a failed suite result. */
        public List<String> failures() {
            List<String> f = new ArrayList<>(Outcomes.failures(rows, suites));
            Outcomes.failures(fred.rows(), List.of()).forEach(x -> f.add("FRED " + x));
            return f;
        }

        /** Timeouts: hang detectors that fired (their own outcome, never a FAIL). */
        public List<String> timeouts() {
            List<String> t = new ArrayList<>(Outcomes.timeouts(rows, suites));
            Outcomes.timeouts(fred.rows(), List.of()).forEach(x -> t.add("FRED " + x));
            return t;
        }

        /** Selftests whose result differs between the stock and the generated kernel of an arch. */
        public List<String> selftestDisagreements() {
            return Outcomes.selftestDisagreements(suites);
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
        return run(arches, profile, false);
    }

    /**
     * As {@link #run(List, Profile)}; {@code changed}: a change-aware run, which boots only what changed since
     * each kernel's baseline (plus the always-run set) and carries the other results from it, marked.
     */
    public Result run(List<Arch> arches, Profile profile, boolean changed) throws IOException, InterruptedException,
            Step.Failed {
        KernelBuilder kb = new KernelBuilder(ws, out);
        Map<Arch, Map<Variant, KernelBuilder.Build>> builds = new LinkedHashMap<>();
        for (Arch a : arches) {
            for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                KernelBuilder.Build b = kb.build(v, a, profile, generated);
                out.printf("kernel: %s %s/%s ready (%.1f s, %d objects compiled)%n", v.cliName(), a.yamlName(),
                        profile.cliName(), b.seconds(), b.compiled());
                builds.computeIfAbsent(a, x -> new LinkedHashMap<>()).put(v, b);
            }
        }
        BootSuite suite = new BootSuite(ws, table, BootPlan.load(ws.project().resolve(PLAN)), out);
        Path guests = suite.guests();
        List<BootSuite.Kernel> kernels = new ArrayList<>();
        for (Map<Variant, KernelBuilder.Build> m : builds.values()) {
            for (KernelBuilder.Build b : m.values()) {
                kernels.add(suite.kernel(b, guests));
            }
        }
        BochsPlan fred = BochsPlan.load(ws.project().resolve(BochsPlan.FILE));
        var unavailable = fred.unavailable(System.getenv());
        if (unavailable.isEmpty()) {
            suite.with(fred.backend(fred.home(System.getenv())));
        }
        for (Map<Variant, KernelBuilder.Build> m : builds.values()) {
            for (KernelBuilder.Build b : m.values()) {
                if (!fred.boots(ws.kernel(), b.arch(), profile)) {
                    continue;
                }
                if (unavailable.isPresent()) {
                    out.println("bochs: " + b.arch().yamlName() + "/" + profile.cliName() + " " + b.variant().cliName()
                            + ": FRED boots skipped: " + unavailable.get());
                    continue;
                }
                kernels.add(suite.fredKernel(b, guests));
            }
        }
        ChangeAware changes = new ChangeAware(ws, table, suite.plan(), out);
        List<ChangeAware.Decision> decisions = changes.compare(kernels);
        BootStage.JobSelection select = changed ? changes.selection(suite, decisions) : k -> {
            suite.carry(k, List.of());
            return suite.allJobs(k);
        };
        BootStage.Result stage = new BootStage(suite, Scheduler.forHost(), out).run(kernels,
                a -> identity(builds.get(a).get(Variant.STOCK), builds.get(a).get(Variant.GENERATED)), select);
        Result r = report(ws, table, stage, arches);
        if (r.failures().isEmpty() && r.timeouts().isEmpty()) {
            changes.keep(stage.outcomes());
        }
        return r;
    }

    /** Verdicts and reports from a stage's outcomes (also what {@code idtgen report} does from saved logs). */
    public static Result report(Workspace ws, VectorTable table, BootStage.Result stage, List<Arch> arches)
            throws IOException {
        return report(ws, table, stage, arches, true);
    }

    /** As {@link #report}, without writing the reports: the verdicts, failures and timeouts only. */
    public static Result assess(Workspace ws, VectorTable table, BootStage.Result stage, List<Arch> arches)
            throws IOException {
        return report(ws, table, stage, arches, false);
    }

    private static Result report(Workspace ws, VectorTable table, BootStage.Result stage, List<Arch> arches,
                                 boolean write) throws IOException {
        List<Verdicts.Run> runs = new ArrayList<>();
        List<Verdicts.Run> fredRuns = new ArrayList<>();
        List<ReportWriter.Suite> suites = new ArrayList<>();
        for (BootSuite.Outcome o : stage.outcomes()) {
            boolean viaFred = o.kernel().delivery() == Delivery.FRED;
            String prefix = viaFred ? "FRED " : "";
            (viaFred ? fredRuns : runs).add(new Verdicts.Run(o.arch(), o.variant(), o.results(), o.compiledIn()));
            suites.add(new ReportWriter.Suite(prefix + "gate sweep", o.arch(), o.variant(), o.named("sweep ")));
            suites.add(new ReportWriter.Suite(prefix + "IDT audit", o.arch(), o.variant(), o.named("idt_audit ")));
            suites.add(new ReportWriter.Suite(prefix + "IDT delivery", o.arch(), o.variant(),
                    o.named("idt_delivery ")));
            suites.add(new ReportWriter.Suite(prefix + "kernel-mode entry", o.arch(), o.variant(),
                    o.named("idt_entry ")));
            suites.add(new ReportWriter.Suite(prefix + "x86 selftests", o.arch(), o.variant(), o.named("selftest ")));
            suites.add(new ReportWriter.Suite(prefix + "harness", o.arch(), o.variant(), o.results().stream()
                    .filter(r -> r.name().endsWith(" harness") || r.name().startsWith("sysvec_reboot ")).toList()));
        }
        Map<String, String> untestable = untestable(ws);
        List<Verdicts.Row> rows = Verdicts.rows(table, runs, untestable);
        ReportWriter.Fred fred = fred(ws, table, fredRuns, untestable);
        List<Coverage> coverage = new ArrayList<>();
        List<HtmlReport.Grid> grids = new ArrayList<>();
        for (BootSuite.Outcome o : stage.outcomes()) {
            Verdicts.Run run = new Verdicts.Run(o.arch(), o.variant(), o.results(), o.compiledIn());
            String label = o.arch().yamlName() + "/" + o.kernel().profile().cliName() + " " + o.variant().cliName();
            if (o.kernel().delivery() == Delivery.FRED) {
                coverage.add(Coverage.of("FRED " + label, run, fred.rows()));
            } else {
                coverage.add(Coverage.of(label, run, rows));
                grids.add(new HtmlReport.Grid(label.replaceAll("[^A-Za-z0-9]+", "-"), label, IdtMap.cells(run, rows)));
            }
        }
        Path reports = ws.perKernel("reports");
        if (write) {
            ReportWriter.write(reports, rows, suites, arches, stage(stage, coverage), fred);
            Files.writeString(reports.resolve("report.html"), HtmlReport.html(ws.kernel(), grids, coverage),
                    StandardCharsets.UTF_8);
        }
        return new Result(rows, suites, stage.outcomes(), stage, reports, fred, coverage);
    }

    /**
     * The FRED column: the verdicts of the FRED boots (why a vector has none: Bochs' reason from
     * qemu-tests/bochs.yaml, else QEMU's, marked as such), or why there were no FRED boots.
     */
    static ReportWriter.Fred fred(Workspace ws, VectorTable table, List<Verdicts.Run> runs,
                                  Map<String, String> untestable) throws IOException {
        if (!table.fred()) {
            return ReportWriter.Fred.NONE;
        }
        BochsPlan plan = BochsPlan.load(ws.project().resolve(BochsPlan.FILE));
        if (runs.isEmpty()) {
            String why = plan.unavailable(System.getenv()).orElse("no FRED boot ran");
            return new ReportWriter.Fred(List.of(), "not executed: " + why);
        }
        Map<String, String> reasons = new LinkedHashMap<>();
        untestable.forEach((h, why) -> reasons.put(h, "not raised on Bochs; under QEMU: " + why));
        reasons.putAll(plan.untestable());
        return new ReportWriter.Fred(Verdicts.rows(table, runs, reasons), "");
    }

    static ReportWriter.Stage stage(BootStage.Result r, List<Coverage> coverage) {
        List<String> notes = r.notes().stream().map(DisagreementProtocol.Note::line).toList();
        List<String> ids = new ArrayList<>();
        r.identity().forEach((a, id) -> ids.add(a.yamlName() + ": entry code " + (id.identical()
                ? "proven identical" : "not proven identical") + " (" + id.detail() + ")"));
        return new ReportWriter.Stage(r.wallSeconds(), r.bootSeconds(), r.boots(), r.rerunWallSeconds(), notes, ids,
                coverage);
    }

    /** The boot plan, relative to the project. */
    public static final String PLAN = "qemu-tests/boots.yaml";

    /**
     * Whether stock and generated have byte-identical entry code: the same .config and no difference in
     * {@code kernel compare}'s symbol-by-symbol comparison of vmlinux.o.
     */
    public BootStage.Identity identity(KernelBuilder.Build stock, KernelBuilder.Build gen) throws IOException,
            InterruptedException {
        byte[] ca = Files.readAllBytes(stock.buildDir().resolve(".config"));
        byte[] cb = Files.readAllBytes(gen.buildDir().resolve(".config"));
        if (!java.util.Arrays.equals(ca, cb)) {
            return new BootStage.Identity(false, "the .config files differ");
        }
        EntryComparator.Report r = EntryComparator.compare(stock.buildDir().resolve("vmlinux.o"),
                gen.buildDir().resolve("vmlinux.o"), table);
        String detail = "kernel compare: " + r.symbolsCompared() + " symbols, " + r.differences().size()
                + " differences, the same .config";
        return new BootStage.Identity(r.differences().isEmpty() && r.symbolsCompared() > 0, detail
                + (r.differences().isEmpty() ? "" : "; first: " + r.differences().get(0)));
    }

    /** qemu-tests/untestable.yaml: handler to the reason no boot test can raise it (an empty file: none). */
    public static Map<String, String> untestable(Workspace ws) throws IOException {
        dev.idtgen.config.ConfigNode doc = dev.idtgen.config.YamlDoc.readAny(ws.project()
                .resolve("qemu-tests/untestable.yaml"));
        return doc.isNull() ? new LinkedHashMap<>() : doc.asMap().strings();
    }
}
