package dev.idtgen.bench;

import dev.idtgen.boot.TestResult;
import dev.idtgen.run.BootPipelines;
import java.util.Optional;

import dev.idtgen.kernel.ImageIdentity;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.PatchSeries;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;
import dev.idtgen.boot.BootPlan;
import dev.idtgen.boot.BootPipeline;
import dev.idtgen.boot.BootKernel;
import dev.idtgen.boot.Scheduler;
import dev.idtgen.boot.SharedImage;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.ChangeAware;
import dev.idtgen.run.MainJob;
import dev.idtgen.render.Renderer;
import dev.idtgen.validate.Tables;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edit-to-verdict loop on x86_64 tiny, change-aware next to the stock
 * loop in one run. Change-aware: an edit, the incremental build,
 * the comparison with the generated kernel's baseline, the boots of what the
 * change re-tests (the gate sweep's boot always), every other verdict carried.
 * Two edits: the table edit of {@code bench rebuild} (exc_bounds plain to
 * raw: vectors.yaml, regenerate) and a one-instruction stub edit (a nop in
 * the generated asm_exc_bounds, vector 0x05's bytes). The README's recipe
 * "add a system vector" (its overlay, its handler's patch, to the verdicts;
 * skipped, saying so, when its patch does not apply to this kernel). Stock: touch
 * idtentry.h, make, every boot and test (nobody can say what changed). Also
 * the whole boot-test stage (both architectures, both kernels, builds
 * excluded). The benchmark's baseline lives in
 * {@code <work>/bench-baselines/<kernel>/}: made once, by a full untimed boot
 * of the unedited kernel, when missing or out of date.
 */
public final class LoopBench {

    public static final String TABLE_EDIT = "table edit -> verdicts, change-aware (generated)";
    public static final String STUB_EDIT = "stub edit -> verdicts, change-aware (generated)";
    /** The README's recipe "add a system vector": its overlay and its handler's patch, to the verdicts. */
    public static final String ADD_SYSVEC = "recipe: add a system vector -> verdicts";
    /** The recipe's files, in the project: overlay.yaml and the series in patches/. */
    static final String RECIPE = "qemu-tests/fixtures/system-vector";
    public static final String STOCK = "touch idtentry.h -> verdicts, every test (stock)";
    public static final String STAGE = "boot-test stage, 4 kernels, each booted";
    /** The stage's boots added up, printed under {@link #STAGE}. */
    static final String STAGE_BOOTS = "  sum of the stage's boots";
    /** The same stage as {@code run} boots it: a generated image identical to stock's is booted once. */
    public static final String STAGE_ONCE = "boot-test stage, identical images once";
    static final String STAGE_ONCE_BOOTS = "  sum of its boots";

    /** The stub edit: one instruction before asm_exc_bounds calls its handler. */
    static final String STUB_FILE = "arch/x86/entry/idtentry_64.S";
    static final String STUB_CALL = "\tcall\texc_bounds\n";

    private final Workspace ws;
    private final Map<String, String> env;
    private final Path vectors;
    private final Path templates;
    private final Path generated;
    private final PrintWriter out;

    public LoopBench(Workspace ws, Path vectors, Path templates, Path generated, Map<String, String> env,
                     PrintWriter out) {
        this.ws = ws;
        this.env = Map.copyOf(env);
        this.vectors = vectors;
        this.templates = templates;
        this.generated = generated;
        this.out = out;
    }

    /** Name to samples in seconds, in print order. */
    public Map<String, List<Double>> run(int rounds) throws IOException, InterruptedException, Step.Failed,
            Renderer.RenderException {
        KernelBuilder kb = new KernelBuilder(ws, out);
        String text = Files.readString(vectors, StandardCharsets.UTF_8);
        if (!text.contains(RebuildBench.PLAIN)) {
            throw new IOException(vectors + " has no '" + RebuildBench.PLAIN + "' to edit: the benchmark's edit needs it");
        }
        Tables.Checked base = Tables.check(vectors.toString(), text, ws.kernel());
        if (!base.ok()) {
            throw new IOException(base.problems().get(0).toString());
        }
        Loop loop = new Loop(kb, text, base.table());
        Map<String, List<Double>> r = new LinkedHashMap<>();
        for (String figure : List.of(TABLE_EDIT, STUB_EDIT, ADD_SYSVEC, STOCK, STAGE, STAGE_BOOTS, STAGE_ONCE,
                STAGE_ONCE_BOOTS)) {
            r.put(figure, new ArrayList<>());
        }
        List<KernelBuilder.Build> all = loop.buildAll();
        Path guests = loop.suite.guests();
        try {
            loop.regenerate(vectors.toString(), text);
            loop.ensureBaseline(guests);
            String original = loop.stubText();
            Optional<String> recipe = loop.recipeApplies();
            recipe.ifPresent(why -> out.println("bench loop: " + ADD_SYSVEC + ": skipped: " + why));
            for (int i = 0; i < rounds; i++) {
                out.printf("bench loop: round %d of %d%n", i + 1, rounds);
                out.flush();
                r.get(TABLE_EDIT).add(loop.tableEdit(guests));
                r.get(STUB_EDIT).add(loop.stubEdit(original, guests));
                if (recipe.isEmpty()) {
                    r.get(ADD_SYSVEC).add(loop.addSystemVector(guests));
                }
                r.get(STOCK).add(loop.stockLoop(guests));
                loop.stage(all, guests, r);
            }
        } finally {
            loop.regenerate(vectors.toString(), text);
            loop.makeGenerated();
        }
        return r;
    }

    /** One run of the benchmark: the table, the boot pipeline and the trees it edits, builds and boots. */
    private final class Loop {
        private final Arch arch = Arch.X86_64;
        private final Profile profile = Profile.TINY;
        private final KernelBuilder kb;
        private final String text;
        private final VectorTable table;
        private final BootPipeline suite;
        private final BootPlan plan;
        private final Optional<Path> bochs;
        private final Scheduler scheduler;
        private final BootStage.IdentityCheck unchecked =
                a -> new BootStage.Identity(false, "not checked by the benchmark");
        private final Path baselines;
        private final Renderer renderer;
        private final Path scratch;
        private final Path genSrc;
        private final Path stockSrc;
        private final Path stub;

        Loop(KernelBuilder kb, String text, VectorTable table) throws IOException, Renderer.RenderException {
            this.kb = kb;
            this.text = text;
            this.table = table;
            BootPipelines.Boots boots = BootPipelines.create(ws, table, env, out);
            this.suite = boots.pipeline();
            this.plan = suite.plan();
            this.bochs = boots.fred().bochs(env);
            this.scheduler = Scheduler.forHost(env);
            this.baselines = ws.perKernel("bench-baselines");
            this.renderer = new Renderer(templates);
            this.scratch = Files.createTempDirectory("idtgen-loop");
            this.genSrc = ws.source(Variant.GENERATED);
            this.stockSrc = ws.source(Variant.STOCK);
            this.stub = genSrc.resolve(STUB_FILE);
        }

        /** Builds stock and generated for both architectures: the whole stage's kernels. */
        List<KernelBuilder.Build> buildAll() throws IOException, InterruptedException, Step.Failed {
            List<KernelBuilder.Build> all = new ArrayList<>();
            for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
                for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                    all.add(kb.build(v, a, profile, generated));
                }
            }
            return all;
        }

        /** Renders {@code tableText} (read as {@code name}) into the generated tree. */
        void regenerate(String name, String tableText) throws IOException, Renderer.RenderException {
            RebuildBench.regenerate(renderer, name, tableText, ws.kernel(), scratch, genSrc);
        }

        KernelBuilder.Build makeGenerated() throws IOException, InterruptedException, Step.Failed {
            return kb.make(Variant.GENERATED, arch, profile, genSrc);
        }

        /**
         * The change-aware loop's baseline: every test of the unedited generated kernel, booted (untimed) when
         * there is none or it is out of date.
         */
        void ensureBaseline(Path guests) throws IOException, InterruptedException, Step.Failed {
            BootKernel k0 = suite.kernels().kernel(makeGenerated(), guests);
            ChangeAware setup = new ChangeAware(ws, table, plan, bochs, out, baselines);
            ChangeAware.Decision d0 = setup.compare(List.of(k0)).get(0);
            if (d0.baseline().isEmpty() || !d0.everything().isEmpty()) {
                out.println("bench loop: a baseline for the change-aware loop: every test of the unedited kernel "
                        + "(untimed)");
                BootStage.StageResult st = new BootStage(suite, scheduler, out).run(List.of(k0), unchecked);
                MainJob.RunReport verdicts = MainJob.assess(ws, table, st, List.of(arch), env);
                List<String> bad = new ArrayList<>(verdicts.failures());
                bad.addAll(verdicts.timeouts());
                if (!bad.isEmpty()) {
                    throw new IOException("the unedited kernel failed, no baseline to measure against: " + bad);
                }
                setup.keep(st.outcomes());
            }
        }

        /** The generated stub file, which has exactly one call the stub edit goes before. */
        String stubText() throws IOException {
            String original = Files.readString(stub, StandardCharsets.UTF_8);
            if (original.indexOf(STUB_CALL) < 0 || original.indexOf(STUB_CALL) != original.lastIndexOf(STUB_CALL)) {
                throw new IOException(stub + ": no single '" + STUB_CALL.strip() + "' to put the stub edit before");
            }
            return original;
        }

        /** The table edit to its verdicts, change-aware, in seconds; then the table as it was, built. */
        double tableEdit(Path guests) throws IOException, InterruptedException, Step.Failed,
                Renderer.RenderException {
            long t0 = System.nanoTime();
            regenerate("edited", text.replace(RebuildBench.PLAIN, RebuildBench.RAW));
            changeAware(makeGenerated(), guests, t0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            regenerate(vectors.toString(), text);
            makeGenerated(); // untimed: the next loop starts from the unedited kernel, built
            return seconds;
        }

        /** The stub edit to its verdicts, change-aware, in seconds; then the stub as it was, built. */
        double stubEdit(String original, Path guests) throws IOException, InterruptedException, Step.Failed {
            long t0 = System.nanoTime();
            Files.writeString(stub, original.replace(STUB_CALL, "\tnop\n" + STUB_CALL), StandardCharsets.UTF_8);
            changeAware(makeGenerated(), guests, t0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.writeString(stub, original, StandardCharsets.UTF_8);
            makeGenerated();
            return seconds;
        }

        /** Empty when the recipe's patch applies to the generated tree, else why the figure is skipped. */
        Optional<String> recipeApplies() throws IOException, InterruptedException, Step.Failed {
            Path dir = ws.project().resolve(RECIPE);
            if (!Files.isRegularFile(dir.resolve("patches").resolve("series"))) {
                return Optional.of("no recipe at " + dir);
            }
            return PatchSeries.read(dir.resolve("patches")).wouldApply(genSrc, ws.perKernel("logs")
                    .resolve("bench-loop-recipe.log")).map(why -> why.lines().findFirst().orElse(why) + " ("
                    + ws.kernel() + "'s generated tree)");
        }

        /**
         * The recipe to its verdicts, change-aware, in seconds: the table with the recipe's overlay rendered into
         * the generated tree, its series applied, built, compared and booted; then the tree as it was, built.
         */
        double addSystemVector(Path guests) throws IOException, InterruptedException, Step.Failed,
                Renderer.RenderException {
            Path dir = ws.project().resolve(RECIPE);
            PatchSeries series = PatchSeries.read(dir.resolve("patches"));
            Path log = ws.perKernel("logs").resolve("bench-loop-recipe.log");
            long t0 = System.nanoTime();
            Tables.Checked c = Tables.read(vectors, List.of(dir.resolve("overlay.yaml")), ws.kernel());
            if (!c.ok()) {
                throw new IOException(c.problems().get(0).toString());
            }
            RebuildBench.regenerate(renderer, c.table(), scratch, genSrc);
            series.apply(genSrc, log, out);
            changeAware(makeGenerated(), guests, t0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            series.revert(genSrc, log, out);
            regenerate(vectors.toString(), text);
            makeGenerated();
            return seconds;
        }

        /** The stock loop in seconds: touch idtentry.h, make, every boot and test. */
        double stockLoop(Path guests) throws IOException, InterruptedException, Step.Failed {
            long t0 = System.nanoTime();
            Files.setLastModifiedTime(stockSrc.resolve("arch/x86/include/asm/idtentry.h"),
                    FileTime.fromMillis(System.currentTimeMillis()));
            KernelBuilder.Build b = kb.make(Variant.STOCK, arch, profile, stockSrc);
            long built = System.nanoTime();
            BootKernel sk = suite.kernels().kernel(b, guests);
            long booting = System.nanoTime();
            BootStage.StageResult st = new BootStage(suite, scheduler, out).run(List.of(sk), unchecked);
            long done = System.nanoTime();
            out.printf("bench loop: stock: edit and build %.1f s, no comparison, %d boots %.1f s, the rest %.1f s%n",
                    (built - t0) / 1e9, st.boots(), (done - booting) / 1e9, (booting - built) / 1e9);
            return (done - t0) / 1e9;
        }

        /**
         * The whole boot-test stage of {@code all}, every kernel booted, then as {@code run} boots it (a generated
         * image identical to stock's booted once): each one's wall time and its boots' time added up, into
         * {@code r}.
         */
        void stage(List<KernelBuilder.Build> all, Path guests, Map<String, List<Double>> r)
                throws IOException, InterruptedException, Step.Failed {
            Map<Arch, ImageIdentity> images = ImageIdentity.byArch(all);
            for (boolean once : List.of(false, true)) {
                List<BootKernel> kernels = new ArrayList<>();
                for (KernelBuilder.Build b : all) {
                    kernels.add(suite.kernels().kernel(b, guests));
                }
                List<SharedImage> shared = once ? MainJob.shared(kernels, images) : List.of();
                long t0 = System.nanoTime();
                BootStage.StageResult st = new BootStage(suite, scheduler, out).run(kernels, unchecked,
                        suite.planner()::allJobs, shared);
                r.get(once ? STAGE_ONCE : STAGE).add((System.nanoTime() - t0) / 1e9);
                r.get(once ? STAGE_ONCE_BOOTS : STAGE_BOOTS).add(st.bootSeconds());
            }
        }

        /**
         * The change-aware half of a loop after the build: compare, boot what changed, assemble every verdict.
         * Prints where the loop's time went since {@code t0} (the edit).
         */
        private void changeAware(KernelBuilder.Build build, Path guests, long t0)
                throws IOException, InterruptedException, Step.Failed {
            long built = System.nanoTime();
            BootKernel k = suite.kernels().kernel(build, guests);
            ChangeAware ca = new ChangeAware(ws, table, plan, bochs, out, baselines);
            long comparing = System.nanoTime();
            List<ChangeAware.Decision> d = ca.compare(List.of(k));
            BootStage.JobSelection select = ca.selection(suite, d);
            long booting = System.nanoTime();
            BootStage.StageResult st = new BootStage(suite, scheduler, out).run(List.of(k), unchecked, select);
            long done = System.nanoTime();
            long carried = st.outcomes().get(0).results().stream().filter(TestResult::isCarried).count();
            out.printf("bench loop: %d results, %d carried; edit and build %.1f s, comparison %.1f s, %d boots "
                    + "%.1f s, the rest %.1f s%n", st.outcomes().get(0).results().size(), carried, (built - t0) / 1e9,
                    (booting - comparing) / 1e9, st.boots(), (done - booting) / 1e9, (comparing - built) / 1e9);
        }
    }
}
