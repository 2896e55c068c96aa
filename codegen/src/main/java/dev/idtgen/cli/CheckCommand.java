package dev.idtgen.cli;

import dev.idtgen.render.OutputWriter;
import dev.idtgen.render.Renderer;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Regenerates in memory and exits 1 when any file under the output directory differs.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    TableOption table;

    @Mixin
    Generation generation;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}/generated",
            description = "The generated directory to check (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Tables.Checked c = table.read(err);
        if (c == null) {
            return 1;
        }
        List<String> diffs;
        try {
            diffs = OutputWriter.differences(out, generation.render(c.table()));
        } catch (Renderer.RenderException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (!diffs.isEmpty()) {
            diffs.forEach(err::println);
            err.println(diffs.size() + " generated file" + (diffs.size() == 1 ? "" : "s")
                    + " out of date: run `./idtgen generate`");
            return 1;
        }
        spec.commandLine().getOut().println(out + ": " + Renderer.OUTPUTS.size() + " files up to date");
        return 0;
    }
}
