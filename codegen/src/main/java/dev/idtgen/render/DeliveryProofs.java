package dev.idtgen.render;

import dev.idtgen.config.ConfigException;
import dev.idtgen.config.ConfigNode;
import dev.idtgen.config.MapNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code templates/delivery.yaml}: for each handler a hardware interrupt
 * reaches (a system vector's, or a stub array's target), how the in-kernel
 * delivery test proves it ran after a self-IPI, or why it sends none.
 */
final class DeliveryProofs {

    static final String FILE = "delivery.yaml";

    private static final java.util.Set<String> KINDS = java.util.Set.of("stat", "stat_no_eoi", "counter", "retrigger",
            "none");

    /** One handler's proof: exactly one of stat, stat_no_eoi, counter, retrigger, none. */
    record Proof(String stat, String statNoEoi, String counter, boolean retrigger, String none) {
    }

    private final Path file;
    private final Map<String, Proof> proofs;

    private DeliveryProofs(Path file, Map<String, Proof> proofs) {
        this.file = file;
        this.proofs = proofs;
    }

    static DeliveryProofs read(Path file) throws Renderer.RenderException {
        MapNode top = KernelTemplates.doc(file);
        Map<String, Proof> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ConfigNode> e : top.values().entrySet()) {
                out.put(e.getKey(), proof(e.getValue().asMap()));
            }
        } catch (ConfigException e) {
            throw new Renderer.RenderException(e);
        }
        return new DeliveryProofs(file, out);
    }

    private static Proof proof(MapNode m) throws ConfigException {
        m.allowOnly(KINDS);
        Proof p = new Proof(str(m, "stat"), str(m, "stat_no_eoi"), str(m, "counter"), m.bool("retrigger", false),
                str(m, "none"));
        int kinds = (p.stat() != null ? 1 : 0) + (p.statNoEoi() != null ? 1 : 0) + (p.counter() != null ? 1 : 0)
                + (p.retrigger() ? 1 : 0) + (p.none() != null ? 1 : 0);
        if (kinds == 0) {
            throw m.missingOneOf(List.of("stat", "stat_no_eoi", "counter", "retrigger", "none"));
        }
        if (kinds != 1) {
            throw m.bad(m.path() + ": needs exactly one of stat, stat_no_eoi, counter, retrigger, none");
        }
        return p;
    }

    private static String str(MapNode m, String key) throws ConfigException {
        return m.has(key) ? m.string(key).strip() : null;
    }

    /** The proof of a handler the table needs one for, or the error that names the file to add it to. */
    Proof require(String handler, String what) throws Renderer.RenderException {
        Proof p = proofs.get(handler);
        if (p == null) {
            throw new Renderer.RenderException(file + ": no delivery proof for " + handler + " (" + what
                    + "): say how the delivery test proves it ran (stat, counter, retrigger) or why it sends"
                    + " no self-IPI (none)");
        }
        return p;
    }
}
