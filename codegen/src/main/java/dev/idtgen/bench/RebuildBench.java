package dev.idtgen.bench;

import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.TreePreparer;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.proc.Step;
import dev.idtgen.render.OutputWriter;
import dev.idtgen.render.Renderer;
import dev.idtgen.validate.Tables;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel engineer's edit-to-build loop, generated next to stock, in one
 * run: a no-op rebuild after generate, and a one-vector change (exc_bounds
 * declared raw instead of plain, which rewrites its line of idtentry_list.h)
 * against the stock loop (touch idtentry.h, make). Medians and ratios.
 */
public record RebuildBench(Workspace ws, Path vectors, Path templates, Path generated, PrintWriter out) {

    /** The edit: one entry's kind. Both forms build, so the loop can alternate. */
    static final String PLAIN = "{handler: exc_bounds, vector: X86_TRAP_BR, number: 5, kind: plain,";
    static final String RAW = "{handler: exc_bounds, vector: X86_TRAP_BR, number: 5, kind: raw,";

    /** One timed rebuild. */
    public record Sample(double seconds, int compiled) {
    }

    /** Runs {@code rounds} rounds; returns name to samples, in print order. */
    public java.util.Map<String, List<Sample>> run(Arch arch, Profile profile, int rounds) throws IOException,
            InterruptedException, Step.Failed, Renderer.RenderException {
        KernelBuilder kb = new KernelBuilder(ws, out);
        kb.build(Variant.STOCK, arch, profile, generated);
        kb.build(Variant.GENERATED, arch, profile, generated);
        Path genSrc = ws.source(Variant.GENERATED);
        Path stockSrc = ws.source(Variant.STOCK);
        String table = Files.readString(vectors, StandardCharsets.UTF_8);
        if (!table.contains(PLAIN)) {
            throw new IOException(vectors + " has no '" + PLAIN + "' to edit: the benchmark's edit needs it");
        }
        Renderer renderer = new Renderer(templates);
        java.util.Map<String, List<Sample>> r = new java.util.LinkedHashMap<>();
        for (String k : List.of("no-op after generate (generated)", "no-op make (stock)",
                "one-vector change (generated)", "touch idtentry.h (stock)")) {
            r.put(k, new ArrayList<>());
        }
        Path scratch = Files.createTempDirectory("idtgen-rebuild");
        try {
            for (int i = 0; i < rounds; i++) {
                out.printf("bench rebuild: round %d of %d%n", i + 1, rounds);
                out.flush();
                // no-op: generate the committed table again, copy, make
                long t0 = System.nanoTime();
                regenerate(renderer, vectors.toString(), table, ws.kernel(), scratch, genSrc);
                r.get("no-op after generate (generated)").add(sample(kb.make(Variant.GENERATED, arch, profile, genSrc),
                        t0));
                t0 = System.nanoTime();
                r.get("no-op make (stock)").add(sample(kb.make(Variant.STOCK, arch, profile, stockSrc), t0));
                // one vector: edit, generate, copy, make; then back (untimed)
                t0 = System.nanoTime();
                regenerate(renderer, "edited", table.replace(PLAIN, RAW), ws.kernel(), scratch, genSrc);
                r.get("one-vector change (generated)").add(sample(kb.make(Variant.GENERATED, arch, profile, genSrc), t0));
                regenerate(renderer, vectors.toString(), table, ws.kernel(), scratch, genSrc);
                kb.make(Variant.GENERATED, arch, profile, genSrc);
                // stock: touch idtentry.h, make
                t0 = System.nanoTime();
                Files.setLastModifiedTime(stockSrc.resolve("arch/x86/include/asm/idtentry.h"),
                        FileTime.fromMillis(System.currentTimeMillis()));
                r.get("touch idtentry.h (stock)").add(sample(kb.make(Variant.STOCK, arch, profile, stockSrc), t0));
            }
        } finally {
            regenerate(renderer, vectors.toString(), table, ws.kernel(), scratch, genSrc);
        }
        return r;
    }

    private static Sample sample(KernelBuilder.Build b, long t0) {
        return new Sample((System.nanoTime() - t0) / 1e9, b.compiled());
    }

    /** What `idtgen generate` then `kernel prepare` do: render, write if changed, copy if changed. */
    static void regenerate(Renderer renderer, String name, String table, String kernel, Path dir, Path tree)
            throws IOException, Renderer.RenderException {
        Tables.Checked c = Tables.check(name, table, kernel);
        if (!c.ok()) {
            throw new IOException(name + ": " + c.problems().get(0));
        }
        regenerate(renderer, c.table(), dir, tree);
    }

    /** Renders {@code t} into {@code dir} and copies what changed into {@code tree}. */
    static void regenerate(Renderer renderer, dev.idtgen.model.VectorTable t, Path dir, Path tree)
            throws IOException, Renderer.RenderException {
        OutputWriter.write(dir, renderer.render(t));
        TreePreparer.copyGenerated(dir, tree);
    }
}
