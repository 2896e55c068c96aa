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
 *
 * <p>What each kernel gets is data, {@code kernels.yaml} in the templates
 * directory ({@link KernelTemplates}): its outputs (generated path to
 * template) and the features the shared templates test as
 * {@code kernel.features.NAME}. Paths are relative to the kernel's own
 * directory under the output directory ({@code generated/<kernel>/}).
 */
public final class Renderer {

    /** One generated file: its path under the kernel's output directory and its template. */
    public record Output(String path, String template) {
    }

    /** A template that could not be rendered. */
    public static final class RenderException extends Exception {
        private static final long serialVersionUID = 1L;

        RenderException(String message) {
            super(message);
        }

        /** A templates/ input file that is malformed: the message is its problems, one per line. */
        RenderException(dev.idtgen.config.ConfigException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final Path templates;
    private final Jinjava jinjava;
    private final KernelTemplates kernels;
    private final DeliveryProofs delivery;
    private final KernelModeRaises raises;
    private final Map<String, String> sources = new LinkedHashMap<>();

    /** Reads kernels.yaml and every template it names, once. */
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
        this.kernels = KernelTemplates.read(templatesDir.resolve(KernelTemplates.FILE));
        this.delivery = DeliveryProofs.read(templatesDir.resolve(DeliveryProofs.FILE));
        this.raises = KernelModeRaises.read(templatesDir.resolve(KernelModeRaises.FILE));
        for (String k : kernels.kernels()) {
            for (Output o : kernels.outputs(k)) {
                if (sources.containsKey(o.template())) {
                    continue;
                }
                Path p = templatesDir.resolve(o.template());
                try {
                    sources.put(o.template(), Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new RenderException("cannot read template " + p + ": " + e.getMessage());
                }
            }
        }
    }

    /** The kernels the templates know, in kernels.yaml's order. */
    public List<String> kernels() {
        return kernels.kernels();
    }

    /** The files a kernel gets (a table without kernels gets the first kernel's). */
    public List<Output> outputs(String kernel) throws RenderException {
        return kernels.outputs(known(kernel));
    }

    private String known(String kernel) throws RenderException {
        if (kernel == null) {
            return kernels.kernels().get(0);
        }
        if (!kernels.kernels().contains(kernel)) {
            throw new RenderException(templates.resolve(KernelTemplates.FILE) + ": no templates for kernel " + kernel
                    + " (it has " + String.join(", ", kernels.kernels()) + ")");
        }
        return kernel;
    }

    /** Renders every output of the table's kernel; the map is in output order, path to bytes. */
    public Map<String, byte[]> render(VectorTable table) throws RenderException {
        String kernel = known(table.kernel());
        Map<String, Object> common = new LinkedHashMap<>(TemplateModel.of(table));
        common.put("audit", AuditModel.of(table, delivery, raises));
        Map<String, Object> info = kernels.context(kernel);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Output o : kernels.outputs(kernel)) {
            Map<String, Object> ctx = new LinkedHashMap<>(switch (o.template()) {
                case "idtentry_64.S.j2" -> TemplateModel.stubs(table, Arch.X86_64);
                case "idtentry_32.S.j2" -> TemplateModel.stubs(table, Arch.I386);
                default -> common;
            });
            ctx.put("kernel", info);
            out.put(o.path(), render(o.template(), ctx).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * The context the generator gives an architecture's stub template, for
     * other renderings of the same model (the assembler's flat listings).
     */
    public static Map<String, Object> stubContext(Path templatesDir, VectorTable table, Arch arch)
            throws RenderException {
        KernelTemplates k = KernelTemplates.read(templatesDir.resolve(KernelTemplates.FILE));
        String kernel = table.kernel() == null ? k.kernels().get(0) : table.kernel();
        if (!k.kernels().contains(kernel)) {
            throw new RenderException(templatesDir.resolve(KernelTemplates.FILE) + ": no templates for kernel "
                    + kernel);
        }
        Map<String, Object> ctx = new LinkedHashMap<>(TemplateModel.stubs(table, arch));
        ctx.put("kernel", k.context(kernel));
        return ctx;
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
