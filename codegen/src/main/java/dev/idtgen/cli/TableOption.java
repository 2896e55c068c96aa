package dev.idtgen.cli;

import dev.idtgen.model.Problem;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The --vectors option of every command that reads the table. */
final class TableOption {

    @Option(names = "--vectors", paramLabel = "FILE", defaultValue = "${env:IDTGEN_HOME:-.}/vectors.yaml",
            description = "The vector table (default: ${DEFAULT-VALUE}).")
    Path vectors;

    @Option(names = "--overlay", paramLabel = "FILE",
            description = "A table fragment added to the table (entries, gates, symbols); repeatable.")
    java.util.List<Path> overlays = new java.util.ArrayList<>();

    /** Reads and checks the table; prints its problems to {@code err} and returns null when there are any. */
    Tables.Checked read(PrintWriter err) {
        Tables.Checked c = Tables.read(vectors, overlays);
        for (Problem p : c.problems()) {
            err.println(p);
        }
        if (!c.ok()) {
            err.println(c.problems().size() + " problem" + (c.problems().size() == 1 ? "" : "s") + " in " + vectors);
            err.flush();
            return null;
        }
        return c;
    }
}
