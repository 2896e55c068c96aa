package dev.idtgen.asm;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/** Symbol tables for the assembler port. */
public final class Symbols {

    private Symbols() {
    }

    /**
     * A table that gives every symbol the same value: for assembling without a
     * kernel (sizes, ALTERNATIVE lengths), where the port's contract makes the
     * encoding of a reference independent of the value (rel32 branches, 32-bit
     * absolute operands). The value should be in reach of the addresses used.
     */
    public static Map<String, Long> any(long value) {
        return new AbstractMap<>() {
            @Override
            public Long get(Object key) {
                return key instanceof String ? value : null;
            }

            @Override
            public boolean containsKey(Object key) {
                return key instanceof String;
            }

            @Override
            public Set<Entry<String, Long>> entrySet() {
                return Set.of();
            }
        };
    }
}
