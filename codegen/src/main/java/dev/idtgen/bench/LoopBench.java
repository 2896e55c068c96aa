package dev.idtgen.bench;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;
import dev.idtgen.qemu.BootPlan;
import dev.idtgen.qemu.BootSuite;
import dev.idtgen.qemu.Scheduler;
import dev.idtgen.run.BootStage;
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
 * The edit-to-verdict loop on x86_64 tiny, generated next to stock in one
 * run: a one-vector change (regenerate, incremental build, boot, every guest
 * test) against the stock loop (touch idtentry.h, make, boot, the same
 * tests). Also measures the whole boot-test stage (both architectures, both
 * kernels, builds excluded).
 */
public final class LoopBench {

    private final Workspace ws;
    private final Path vectors;
    private final Path templates;
    private final Path generated;
    private final PrintWriter out;

    public LoopBench(Workspace ws, Path vectors, Path templates, Path generated, PrintWriter out) {
        this.ws = ws;
        this.vectors = vectors;
        this.templates = templates;
        this.generated = generated;
        this.out = out;
    }

    /** Name to samples in seconds, in print order. */
    public Map<String, List<Double>> run(int rounds) throws IOException, InterruptedException, Step.Failed,
            Renderer.RenderException {
        Arch arch = Arch.X86_64;
        Profile profile = Profile.TINY;
        KernelBuilder kb = new KernelBuilder(ws, out);
        String text = Files.readString(vectors, StandardCharsets.UTF_8);
        if (!text.contains(RebuildBench.PLAIN)) {
            throw new IOException(vectors + " has no '" + RebuildBench.PLAIN + "' to edit: the benchmark's edit needs it");
        }
        Tables.Checked base = Tables.check(vectors.toString(), text);
        if (!base.ok()) {
            throw new IOException(base.problems().get(0).toString());
        }
        VectorTable table = base.table();
        BootSuite suite = new BootSuite(ws, table, BootPlan.load(ws.project().resolve(MainJob.PLAN)), out);
        Scheduler scheduler = Scheduler.forHost();
        BootStage.IdentityCheck unchecked = a -> new BootStage.Identity(false, "not checked by the benchmark");
        Map<String, List<Double>> r = new LinkedHashMap<>();
        r.put("one-vector change -> verdicts (generated)", new ArrayList<>());
        r.put("touch idtentry.h -> verdicts (stock)", new ArrayList<>());
        r.put("boot-test stage, 4 kernels", new ArrayList<>());
        r.put("  sum of the stage's boots", new ArrayList<>());
        Renderer renderer = new Renderer(templates);
        Path scratch = Files.createTempDirectory("idtgen-loop");
        Path genSrc = ws.source(Variant.GENERATED);
        Path stockSrc = ws.source(Variant.STOCK);
        List<KernelBuilder.Build> all = new ArrayList<>();
        for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
            for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                all.add(kb.build(v, a, profile, generated));
            }
        }
        Path guests = suite.guests();
        try {
            for (int i = 0; i < rounds; i++) {
                out.printf("bench loop: round %d of %d%n", i + 1, rounds);
                out.flush();
                long t0 = System.nanoTime();
                RebuildBench.regenerate(renderer, "edited", text.replace(RebuildBench.PLAIN, RebuildBench.RAW), scratch, genSrc);
                BootSuite.Kernel gk = suite.kernel(kb.make(Variant.GENERATED, arch, profile, genSrc), guests);
                new BootStage(suite, scheduler, out).run(List.of(gk), unchecked);
                r.get("one-vector change -> verdicts (generated)").add((System.nanoTime() - t0) / 1e9);
                RebuildBench.regenerate(renderer, vectors.toString(), text, scratch, genSrc);
                kb.make(Variant.GENERATED, arch, profile, genSrc);
                t0 = System.nanoTime();
                Files.setLastModifiedTime(stockSrc.resolve("arch/x86/include/asm/idtentry.h"),
                        FileTime.fromMillis(System.currentTimeMillis()));
                BootSuite.Kernel sk = suite.kernel(kb.make(Variant.STOCK, arch, profile, stockSrc), guests);
                new BootStage(suite, scheduler, out).run(List.of(sk), unchecked);
                r.get("touch idtentry.h -> verdicts (stock)").add((System.nanoTime() - t0) / 1e9);
                List<BootSuite.Kernel> kernels = new ArrayList<>();
                for (KernelBuilder.Build b : all) {
                    kernels.add(suite.kernel(b, guests));
                }
                t0 = System.nanoTime();
                BootStage.Result st = new BootStage(suite, scheduler, out).run(kernels, unchecked);
                r.get("boot-test stage, 4 kernels").add((System.nanoTime() - t0) / 1e9);
                r.get("  sum of the stage's boots").add(st.bootSeconds());
            }
        } finally {
            RebuildBench.regenerate(renderer, vectors.toString(), text, scratch, genSrc);
        }
        return r;
    }
}
