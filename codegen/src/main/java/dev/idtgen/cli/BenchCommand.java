package dev.idtgen.cli;

import dev.idtgen.bench.CodegenBench;
import dev.idtgen.bench.LoopBench;
import dev.idtgen.bench.RebuildBench;
import dev.idtgen.bench.Stats;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.proc.Step;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A benchmark of the edit-to-build or edit-to-verdict loop on --kernel's work tree: {@code --rounds} rounds
     * measured, then their figures printed after a blank line.
     */
    abstract static class LoopBenchmark<S> extends GeneratingCommand {

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = out();
            return KernelCommand.guarded(err(), () -> {
                S samples;
                try {
                    samples = measure(k.workspace(table.kernelOrFirst()), k.generated(table.kernelOrFirst()), out);
                } catch (Renderer.RenderException e) {
                    err().println(e.getMessage());
                    return 1;
                }
                out.println();
                print(samples, out);
                return 0;
            });
        }

        /** Runs the rounds on {@code ws}, generating into {@code generated}; the samples of each figure. */
        abstract S measure(Workspace ws, Path generated, PrintWriter out)
                throws IOException, InterruptedException, Step.Failed, Renderer.RenderException;

        /** Each figure's median and samples, and the ratios the benchmark is about. */
        abstract void print(S samples, PrintWriter out);
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = {"The edit-to-build loop on x86_64 tiny, generated next to stock in one run: a no-op rebuild "
                    + "after generate, and a one-vector change against touching idtentry.h in the stock tree. "
                    + "Prints medians, objects compiled and ratios."})
    static final class Rebuild extends LoopBenchmark<Map<String, List<RebuildBench.Sample>>> {

        @Override
        Map<String, List<RebuildBench.Sample>> measure(Workspace ws, Path generated, PrintWriter out)
                throws IOException, InterruptedException, Step.Failed, Renderer.RenderException {
            return new RebuildBench(ws, table.vectors, generation.templates, generated, out).run(k.arch, k.profile,
                    rounds);
        }

        @Override
        void print(Map<String, List<RebuildBench.Sample>> r, PrintWriter out) {
            out.printf("%-36s %10s %10s%n", "rebuild (" + k.arch.yamlName() + "/" + k.profile.cliName() + ")",
                    "median", "compiled");
            Map<String, Double> med = new LinkedHashMap<>();
            r.forEach((name, samples) -> {
                double m = Stats.median(samples.stream().map(RebuildBench.Sample::seconds).toList());
                med.put(name, m);
                out.printf("%-36s %8.2f s %10s%n", name, m,
                        samples.stream().map(x -> Integer.toString(x.compiled())).toList());
            });
            out.printf("ratio one-vector change / touch idtentry.h: %.2f (target <= 1.15)%n",
                    med.get("one-vector change (generated)") / med.get("touch idtentry.h (stock)"));
            out.printf("ratio no-op generated / no-op stock:        %.2f%n",
                    med.get("no-op after generate (generated)") / med.get("no-op make (stock)"));
        }
    }

    @Command(name = "loop", mixinStandardHelpOptions = true,
            description = {"The edit-to-verdict loop on x86_64 tiny, change-aware (an edit, the incremental build, "
                    + "the comparison with the kernel's baseline, the boots of what changed, every other verdict "
                    + "carried) for a one-vector table edit, a one-instruction stub edit and the README's recipe \"add a "
                    + "system vector\" (its overlay and handler patch), against the stock loop "
                    + "(touch idtentry.h, make, every boot and test), and the whole boot-test stage (4 kernels) with "
                    + "every kernel booted and with identical images booted once. Medians and ratios."})
    static final class Loop extends LoopBenchmark<Map<String, List<Double>>> {

        @Override
        Map<String, List<Double>> measure(Workspace ws, Path generated, PrintWriter out)
                throws IOException, InterruptedException, Step.Failed, Renderer.RenderException {
            return new LoopBench(ws, table.vectors, generation.templates, generated, System.getenv(), out)
                    .run(rounds);
        }

        @Override
        void print(Map<String, List<Double>> r, PrintWriter out) {
            Map<String, Double> med = new LinkedHashMap<>();
            r.forEach((name, xs) -> {
                if (xs.isEmpty()) {
                    out.printf("%-44s  skipped (see above)%n", name);
                    return;
                }
                double m = Stats.median(xs);
                med.put(name, m);
                out.printf("%-44s %8.1f s  samples %s%n", name, m, xs.stream()
                        .map(x -> String.format("%.1f", x)).toList());
            });
            double stock = med.get(LoopBench.STOCK);
            out.printf("ratio change-aware loop / stock loop, table edit: %.2f (target <= 0.25); stub edit: %.2f "
                            + "(target <= 0.35)%n", med.get(LoopBench.TABLE_EDIT) / stock,
                    med.get(LoopBench.STUB_EDIT) / stock);
            if (med.containsKey(LoopBench.ADD_SYSVEC)) {
                out.printf("ratio recipe \"add a system vector\" / stock loop: %.2f%n", med.get(LoopBench.ADD_SYSVEC)
                        / stock);
            }
            out.printf("ratio boot-test stage, identical images once / each booted: %.2f (target <= 0.55)%n",
                    med.get(LoopBench.STAGE_ONCE) / med.get(LoopBench.STAGE));
        }
    }
}
