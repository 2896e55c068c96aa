package dev.idtgen.cli;

import dev.idtgen.edit.Reference;
import dev.idtgen.kernel.Variant;
import dev.idtgen.kernel.Workspace;
import dev.idtgen.proc.Step;
import dev.idtgen.render.Renderer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The generated files a variant's tree takes: the generated kernel the table's ({@code generated}), the stock
 * kernel those rendered from its own table (the import of its pristine tree, {@link Reference}), so that a command
 * on one kernel never puts an edited table's tests into the stock tree, as {@code run} never does.
 */
final class StockTests {

    private StockTests() {
    }

    static Path forVariant(Variant v, Workspace ws, Path generated, PrintWriter out) throws IOException,
            InterruptedException, Step.Failed {
        return v == Variant.GENERATED ? generated : reference(ws, out).generated();
    }

    /** The stock kernel's own table of {@code ws}'s kernel, imported, and its rendering. */
    static Reference reference(Workspace ws, PrintWriter out) throws IOException, InterruptedException, Step.Failed {
        try {
            return Reference.of(ws, new Renderer(ws.project().resolve("templates")), out);
        } catch (Renderer.RenderException e) {
            throw new Step.Failed("the stock kernel's tests: " + e.getMessage(), null);
        }
    }
}
