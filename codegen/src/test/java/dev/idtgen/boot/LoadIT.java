package dev.idtgen.boot;

import dev.idtgen.run.BootPipelines;

import dev.idtgen.kernel.ImageIdentity;
import dev.idtgen.kernel.KernelBuilder;
import dev.idtgen.kernel.Profile;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.Arch;
import dev.idtgen.report.Verdicts;
import dev.idtgen.run.BootStage;
import dev.idtgen.run.MainJob;
import dev.idtgen.validate.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No verdict depends on host load: the boot-test stage of the tiny kernels
 * (stock and generated, x86_64 and i386) runs once on the quiet machine and
 * once while a CPU hog occupies every core at normal priority, and both runs
 * give the same verdict for every vector on every kernel, the same result
 * for every selftest and gate-sweep point, and no timeout.
 */
@Tag("slow")
class LoadIT {

    static final Path WORK = Path.of("target", "it-load").toAbsolutePath();

    @Test
    void theSameVerdictsWithACpuHogOnEveryCore() throws Exception {
        Tables.Checked t = Tables.read(Path.of("vectors.yaml"));
        assertTrue(t.ok(), t.problems().toString());
        Workspace ws = new Workspace(Path.of("work").toAbsolutePath(), Path.of("").toAbsolutePath(), "6.1");
        PrintWriter out = new PrintWriter(System.out, true);
        KernelBuilder kb = new KernelBuilder(ws, out);
        List<KernelBuilder.Build> builds = new ArrayList<>();
        for (Arch a : List.of(Arch.X86_64, Arch.I386)) {
            for (Variant v : List.of(Variant.STOCK, Variant.GENERATED)) {
                builds.add(kb.build(v, a, Profile.TINY, Path.of("generated", "6.1").toAbsolutePath()));
            }
        }
        BootPipeline suite = BootPipelines.create(ws, t.table(), System.getenv(), out).pipeline();
        Path guests = suite.guests();

        Map<String, String> quiet = verdicts(run(suite, builds, guests, "quiet", t, out));
        int cores = Runtime.getRuntime().availableProcessors();
        List<Process> hogs = new ArrayList<>();
        Map<String, String> loaded;
        try {
            for (int i = 0; i < cores; i++) {
                hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            out.println("LoadIT: " + cores + " CPU hogs running");
            loaded = verdicts(run(suite, builds, guests, "loaded", t, out));
        } finally {
            hogs.forEach(Process::destroyForcibly);
        }
        assertTrue(quiet.size() > 1000, "every vector, selftest and sweep point: " + quiet.size());
        assertTrue(quiet.values().stream().noneMatch(v -> v.contains("TIMEOUT")), "no timeout on the quiet machine");
        assertTrue(loaded.values().stream().noneMatch(v -> v.contains("TIMEOUT")), "no timeout under load");
        List<String> differ = new ArrayList<>();
        quiet.forEach((k, v) -> {
            if (!v.equals(loaded.get(k))) {
                differ.add(k + ": quiet " + v + ", loaded " + loaded.get(k));
            }
        });
        loaded.keySet().stream().filter(k -> !quiet.containsKey(k)).forEach(k -> differ.add(k + ": only loaded"));
        assertEquals(List.of(), differ);
    }

    private static MainJob.RunReport run(BootPipeline suite, List<KernelBuilder.Build> builds, Path guests, String name,
                                      Tables.Checked t, PrintWriter out) throws Exception {
        Path root = WORK.resolve(name);
        List<BootKernel> kernels = new ArrayList<>();
        for (KernelBuilder.Build b : builds) {
            kernels.add(suite.kernels().kernel(b, guests, root.resolve(b.arch().yamlName() + "-tiny")
                    .resolve(b.variant().cliName())));
        }
        long t0 = System.nanoTime();
        MainJob job = new MainJob(new Workspace(Path.of("work").toAbsolutePath(), Path.of("").toAbsolutePath(), "6.1"),
                t.table(), Path.of("generated", "6.1"), System.getenv(), out);
        // as run boots them: a generated image identical to stock's is booted once
        Map<Arch, ImageIdentity> images = ImageIdentity.byArch(builds);
        BootStage.StageResult stage = new BootStage(suite, Scheduler.forHost(System.getenv()), out).run(kernels,
                a -> job.identity(build(builds, a, Variant.STOCK), build(builds, a, Variant.GENERATED)),
                suite.planner()::allJobs, MainJob.shared(kernels, images));
        out.printf("LoadIT: %s stage %.1f s wall, %.1f s of boots%n", name, (System.nanoTime() - t0) / 1e9,
                stage.bootSeconds());
        return MainJob.report(new Workspace(root, Path.of("").toAbsolutePath(), "6.1"), t.table(), stage,
                List.of(Arch.X86_64, Arch.I386), System.getenv());
    }

    private static KernelBuilder.Build build(List<KernelBuilder.Build> builds, Arch a, Variant v) {
        return builds.stream().filter(b -> b.arch() == a && b.variant() == v).findFirst().orElseThrow();
    }

    /** Every vector cell, selftest and sweep point of a run: name to verdict. */
    private static Map<String, String> verdicts(MainJob.RunReport r) {
        Map<String, String> m = new TreeMap<>();
        for (Verdicts.Row row : r.rows()) {
            row.cells().forEach((a, cells) -> cells.forEach((v, c) -> m.put("vector " + row.entry().handler() + " "
                    + a.yamlName() + " " + v.cliName(), c.verdict().name())));
        }
        r.suites().forEach(s -> s.results().forEach(x -> m.put(s.name() + " " + s.arch().yamlName() + " "
                + s.variant().cliName() + " " + x.unit().id() + " " + x.name(), x.status().name())));
        return m;
    }
}
