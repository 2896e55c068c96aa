package dev.idtgen.bench;

import dev.idtgen.render.OutputWriter;
import dev.idtgen.render.Renderer;
import dev.idtgen.validate.Tables;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures code generation: the wall time of a cold {@code ./idtgen generate}
 * (a new JVM through the launcher, as a user runs it) and of an in-process
 * generate of the full table (read, validate, render, write-if-changed)
 * after warm-up. Prints medians next to their targets.
 */
public record CodegenBench(Path launcher, Path vectors, Path templates, Path out) {

    /** What the issue asks for. */
    public static final double COLD_TARGET_MS = 1000;
    public static final double WARM_TARGET_MS = 20;

    /** One measured figure. */
    public record Figure(String name, List<Double> samplesMs, double targetMs) {
        public double median() {
            return Stats.median(samplesMs);
        }
    }

    public List<Figure> run(int coldRuns, int warmRuns, PrintWriter progress) throws IOException, InterruptedException,
            Renderer.RenderException {
        List<Figure> figures = new ArrayList<>();
        // warm first: it also writes the output once, so the cold runs measure an up-to-date tree
        for (int i = 0; i < Math.max(50, warmRuns / 4); i++) {
            generateInProcess();
        }
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < warmRuns; i++) {
            long t0 = System.nanoTime();
            generateInProcess();
            warm.add((System.nanoTime() - t0) / 1e6);
        }
        progress.printf("warm: %d in-process runs done%n", warmRuns);
        progress.flush();
        List<Double> cold = new ArrayList<>();
        coldOnce(); // the launcher may (re)build the jar or its class data archive: not measured
        for (int i = 0; i < coldRuns; i++) {
            long t0 = System.nanoTime();
            coldOnce();
            cold.add((System.nanoTime() - t0) / 1e6);
        }
        progress.printf("cold: %d new-JVM runs done%n", coldRuns);
        figures.add(new Figure("cold ./idtgen generate (new JVM)", cold, COLD_TARGET_MS));
        figures.add(new Figure("warm in-process generate", warm, WARM_TARGET_MS));
        return figures;
    }

    private void generateInProcess() throws IOException, Renderer.RenderException {
        Tables.Checked c = Tables.read(vectors);
        if (!c.ok()) {
            throw new IOException("the table has problems: " + c.problems().get(0));
        }
        OutputWriter.write(out, new Renderer(templates).render(c.table()));
    }

    private void coldOnce() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(launcher.toString(), "generate", "-q", "--vectors", vectors.toString(),
                "--templates", templates.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(launcher + " generate did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(launcher + " generate exited with " + p.exitValue());
        }
    }
}
