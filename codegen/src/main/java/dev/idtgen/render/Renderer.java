package dev.idtgen.render;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.FileLocator;
import dev.idtgen.model.Arch;
import dev.idtgen.model.VectorTable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the generated files from a validated table with the Jinjava
 * templates of one directory. Strict: an unknown variable, filter or
 * function is an error, never an empty string.
 */
public final class Renderer {

    /** One generated file: its path under the output directory and its template. */
    public record Output(String path, String template) {
    }

    /** The generated files, each at the kernel path it is copied to. */
    public static final List<Output> OUTPUTS = List.of(
            new Output("arch/x86/include/asm/idtentry_defs.h", "idtentry_defs.h.j2"),
            new Output("arch/x86/include/asm/idtentry_list.h", "idtentry_list.h.j2"),
            new Output("arch/x86/entry/idtentry_64.S", "idtentry_64.S.j2"),
            new Output("arch/x86/entry/idtentry_32.S", "idtentry_32.S.j2"),
            new Output("arch/x86/kernel/idt_gates.h", "idt_gates.h.j2"));

    /** A template that could not be rendered. */
    public static final class RenderException extends Exception {
        private static final long serialVersionUID = 1L;

        RenderException(String message) {
            super(message);
        }
    }

    private final Path templates;
    private final Jinjava jinjava;
    private final Map<String, String> sources = new LinkedHashMap<>();

    /** Reads every template of {@code templatesDir} once. */
    public Renderer(Path templatesDir) throws RenderException {
        this.templates = templatesDir;
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .build();
        this.jinjava = new Jinjava(config);
        try {
            jinjava.setResourceLocator(new FileLocator(templatesDir.toFile()));
        } catch (FileNotFoundException e) {
            throw new RenderException("templates directory " + templatesDir + " does not exist");
        }
        for (Output o : OUTPUTS) {
            Path p = templatesDir.resolve(o.template());
            try {
                sources.put(o.template(), Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new RenderException("cannot read template " + p + ": " + e.getMessage());
            }
        }
    }

    /** Renders every output; the map is in {@link #OUTPUTS} order, path to bytes. */
    public Map<String, byte[]> render(VectorTable table) throws RenderException {
        Map<String, Object> common = TemplateModel.of(table);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Output o : OUTPUTS) {
            Map<String, Object> ctx = switch (o.template()) {
                case "idtentry_64.S.j2" -> TemplateModel.stubs(table, Arch.X86_64);
                case "idtentry_32.S.j2" -> TemplateModel.stubs(table, Arch.I386);
                default -> common;
            };
            out.put(o.path(), render(o.template(), ctx).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * The context the generator gives an architecture's stub template, for
     * other renderings of the same model (the assembler's flat listings).
     */
    public static Map<String, Object> stubContext(VectorTable table, Arch arch) {
        return TemplateModel.stubs(table, arch);
    }

    private String render(String template, Map<String, Object> ctx) throws RenderException {
        RenderResult r = jinjava.renderForResult(sources.get(template), ctx);
        if (!r.getErrors().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (TemplateError e : r.getErrors()) {
                b.append(b.length() == 0 ? "" : "\n").append(templates.resolve(template)).append(':')
                        .append(e.getLineno()).append(':').append(Math.max(e.getStartPosition(), 1))
                        .append(": template: ").append(e.getMessage());
            }
            throw new RenderException(b.toString());
        }
        return normalize(r.getOutput());
    }

    /** No trailing blanks, no runs of blank lines, exactly one final newline. */
    private static String normalize(String s) {
        String t = s.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
        return t + "\n";
    }
}
