package dev.idtgen.kernel;

import java.util.Optional;

/** Which entry code a kernel tree carries: upstream's, or the one generated from the table. */
public enum Variant {
    STOCK, GENERATED;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Variant> parse(String s) {
        for (Variant v : values()) {
            if (v.cliName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
