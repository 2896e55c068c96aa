package dev.idtgen.render;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code templates/kernel_mode.yaml}: for each entry the table gates at an
 * exception vector, how the in-kernel entry test raises it from kernel mode
 * and proves that the handler ran with the frame the CPU pushed, or why it
 * is not raised.
 */
final class KernelModeRaises {

    static final String FILE = "kernel_mode.yaml";

    /** The ways of raising, as the template's enum idtgen_raise_mode names them. */
    static final List<String> MODES = List.of("notify", "fixup", "int3", "debug", "cr0_ts");

    /** One handler's line: a mode of {@link #MODES}, or none with the reason. */
    record Raise(String mode, String none) {
    }

    private final Path file;
    private final Map<String, Raise> raises;

    private KernelModeRaises(Path file, Map<String, Raise> raises) {
        this.file = file;
        this.raises = raises;
    }

    static KernelModeRaises read(Path file) throws Renderer.RenderException {
        MapNode top = KernelTemplates.doc(file);
        Map<String, Raise> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ConfigNode> e : top.values().entrySet()) {
                out.put(e.getKey(), raise(e.getValue().asMap()));
            }
        } catch (ConfigException e) {
            throw new Renderer.RenderException(e);
        }
        return new KernelModeRaises(file, out);
    }

    private static Raise raise(MapNode m) throws ConfigException {
        m.allowOnly("raise", "none");
        if (m.isEmpty()) {
            throw m.missingOneOf(List.of("raise (" + String.join(", ", MODES) + ")", "none (the reason)"));
        }
        if (m.keys().size() != 1) {
            throw m.bad(m.path() + ": needs exactly one of raise (" + String.join(", ", MODES)
                    + ") or none (the reason)");
        }
        if (m.keys().contains("raise")) {
            String raise = m.string("raise");
            if (!MODES.contains(raise)) {
                throw m.get("raise").bad(m.path() + ": unknown raise " + raise + " (" + String.join(", ", MODES)
                        + ")");
            }
            return new Raise(raise, null);
        }
        String none = m.string("none").strip();
        if (none.isEmpty()) {
            throw m.get("none").bad(m.path() + ": none needs the reason");
        }
        return new Raise(null, none);
    }

    /** The line of a handler the table gates at an exception vector, or the error that names the file. */
    Raise require(String handler, String vector) throws Renderer.RenderException {
        Raise r = raises.get(handler);
        if (r == null) {
            throw new Renderer.RenderException(file + ": no kernel-mode raise for " + handler + " (gated at " + vector
                    + "): say how the entry test raises it from kernel mode (raise: " + String.join(", ", MODES)
                    + ") or why it does not (none)");
        }
        return r;
    }
}
