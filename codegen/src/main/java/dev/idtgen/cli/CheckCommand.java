package dev.idtgen.cli;

import dev.idtgen.render.OutputWriter;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Regenerates every kernel's files in memory (or --kernel's) and exits 1 when any file under the "
                + "output directory differs, is missing, or (all kernels) is not generated from the table at all."})
final class CheckCommand extends Generation.FromTable {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}/generated",
            description = "The generated directory to check (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    int run(Generation.Rendered rendered) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, byte[]> files = rendered.files();
        List<String> diffs = new ArrayList<>(OutputWriter.differences(out, files));
        if (table.kernel() == null) {
            diffs.addAll(OutputWriter.strays(out, files));
        }
        if (!diffs.isEmpty()) {
            diffs.forEach(err::println);
            err.println(diffs.size() + " generated file" + (diffs.size() == 1 ? "" : "s")
                    + " out of date: run `./idtgen generate`");
            return 1;
        }
        Map<String, Tables.Checked> all = rendered.tables();
        spec.commandLine().getOut().println(out + ": " + files.size() + " files of " + all.size() + " kernel"
                + (all.size() == 1 ? "" : "s") + " (" + String.join(", ", all.keySet()) + ") up to date");
        return 0;
    }
}
