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
}
