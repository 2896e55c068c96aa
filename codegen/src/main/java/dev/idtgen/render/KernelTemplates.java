package dev.idtgen.render;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;
import dev.idtgen.config.YamlDoc;

import java.io.IOException;
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

    private record KernelFiles(List<Renderer.Output> outputs, Map<String, Object> features) {
    }

    private final Map<String, KernelFiles> kernels;

    private KernelTemplates(Map<String, KernelFiles> kernels) {
        this.kernels = kernels;
    }

    static KernelTemplates read(Path file) throws Renderer.RenderException {
        MapNode top = doc(file);
        try {
            if (top.isEmpty()) {
                throw top.bad(file + " must map each kernel series to its outputs and features");
            }
            Map<String, KernelFiles> out = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> e : top.values().entrySet()) {
                out.put(e.getKey(), kernel(e.getValue().asMap()));
            }
            return new KernelTemplates(out);
        } catch (ConfigException e) {
            throw new Renderer.RenderException(e);
        }
    }

    private static KernelFiles kernel(MapNode k) throws ConfigException {
        k.allowOnly("outputs", "features");
        MapNode outs = k.map("outputs");
        if (outs.isEmpty()) {
            throw outs.bad(outs.path() + " needs at least one path: template");
        }
        List<Renderer.Output> outputs = new ArrayList<>();
        outs.strings().forEach((path, template) -> outputs.add(new Renderer.Output(path, template)));
        Map<String, Object> features = new TreeMap<>();
        if (k.has("features")) {
            for (Map.Entry<String, ConfigNode> f : k.map("features").values().entrySet()) {
                features.put(f.getKey(), f.getValue().plain());
            }
        }
        return new KernelFiles(List.copyOf(outputs), features);
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

    /** A YAML file of templates/ (a mapping), or the error that names it and where it is wrong. */
    static MapNode doc(Path file) throws Renderer.RenderException {
        try {
            return YamlDoc.read(file);
        } catch (ConfigException e) {
            throw new Renderer.RenderException(e);
        } catch (IOException e) {
            throw new Renderer.RenderException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
