package dev.idtgen.render;

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
        if (!(KernelTemplates.load(file) instanceof Map<?, ?> top)) {
            throw new Renderer.RenderException(file + ": must map each handler to how it is raised from kernel mode");
        }
        Map<String, Raise> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String h = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> m) || m.size() != 1
                    || !(m.containsKey("raise") || m.containsKey("none"))) {
                throw new Renderer.RenderException(file + ": " + h + ": needs exactly one of raise ("
                        + String.join(", ", MODES) + ") or none (the reason)");
            }
            Object raise = m.get("raise");
            if (raise != null && !MODES.contains(String.valueOf(raise))) {
                throw new Renderer.RenderException(file + ": " + h + ": unknown raise " + raise + " ("
                        + String.join(", ", MODES) + ")");
            }
            Object none = m.get("none");
            if (m.containsKey("none") && (none == null || String.valueOf(none).isBlank())) {
                throw new Renderer.RenderException(file + ": " + h + ": none needs the reason");
            }
            out.put(h, new Raise(raise == null ? null : String.valueOf(raise),
                    none == null ? null : String.valueOf(none).strip()));
        }
        return new KernelModeRaises(file, out);
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
