package dev.idtgen.cli;

import dev.idtgen.bench.CodegenBench;
import dev.idtgen.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (not tests): they measure and print figures and ratios.",
        subcommands = {BenchCommand.Codegen.class, BenchCommand.Rebuild.class, BenchCommand.Loop.class,
                BenchAsmCommand.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing benchmark (codegen)");
    }

    @Command(name = "codegen", mixinStandardHelpOptions = true,
            description = "Median wall time of a cold ./idtgen generate (new JVM) and of a warm in-process generate.")
    static final class Codegen implements Callable<Integer> {

        @Mixin
        TableOption table;

        @Mixin
        Generation generation;

        @Option(names = "--cold-runs", defaultValue = "11", description = "New-JVM runs (default: ${DEFAULT-VALUE}).")
        int coldRuns;

        @Option(names = "--warm-runs", defaultValue = "200", description = "In-process runs (default: ${DEFAULT-VALUE}).")
        int warmRuns;

        @Option(names = "--launcher", paramLabel = "FILE", defaultValue = "${env:IDTGEN_HOME:-.}/idtgen",
                description = "The launcher the cold runs start (default: ${DEFAULT-VALUE}).")
        Path launcher;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException, Renderer.RenderException {
            PrintWriter out = spec.commandLine().getOut();
            Path tmp = Files.createTempDirectory("idtgen-bench");
            try {
                var figures = new CodegenBench(launcher, table.vectors, generation.templates, tmp)
                        .run(coldRuns, warmRuns, out);
                out.println();
                out.printf("%-36s %10s %10s %8s  %s%n", "figure", "median", "target", "ratio", "samples");
                for (CodegenBench.Figure f : figures) {
                    double m = f.median();
                    out.printf("%-36s %7.1f ms %7.1f ms %7.2fx  %d%s%n", f.name(), m, f.targetMs(), m / f.targetMs(),
                            f.samplesMs().size(), m <= f.targetMs() ? "" : "  (over target)");
                }
                return 0;
            } finally {
                dev.idtgen.io.FileTrees.delete(tmp);
            }
        }
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = {"The edit-to-build loop on x86_64 tiny, generated next to stock in one run: a no-op rebuild "
                    + "after generate, and a one-vector change against touching idtentry.h in the stock tree. "
                    + "Prints medians, objects compiled and ratios."})
    static final class Rebuild implements Callable<Integer> {

        @Mixin
        TableOption table;

        @Mixin
        Generation generation;

        @Mixin
        KernelOptions k;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            return KernelCommand.guarded(spec.commandLine().getErr(), () -> {
                java.util.Map<String, java.util.List<dev.idtgen.bench.RebuildBench.Sample>> r;
                try {
                    r = new dev.idtgen.bench.RebuildBench(k.workspace(table.kernelOrFirst()), table.vectors, generation.templates,
                            k.generated(table.kernelOrFirst()), out).run(k.arch, k.profile, rounds);
                } catch (Renderer.RenderException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return 1;
                }
                out.println();
                out.printf("%-36s %10s %10s%n", "rebuild (" + k.arch.yamlName() + "/" + k.profile.cliName() + ")",
                        "median", "compiled");
                java.util.Map<String, Double> med = new java.util.LinkedHashMap<>();
                r.forEach((name, samples) -> {
                    double m = dev.idtgen.bench.Stats.median(samples.stream()
                            .map(dev.idtgen.bench.RebuildBench.Sample::seconds).toList());
                    med.put(name, m);
                    out.printf("%-36s %8.2f s %10s%n", name, m,
                            samples.stream().map(x -> Integer.toString(x.compiled())).toList());
                });
                out.printf("ratio one-vector change / touch idtentry.h: %.2f (target <= 1.15)%n",
                        med.get("one-vector change (generated)") / med.get("touch idtentry.h (stock)"));
                out.printf("ratio no-op generated / no-op stock:        %.2f%n",
                        med.get("no-op after generate (generated)") / med.get("no-op make (stock)"));
                return 0;
            });
        }
    }

    @Command(name = "loop", mixinStandardHelpOptions = true,
            description = {"The edit-to-verdict loop on x86_64 tiny, change-aware (an edit, the incremental build, "
                    + "the comparison with the kernel's baseline, the boots of what changed, every other verdict "
                    + "carried) for a one-vector table edit and a one-instruction stub edit, against the stock loop "
                    + "(touch idtentry.h, make, every boot and test), and the whole boot-test stage (4 kernels). "
                    + "Medians and ratios."})
    static final class Loop implements Callable<Integer> {

        @Mixin
        TableOption table;

        @Mixin
        Generation generation;

        @Mixin
        KernelOptions k;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            return KernelCommand.guarded(spec.commandLine().getErr(), () -> {
                java.util.Map<String, java.util.List<Double>> r;
                try {
                    r = new dev.idtgen.bench.LoopBench(k.workspace(table.kernelOrFirst()), table.vectors, generation.templates,
                            k.generated(table.kernelOrFirst()), System.getenv(), out).run(rounds);
                } catch (Renderer.RenderException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return 1;
                }
                out.println();
                java.util.Map<String, Double> med = new java.util.LinkedHashMap<>();
                r.forEach((name, xs) -> {
                    double m = dev.idtgen.bench.Stats.median(xs);
                    med.put(name, m);
                    out.printf("%-44s %8.1f s  samples %s%n", name, m, xs.stream()
                            .map(x -> String.format("%.1f", x)).toList());
                });
                double stock = med.get(dev.idtgen.bench.LoopBench.STOCK);
                out.printf("ratio change-aware loop / stock loop, table edit: %.2f; stub edit: %.2f "
                                + "(target <= 0.5, goal 0.25)%n", med.get(dev.idtgen.bench.LoopBench.TABLE_EDIT) / stock,
                        med.get(dev.idtgen.bench.LoopBench.STUB_EDIT) / stock);
                out.printf("boot-test stage: %.1f s median (bar <= 60 s, goal <= 30 s)%n", med.get(dev.idtgen.bench.LoopBench.STAGE));
                return 0;
            });
        }
    }
}
