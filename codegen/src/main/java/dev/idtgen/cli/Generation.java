package dev.idtgen.cli;

import dev.idtgen.model.VectorTable;
import dev.idtgen.render.Renderer;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The --templates option and the render step shared by generate, check and bench. */
final class Generation {

    @Option(names = "--templates", paramLabel = "DIR", defaultValue = "${env:IDTGEN_HOME:-.}/templates",
            description = "The Jinjava templates (default: ${DEFAULT-VALUE}).")
    Path templates;

    Map<String, byte[]> render(VectorTable table) throws Renderer.RenderException {
        return new Renderer(templates).render(table);
    }

    /**
     * Renders every kernel's files, each under its kernel's directory
     * ({@code <kernel>/arch/...}), in the table's kernel order.
     */
    Map<String, byte[]> renderAll(Map<String, dev.idtgen.validate.Tables.Checked> tables)
            throws Renderer.RenderException {
        Renderer r = new Renderer(templates);
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        for (dev.idtgen.validate.Tables.Checked c : tables.values()) {
            String kernel = c.table().kernel() == null ? r.kernels().get(0) : c.table().kernel();
            r.render(c.table()).forEach((path, bytes) -> out.put(kernel + "/" + path, bytes));
        }
        return out;
    }
}
