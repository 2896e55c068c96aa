package dev.idtgen.asm;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which assembler backends this machine has, and the choice among them:
 * Keystone (in-process) when a libkeystone with the X86 target loads, else
 * GNU as; {@code --assembler keystone|gas} forces one.
 */
public final class Backends {

    /** A backend that opened, or why it did not. */
    public record Probe(String name, Assembler assembler, String unavailable) {
        public boolean available() {
            return assembler != null;
        }
    }

    /** The backend names, in order of preference. */
    public static final List<String> NAMES = List.of("keystone", "gas");

    /** The process environment: what KEYSTONE_LIBRARY and IDTGEN_AS say. */
    private final Map<String, String> env;
    /** Whether the reason Keystone was passed over has been said (it is said once). */
    private final AtomicBoolean keystoneReasonSaid = new AtomicBoolean();

    /** The backends as {@code env} (the process environment: KEYSTONE_LIBRARY, IDTGEN_AS) configures them. */
    public Backends(Map<String, String> env) {
        this.env = env;
    }

    public Probe probe(String name) {
        try {
            return switch (name) {
                case "keystone" -> new Probe(name, KeystoneAssembler.open(env), null);
                case "gas" -> new Probe(name, GasAssembler.open(env), null);
                default -> new Probe(name, null, "unknown assembler '" + name + "' (keystone, gas)");
            };
        } catch (AsmException e) {
            return new Probe(name, null, e.getMessage());
        }
    }

    /** Every backend, opened or with its reason. */
    public List<Probe> all() {
        List<Probe> out = new ArrayList<>();
        for (String n : NAMES) {
            out.add(probe(n));
        }
        return out;
    }

    /**
     * The backend to use: {@code forced} (null or "auto": the first available)
     * and prints the choice. When Keystone is passed over, the reason is said
     * once per {@code Backends}, with the fallback it takes.
     */
    public Assembler choose(String forced, PrintWriter out) throws AsmException {
        if (forced != null && !forced.equals("auto")) {
            Probe p = probe(forced);
            if (!p.available()) {
                throw new AsmException("assembler " + forced + " is not available: " + p.unavailable());
            }
            out.println("assembler: " + p.assembler().describe() + " (forced)");
            return p.assembler();
        }
        Probe ks = probe("keystone");
        if (ks.available()) {
            out.println("assembler: " + ks.assembler().describe());
            return ks.assembler();
        }
        Probe gas = probe("gas");
        if (keystoneReasonSaid.compareAndSet(false, true)) {
            out.println("assembler: keystone unavailable: " + ks.unavailable() + "; "
                    + (gas.available() ? "falling back to gas" : "and gas is unavailable too"));
        }
        if (!gas.available()) {
            throw new AsmException("no assembler: keystone: " + ks.unavailable() + "; gas: " + gas.unavailable());
        }
        out.println("assembler: " + gas.assembler().describe());
        return gas.assembler();
    }
}
