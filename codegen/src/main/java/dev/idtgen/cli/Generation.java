package dev.idtgen.cli;

import dev.idtgen.model.VectorTable;
import dev.idtgen.render.Renderer;
import dev.idtgen.validate.Tables;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** The --templates option and the render step shared by generate, check and bench. */
final class Generation {

    @Option(names = "--templates", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}/templates",
            description = "The Jinjava templates (default: ${DEFAULT-VALUE}).")
    Path templates;

    /** Every kernel's table and the files rendered from them, in the table's kernel order. */
    record Rendered(Map<String, Tables.Checked> tables, Map<String, byte[]> files) {
    }

    /**
     * Reads every kernel's table (--kernel's) and renders its files; prints the table's problems, or the
     * templates' error, to {@code err} and returns null on any.
     */
    Rendered readAndRenderAll(TableOption table, PrintWriter err) {
        Map<String, Tables.Checked> all = table.readAll(err);
        if (all == null) {
            return null;
        }
        try {
            return new Rendered(all, renderAll(all));
        } catch (Renderer.RenderException e) {
            err.println(e.getMessage());
            return null;
        }
    }

    Map<String, byte[]> render(VectorTable table) throws Renderer.RenderException {
        return new Renderer(templates).render(table);
    }

    /**
     * Renders every kernel's files, each under its kernel's directory
     * ({@code <kernel>/arch/...}), in the table's kernel order.
     */
    Map<String, byte[]> renderAll(Map<String, Tables.Checked> tables)
            throws Renderer.RenderException {
        Renderer r = new Renderer(templates);
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        for (Tables.Checked c : tables.values()) {
            String kernel = c.table().kernel() == null ? r.kernels().get(0) : c.table().kernel();
            r.render(c.table()).forEach((path, bytes) -> out.put(kernel + "/" + path, bytes));
        }
        return out;
    }

    /**
     * The frame of generate and check: the table and the templates; every kernel's files rendered, or exit 1 with
     * the table's problems or the templates' error.
     */
    abstract static class FromTable implements Callable<Integer> {
        @Mixin
        TableOption table;

        @Mixin
        Generation generation;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() throws IOException {
            Generation.Rendered rendered = generation.readAndRenderAll(table, spec.commandLine().getErr());
            return rendered == null ? 1 : run(rendered);
        }

        /** The command's work with the files rendered. */
        abstract int run(Generation.Rendered rendered) throws IOException;
    }
}
