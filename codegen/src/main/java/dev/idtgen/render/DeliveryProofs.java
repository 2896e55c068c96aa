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

    private static final List<String> KINDS = List.of("stat", "stat_no_eoi", "counter", "retrigger", "eoi", "none");

    /**
     * One handler's proof: exactly one of stat, stat_no_eoi, counter, retrigger, eoi, none. {@code eoi}: the APIC
     * is the witness (the vector requested, then taken out of service by the handler's EOI), what a system vector
     * without a line gets.
     */
    record Proof(String stat, String statNoEoi, String counter, boolean retrigger, boolean eoi, String none) {

        /** The proof of a system vector the file has no line for. */
        static final Proof APIC = new Proof(null, null, null, false, true, null);
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
        m.allowOnly(java.util.Set.copyOf(KINDS));
        Proof p = new Proof(str(m, "stat"), str(m, "stat_no_eoi"), str(m, "counter"), m.bool("retrigger", false),
                m.bool("eoi", false), str(m, "none"));
        int kinds = (p.stat() != null ? 1 : 0) + (p.statNoEoi() != null ? 1 : 0) + (p.counter() != null ? 1 : 0)
                + (p.retrigger() ? 1 : 0) + (p.eoi() ? 1 : 0) + (p.none() != null ? 1 : 0);
        if (kinds == 0) {
            throw m.missingOneOf(KINDS);
        }
        if (kinds != 1) {
            throw m.bad(m.path() + ": needs exactly one of " + String.join(", ", KINDS));
        }
        return p;
    }

    private static String str(MapNode m, String key) throws ConfigException {
        return m.has(key) ? m.string(key).strip() : null;
    }

    /**
     * The proof of system vector handler {@code handler}: its line, or, without one, {@link Proof#APIC}: a vector
     * the table adds is proven delivered without test code of its own.
     */
    Proof systemVector(String handler) {
        return proofs.getOrDefault(handler, Proof.APIC);
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
