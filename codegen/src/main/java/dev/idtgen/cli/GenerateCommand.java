package dev.idtgen.cli;

import dev.idtgen.render.OutputWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Renders the generated entry code from the table into the output directory.",
                "Writes atomically and only files whose bytes change; nothing is written when the table is invalid."})
final class GenerateCommand extends Generation.FromTable {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}/generated",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Override
    int run(Generation.Rendered rendered) throws IOException {
        List<OutputWriter.Written> written = OutputWriter.write(out, rendered.files());
        if (!quiet) {
            PrintWriter o = spec.commandLine().getOut();
            long changed = written.stream().filter(w -> w.change() != OutputWriter.Change.UNCHANGED).count();
            for (OutputWriter.Written w : written) {
                if (w.change() != OutputWriter.Change.UNCHANGED) {
                    o.println(w.change().name().toLowerCase(java.util.Locale.ROOT) + " " + out.resolve(w.path()));
                }
            }
            o.println(written.size() + " files, " + changed + " changed");
        }
        return 0;
    }
}
