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
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (not tests): they measure and print figures and ratios.",
        subcommands = {BenchCommand.Codegen.class})
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
                try (Stream<Path> s = Files.walk(tmp)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
