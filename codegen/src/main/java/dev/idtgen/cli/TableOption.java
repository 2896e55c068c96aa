package dev.idtgen.cli;

import dev.idtgen.model.Problem;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/** The --vectors, --overlay and --kernel options of every command that reads the table. */
final class TableOption {

    @Option(names = "--vectors", paramLabel = "FILE", defaultValue = "${env:IDTGEN_HOME:-.}/vectors.yaml",
            description = "The vector table (default: ${DEFAULT-VALUE}).")
    Path vectors;

    @Option(names = "--overlay", paramLabel = "FILE",
            description = "A table fragment added to the table (entries, gates, symbols); repeatable.")
    java.util.List<Path> overlays = new java.util.ArrayList<>();

    @Mixin
    SeriesOption series;

    /** The --kernel given, or null. */
    String kernel() {
        return series.kernel;
    }

    /** The table's first kernel, read once (null until asked for). */
    private String first;

    /** The --kernel given, otherwise the table's first kernel. */
    String kernelOrFirst() {
        if (series.kernel != null) {
            return series.kernel;
        }
        if (first == null) {
            List<String> all = Tables.kernels(vectors);
            if (all.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        vectors + " names no kernels: give --kernel");
            }
            first = all.get(0);
        }
        return first;
    }

    /**
     * Reads and checks the table projected on --kernel (default: the table's
     * first kernel); prints its problems to {@code err} and returns null when
     * there are any.
     */
    Tables.Checked read(PrintWriter err) {
        LinkedHashMap<String, Tables.Checked> all = Tables.readAll(vectors, overlays, series.kernel);
        return report(all, err) ? all.values().iterator().next() : null;
    }

    /**
     * Every kernel of the table (or the one --kernel names), each projection
     * read and checked; prints every problem once and returns null when there are any.
     */
    LinkedHashMap<String, Tables.Checked> readAll(PrintWriter err) {
        LinkedHashMap<String, Tables.Checked> all = Tables.readAll(vectors, overlays, series.kernel);
        return report(all, err) ? all : null;
    }

    private boolean report(LinkedHashMap<String, Tables.Checked> all, PrintWriter err) {
        List<Problem> problems = Tables.problems(all);
        for (Problem p : problems) {
            err.println(p);
        }
        if (!problems.isEmpty()) {
            err.println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in " + vectors);
            err.flush();
            return false;
        }
        return true;
    }
}
