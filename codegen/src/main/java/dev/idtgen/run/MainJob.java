package dev.idtgen.run;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;
import dev.idtgen.kernel.EntryComparator;
import dev.idtgen.kernel.ImageIdentity;
import dev.idtgen.boot.SharedImage;
import dev.idtgen.bochs.BochsPlan;
import dev.idtgen.boot.Delivery;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.KernelOutcome;
import dev.idtgen.boot.KernelTables;
import dev.idtgen.edit.Comparison;
import dev.idtgen.edit.EditedTests;
import dev.idtgen.edit.Edit;
import dev.idtgen.edit.Explained;
import dev.idtgen.boot.BootStore;
import dev.idtgen.boot.Scheduler;
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
    public record RunReport(List<Verdicts.Row> rows, List<ReportWriter.Suite> suites, List<KernelOutcome> outcomes,
                         BootStage.StageResult stage, Path reports, ReportWriter.Fred fred, List<Coverage> coverage,
                         List<Comparison> compared) {
        public double bootSeconds() {
            return stage.wallSeconds();
        }

        /** Failures: a FAIL or UNTESTED cell, stock and generated disagreeing, a failed suite result. */
        public List<String> failures() {
            List<String> f = new ArrayList<>(Outcomes.failures(rows, suites));
            Outcomes.failures(fred.rows(), List.of()).forEach(x -> f.add("FRED " + x));
            compared.forEach(c -> f.addAll(c.failures()));
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
    private final Edit edit;
    private final VectorTable table;
    private final Path generated;
    private final Map<String, String> env;
    private final PrintWriter out;

    /** {@code env}: the environment the CLI was started with (where Bochs is, the boot cores). */
    public MainJob(Workspace ws, VectorTable table, Path generated, Map<String, String> env, PrintWriter out) {
        this(ws, Edit.none(table, generated), generated, env, out);
    }

    /**
     * A run of an edited table: the stock kernel is built with {@code edit}'s stock files and judged by upstream's
     * own table, the generated kernel by the edited one; what the edit changes is proven to be all that differs.
     */
    public MainJob(Workspace ws, Edit edit, Path generated, Map<String, String> env, PrintWriter out) {
        this.ws = ws;
        this.edit = edit;
        this.table = edit.edited();
        this.generated = generated;
        this.env = Map.copyOf(env);
        this.out = out;
    }

    public RunReport run(List<Arch> arches, Profile profile) throws IOException, InterruptedException, Step.Failed {
        return run(arches, profile, false);
    }

    /**
     * As {@link #run(List, Profile)}; {@code changed}: a change-aware run, which boots only what changed since
     * each kernel's baseline (plus the always-run set) and carries the other results from it, marked.
     */
    public RunReport run(List<Arch> arches, Profile profile, boolean changed) throws IOException, InterruptedException,
            Step.Failed {
        KernelBuilder kb = new KernelBuilder(ws, out);
        Map<Arch, Map<Variant, KernelBuilder.Build>> builds = new LinkedHashMap<>();
        for (Arch a : arches) {
            for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                KernelBuilder.Build b = kb.build(v, a, profile, v == Variant.STOCK ? edit.stockGenerated() : generated);
                out.printf("kernel: %s %s/%s ready (%.1f s, %d objects compiled)%n", v.cliName(), a.yamlName(),
                        profile.cliName(), b.seconds(), b.compiled());
                builds.computeIfAbsent(a, x -> new LinkedHashMap<>()).put(v, b);
            }
        }
        List<KernelBuilder.Build> all = new ArrayList<>();
        builds.values().forEach(m -> all.addAll(m.values()));
        Map<Arch, ImageIdentity> images = ImageIdentity.byArch(all);
        images.forEach((a, id) -> out.printf("kernel: %s/%s stock and generated images %s%n", a.yamlName(),
                profile.cliName(), id.identical() ? "identical (" + id.proof() + "): one boot for both"
                        : "differ (" + id.proof() + "): both are booted"));
        Map<Arch, Comparison> compared = compare(builds);
        BootPipelines.Boots boots = BootPipelines.create(ws, new KernelTables(edit.reference(), table), env, out);
        BootPipeline suite = boots.pipeline();
        List<BootKernel> kernels = bootKernels(boots, builds, profile);
        ChangeAware changes = new ChangeAware(ws, table, suite.plan(), boots.fred().bochs(env), out);
        List<ChangeAware.Decision> decisions = changes.compare(kernels);
        BootStage.JobSelection select = changed ? changes.selection(suite, decisions) : k -> {
            BootStore.carry(k, List.of());
            return suite.planner().allJobs(k);
        };
        BootStage.StageResult stage = new BootStage(suite, Scheduler.forHost(env), out).run(kernels,
                a -> identity(compared.get(a), EditedTests.of(edit.diff())), select, shared(kernels, images));
        RunReport r = report(ws, edit, stage, arches, env, List.copyOf(compared.values()), true);
        if (r.failures().isEmpty() && r.timeouts().isEmpty()) {
            changes.keep(stage.outcomes());
        }
        return r;
    }

    /**
     * {@code kernel compare} of each architecture's stock and generated kernel, judged against the edit (a
     * difference at a vector the edit changes is "changed by the table", any other one a failure), printed.
     */
    private Map<Arch, Comparison> compare(Map<Arch, Map<Variant, KernelBuilder.Build>> builds) throws IOException,
            InterruptedException {
        Map<Arch, Comparison> all = new LinkedHashMap<>();
        for (var e : builds.entrySet()) {
            Comparison c = comparison(e.getKey(), e.getValue().get(Variant.STOCK), e.getValue().get(Variant.GENERATED));
            out.println("compare: " + c.line());
            c.changed().forEach(x -> out.println("  changed by the table: " + x));
            if (!c.moved().isEmpty()) {
                out.println("  " + c.movedLine());
            }
            c.unexplained().forEach(x -> out.println("  NOT explained by the edit: " + x));
            all.put(e.getKey(), c);
        }
        return all;
    }

    /** {@code kernel compare} of one architecture's kernels (nothing compared when their .config differ). */
    private Comparison comparison(Arch a, KernelBuilder.Build stock, KernelBuilder.Build gen) throws IOException,
            InterruptedException {
        if (!java.util.Arrays.equals(Files.readAllBytes(stock.buildDir().resolve(".config")),
                Files.readAllBytes(gen.buildDir().resolve(".config")))) {
            return new Comparison(a, 0, List.of(), List.of("the .config files differ"));
        }
        return Explained.classify(a, edit, EntryComparator.compare(stock.buildDir().resolve("vmlinux.o"),
                gen.buildDir().resolve("vmlinux.o"), table));
    }

    /** The kernels not booted because their image is identical to the stock kernel's of their arch. */
    public static List<SharedImage> shared(List<BootKernel> kernels, Map<Arch, ImageIdentity> images) {
        List<SharedImage> shared = new ArrayList<>();
        for (BootStage.Pair p : BootStage.pairs(kernels)) {
            ImageIdentity id = images.get(p.arch());
            if (id != null && id.identical()) {
                shared.add(new SharedImage(p.stock(), p.generated(), id.proof()));
            }
        }
        return shared;
    }

    /**
     * The kernels to boot: every build through the IDT, and through FRED where qemu-tests/bochs.yaml boots it
     * (skipped with the reason when there is no Bochs here).
     */
    private List<BootKernel> bootKernels(BootPipelines.Boots boots, Map<Arch, Map<Variant, KernelBuilder.Build>> builds,
                                         Profile profile) throws IOException, InterruptedException, Step.Failed {
        BootPipeline suite = boots.pipeline();
        Path guests = suite.guests();
        List<BootKernel> kernels = new ArrayList<>();
        for (Map<Variant, KernelBuilder.Build> m : builds.values()) {
            for (KernelBuilder.Build b : m.values()) {
                kernels.add(suite.kernels().kernel(b, guests));
            }
        }
        for (Map<Variant, KernelBuilder.Build> m : builds.values()) {
            for (KernelBuilder.Build b : m.values()) {
                if (!boots.fred().boots(ws.kernel(), b.arch(), profile)) {
                    continue;
                }
                if (boots.fredUnavailable().isPresent()) {
                    out.println("bochs: " + b.arch().yamlName() + "/" + profile.cliName() + " " + b.variant().cliName()
                            + ": FRED boots skipped: " + boots.fredUnavailable().get());
                    continue;
                }
                kernels.add(suite.kernels().fredKernel(b, guests));
            }
        }
        return kernels;
    }

    /** Verdicts and reports from a stage's outcomes (also what {@code idtgen report} does from saved logs). */
    public static RunReport report(Workspace ws, VectorTable table, BootStage.StageResult stage, List<Arch> arches,
                                Map<String, String> env) throws IOException {
        return report(ws, Edit.none(table, null), stage, arches, env, List.of(), true);
    }

    /** As {@link #report}, without writing the reports: the verdicts, failures and timeouts only. */
    public static RunReport assess(Workspace ws, VectorTable table, BootStage.StageResult stage, List<Arch> arches,
                                Map<String, String> env) throws IOException {
        return report(ws, Edit.none(table, null), stage, arches, env, List.of(), false);
    }

    private static RunReport report(Workspace ws, Edit edit, BootStage.StageResult stage, List<Arch> arches,
                                 Map<String, String> env, List<Comparison> compared, boolean write)
            throws IOException {
        VectorTable table = edit.edited();
        List<Verdicts.Run> runs = new ArrayList<>();
        List<Verdicts.Run> fredRuns = new ArrayList<>();
        List<ReportWriter.Suite> suites = new ArrayList<>();
        for (KernelOutcome o : stage.outcomes()) {
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
        List<Verdicts.Row> rows = Verdicts.rows(table, edit.reference(), edit.diff(), runs, untestable);
        ReportWriter.Fred fred = fred(ws, table, edit.diff(), fredRuns, untestable, env);
        List<Coverage> coverage = new ArrayList<>();
        List<HtmlReport.Grid> grids = new ArrayList<>();
        for (KernelOutcome o : stage.outcomes()) {
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
            ReportWriter.write(reports, rows, suites, arches, stage(stage, coverage, compared), fred);
            Files.writeString(reports.resolve("report.html"), HtmlReport.html(ws.kernel(), grids, coverage),
                    StandardCharsets.UTF_8);
        }
        return new RunReport(rows, suites, stage.outcomes(), stage, reports, fred, coverage, compared);
    }

    /**
     * The FRED column: the verdicts of the FRED boots (why a vector has none: Bochs' reason from
     * qemu-tests/bochs.yaml, else QEMU's, marked as such), or why there were no FRED boots.
     */
    static ReportWriter.Fred fred(Workspace ws, VectorTable table, dev.idtgen.edit.TableDiff diff, List<Verdicts.Run> runs,
                                  Map<String, String> untestable, Map<String, String> env) throws IOException {
        if (!table.fred()) {
            return ReportWriter.Fred.NONE;
        }
        BochsPlan plan = BochsPlan.load(ws.project().resolve(BochsPlan.FILE));
        if (runs.isEmpty()) {
            String why = plan.unavailable(env).orElse("no FRED boot ran");
            return new ReportWriter.Fred(List.of(), "not executed: " + why);
        }
        Map<String, String> reasons = new LinkedHashMap<>();
        untestable.forEach((h, why) -> reasons.put(h, "not raised on Bochs; under QEMU: " + why));
        reasons.putAll(plan.untestable());
        return new ReportWriter.Fred(Verdicts.rows(table, diff, runs, reasons), "");
    }

    static ReportWriter.Stage stage(BootStage.StageResult r, List<Coverage> coverage, List<Comparison> compared) {
        List<String> notes = r.notes().stream().map(DisagreementProtocol.Note::line).toList();
        List<String> ids = new ArrayList<>();
        for (Comparison c : compared) {
            ids.add(c.line());
            c.changed().forEach(x -> ids.add(c.arch().yamlName() + ": changed by the table: `" + x + "`"));
            if (!c.moved().isEmpty()) {
                ids.add(c.arch().yamlName() + ": " + c.movedLine());
            }
            c.unexplained().forEach(x -> ids.add(c.arch().yamlName() + ": **not explained by the edit**: `" + x
                    + "`"));
        }
        r.shared().forEach(s -> ids.add(s.line()));
        r.identity().forEach((a, id) -> ids.add(a.yamlName() + ": entry code " + (id.identical()
                ? "proven identical" : "not proven identical") + " (" + id.detail() + ")"));
        Map<ReportWriter.Credited, String> credited = new LinkedHashMap<>();
        for (SharedImage s : r.shared()) {
            credited.put(new ReportWriter.Credited(s.credited().delivery() == Delivery.FRED, s.credited().arch(),
                    s.credited().variant()), s.creditNote());
        }
        return new ReportWriter.Stage(r.wallSeconds(), r.bootSeconds(), r.boots(), r.rerunWallSeconds(), notes, ids,
                coverage, credited);
    }

    /** The boot plan, relative to the project. */
    public static final String PLAN = BootPipelines.PLAN;

    /**
     * Whether stock and generated have byte-identical entry code: the same .config and no difference in
     * {@code kernel compare}'s symbol-by-symbol comparison of vmlinux.o.
     */
    public BootStage.Identity identity(KernelBuilder.Build stock, KernelBuilder.Build gen) throws IOException,
            InterruptedException {
        return identity(comparison(stock.arch(), stock, gen), EditedTests.of(edit.diff()));
    }

    /**
     * The identity a comparison proves, for the disagreement protocol: something compared, and no difference the
     * table's edit does not explain. Without an edit that is byte-identical entry code. With one, the entry code is
     * identical outside the vectors the edit changes: a test that disagrees is re-run as on identical kernels, and
     * a difference the re-runs confirm still fails (an edit may change what a test sees; a flake must not fail
     * it).
     */
    static BootStage.Identity identity(Comparison c, EditedTests edited) {
        if (c.symbolsCompared() == 0) {
            return new BootStage.Identity(false, String.join("; ", c.unexplained()));
        }
        List<String> edit = new ArrayList<>(c.changed());
        edit.addAll(c.moved());
        if (!c.unexplained().isEmpty()) {
            return new BootStage.Identity(false, "kernel compare: " + c.symbolsCompared() + " symbols, "
                    + c.unexplained().size() + " difference(s) the table's edit does not explain; first: "
                    + c.unexplained().get(0));
        }
        return new BootStage.Identity(true, (edit.isEmpty() ? "" : "outside the table's edit: ") + "kernel compare: "
                + c.symbolsCompared() + " symbols, " + (edit.isEmpty() ? "0 differences"
                : edit.size() + " difference(s), each changed or moved by the edit") + ", the same .config", edited);
    }

    /** qemu-tests/untestable.yaml: handler to the reason no boot test can raise it (an empty file: none). */
    public static Map<String, String> untestable(Workspace ws) throws IOException {
        dev.idtgen.config.ConfigNode doc = dev.idtgen.config.YamlDoc.readAny(ws.project()
                .resolve("qemu-tests/untestable.yaml"));
        return doc.isNull() ? new LinkedHashMap<>() : doc.asMap().strings();
    }
}
