package dev.idtgen.render;


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
        if (!(KernelTemplates.load(file) instanceof Map<?, ?> top)) {
            throw new Renderer.RenderException(file + ": must map each handler to its delivery proof");
        }
        Map<String, Proof> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String h = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new Renderer.RenderException(file + ": " + h + ": needs one of stat, stat_no_eoi, counter, retrigger, none");
            }
            for (Object k : m.keySet()) {
                if (!List.of("stat", "stat_no_eoi", "counter", "retrigger", "none").contains(String.valueOf(k))) {
                    throw new Renderer.RenderException(file + ": " + h + ": unknown key " + k
                            + " (stat, stat_no_eoi, counter, retrigger, none)");
                }
            }
            Proof p = new Proof(str(m.get("stat")), str(m.get("stat_no_eoi")), str(m.get("counter")),
                    Boolean.TRUE.equals(m.get("retrigger")), str(m.get("none")));
            int kinds = (p.stat() != null ? 1 : 0) + (p.statNoEoi() != null ? 1 : 0) + (p.counter() != null ? 1 : 0)
                    + (p.retrigger() ? 1 : 0) + (p.none() != null ? 1 : 0);
            if (kinds != 1) {
                throw new Renderer.RenderException(file + ": " + h + ": needs exactly one of stat, stat_no_eoi,"
                        + " counter, retrigger, none");
            }
            out.put(h, p);
        }
        return new DeliveryProofs(file, out);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o).strip();
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
