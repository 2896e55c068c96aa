package dev.idtgen.render;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code templates/kernels.yaml}: for each kernel series, the files it gets
 * ({@code outputs}: generated path to template) and the {@code features}
 * the shared templates test. This file is the one place where the kernels'
 * generated code differs other than through the table.
 */
final class KernelTemplates {

    static final String FILE = "kernels.yaml";

    private record Kernel(List<Renderer.Output> outputs, Map<String, Object> features) {
    }

    private final Map<String, Kernel> kernels;

    private KernelTemplates(Map<String, Kernel> kernels) {
        this.kernels = kernels;
    }

    static KernelTemplates read(Path file) throws Renderer.RenderException {
        Object doc = load(file);
        if (!(doc instanceof Map<?, ?> top) || top.isEmpty()) {
            throw new Renderer.RenderException(file + ": must map each kernel series to its outputs and features");
        }
        Map<String, Kernel> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String series = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> k) || !(k.get("outputs") instanceof Map<?, ?> outs)
                    || outs.isEmpty()) {
                throw new Renderer.RenderException(file + ": kernel " + series + " needs outputs: {path: template}");
            }
            for (Object key : k.keySet()) {
                if (!List.of("outputs", "features").contains(String.valueOf(key))) {
                    throw new Renderer.RenderException(file + ": kernel " + series + ": unknown key " + key
                            + " (outputs, features)");
                }
            }
            List<Renderer.Output> outputs = new ArrayList<>();
            outs.forEach((path, template) -> outputs.add(new Renderer.Output(String.valueOf(path),
                    String.valueOf(template))));
            Map<String, Object> features = new TreeMap<>();
            if (k.get("features") instanceof Map<?, ?> f) {
                f.forEach((name, value) -> features.put(String.valueOf(name), value));
            } else if (k.containsKey("features")) {
                throw new Renderer.RenderException(file + ": kernel " + series + ": features must be a mapping");
            }
            out.put(series, new Kernel(List.copyOf(outputs), features));
        }
        return new KernelTemplates(out);
    }

    List<String> kernels() {
        return List.copyOf(kernels.keySet());
    }

    List<Renderer.Output> outputs(String kernel) {
        return kernels.get(kernel).outputs();
    }

    /** The template variable {@code kernel}: {@code series} and {@code features}. */
    Map<String, Object> context(String kernel) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("series", kernel);
        v.put("features", kernels.get(kernel).features());
        return v;
    }

    /** A YAML file of templates/, or the error that names it. */
    static Object load(Path file) throws Renderer.RenderException {
        try {
            return new Load(LoadSettings.builder().setLabel(file.toString()).build())
                    .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Renderer.RenderException("cannot read " + file + ": " + e.getMessage());
        } catch (YamlEngineException e) {
            throw new Renderer.RenderException(file + ": " + e.getMessage());
        }
    }
}
