package dev.idtgen.edit;

import dev.idtgen.importer.ImportException;
import dev.idtgen.importer.KernelImporter;
import dev.idtgen.importer.TableWriter;
import dev.idtgen.io.AtomicFiles;
import dev.idtgen.kernel.KernelSource;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.model.VectorTable;
import dev.idtgen.proc.Step;
import dev.idtgen.render.OutputWriter;
import dev.idtgen.render.Renderer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stock kernel's own table: imported from the extracted Debian source (no patch applied), so that the stock
 * kernel is judged by what upstream built, whatever the user did to vectors.yaml. It is written to
 * {@code <work>/kernel/<kernel>/reference/vectors.yaml} for the user to read and diff, and the files rendered from
 * it to {@code reference/generated/}: the stock tree takes its tests' table from there. Both are written only when
 * their bytes change, so an unchanged stock kernel is not rebuilt.
 */
public record Reference(VectorTable table, Path file, Path generated) {

    /** The reference directory of a kernel series' work directory. */
    public static Path dir(Workspace ws) {
        return ws.kernelDir().resolve("reference");
    }

    /** Imports the stock tree of {@code ws}'s kernel (extracting it if needed) and renders its files. */
    public static Reference of(Workspace ws, Renderer renderer, PrintWriter out) throws IOException,
            InterruptedException, Step.Failed, Renderer.RenderException {
        Path tree = new KernelSource(ws, out).pristineTree();
        VectorTable t;
        try {
            t = KernelImporter.importTree(tree);
        } catch (ImportException e) {
            throw new Step.Failed("reference: the stock tree " + tree + " cannot be imported, so the stock kernel "
                    + "has no table of its own to be judged by: " + e.getMessage(), null);
        }
        if (!ws.kernel().equals(t.kernel())) {
            throw new Step.Failed("reference: " + tree + " is kernel " + t.kernel() + ", not " + ws.kernel(), null);
        }
        Path dir = dir(ws);
        Path file = dir.resolve("vectors.yaml");
        Files.createDirectories(dir);
        String text = TableWriter.write(t);
        if (!Files.isRegularFile(file) || !Files.readString(file).equals(text)) {
            AtomicFiles.write(file, text);
        }
        Path generated = dir.resolve("generated");
        OutputWriter.write(generated, renderer.render(t));
        return new Reference(t, file, generated);
    }
}
