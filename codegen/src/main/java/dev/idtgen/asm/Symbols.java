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

    /**
     * {@code extra} over {@code base}, for lookups ({@code get}, {@code containsKey}): a name in {@code extra}
     * answers from there, any other from {@code base}. Nothing is copied (a base may answer more names than it
     * lists, as {@link #any} does).
     */
    public static Map<String, Long> overlay(Map<String, Long> base, Map<String, Long> extra) {
        if (extra.isEmpty()) {
            return base;
        }
        return new AbstractMap<>() {
            @Override
            public Long get(Object key) {
                Long v = extra.get(key);
                return v != null ? v : base.get(key);
            }

            @Override
            public boolean containsKey(Object key) {
                return extra.containsKey(key) || base.containsKey(key);
            }

            @Override
            public Set<Entry<String, Long>> entrySet() {
                Map<String, Long> all = new java.util.HashMap<>(base);
                all.putAll(extra);
                return all.entrySet();
            }
        };
    }
}
