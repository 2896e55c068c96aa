package dev.idtgen.cli;

import dev.idtgen.importer.ImportException;
import dev.idtgen.importer.KernelImporter;
import dev.idtgen.importer.TableWriter;
import dev.idtgen.model.Problem;
import dev.idtgen.model.VectorTable;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code idtgen import}: re-derives the vector table from a kernel tree and
 * checks it like {@code idtgen validate} does.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Reads a kernel tree (idtentry.h, idt.c, trapnr.h, irq_vectors.h and the x86 Kconfig files)"
                + " and writes the equivalent vector table.",
                "The table is then validated; its problems are printed as file:line:column: rule: message"
                        + " (exit status 1)."})
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--tree", paramLabel = "DIR",
            description = "The top directory of the kernel source tree; its series (6.1, 6.12) is recognised "
                    + "from its Makefile.")
    Path tree;

    @Option(names = "--kernel", paramLabel = "SERIES",
            description = "The series the tree must be (as for every command); a directory here is taken as "
                    + "--tree, as before --tree existed.")
    String series;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the table to FILE (replaced atomically) instead of standard output.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path kernel = tree;
        if (kernel == null && series != null && Files.isDirectory(Path.of(series))) {
            kernel = Path.of(series);
            series = null;
        }
        if (kernel == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give the kernel tree with --tree DIR");
        }
        VectorTable table;
        try {
            table = KernelImporter.importTree(kernel);
        } catch (ImportException e) {
            err.println("idtgen import: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (series != null && !series.equals(table.kernel())) {
            err.println("idtgen import: " + kernel + " is kernel " + table.kernel() + ", not " + series);
            err.flush();
            return 1;
        }
        String text = TableWriter.write(table);
        String name = out == null ? "<stdout>" : out.toString();
        if (out == null) {
            PrintWriter o = spec.commandLine().getOut();
            o.print(text);
            o.flush();
        } else {
            try {
                dev.idtgen.io.AtomicFiles.write(out, text);
            } catch (IOException e) {
                err.println("idtgen import: cannot write " + out + ": " + describe(e));
                err.flush();
                return 1;
            }
        }
        // Check the text that was written: the positions then point into it.
        Tables.Checked checked = Tables.check(name, text);
        for (Problem p : checked.problems()) {
            err.println(p);
        }
        if (!checked.ok()) {
            int n = checked.problems().size();
            err.println(n + " problem" + (n == 1 ? "" : "s") + " in the table imported from " + kernel);
        }
        err.flush();
        return checked.ok() ? 0 : 1;
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }
}
